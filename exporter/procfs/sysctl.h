// A /proc/sys file holding one unsigned integer and a newline, e.g.
// /proc/sys/kernel/random/entropy_avail ("256\n") or
// /proc/sys/net/netfilter/nf_conntrack_max ("262144\n").
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

// The text without leading and trailing ASCII white space (" \t\n\v\f\r", like the Go
// strings.TrimSpace node_exporter uses) must be an unsigned decimal that fits in 64
// bits; anything else (empty, a sign, a second number, garbage) fails.
Result<uint64_t> ParseSysctlUint(std::string_view text);

}  // namespace vitals::procfs
