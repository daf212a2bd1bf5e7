// /proc/diskstats: one line per block device (Documentation/admin-guide/iostats.rst).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct DiskStats {
  uint32_t major = 0, minor = 0;
  std::string_view device;  // Points into the parsed text.
  // Counters after the name, in kernel order: reads, reads merged, sectors read,
  // read ms, writes, writes merged, sectors written, write ms, in flight, io ms,
  // weighted io ms, [discards, discards merged, sectors discarded, discard ms],
  // [flushes, flush ms].
  std::array<uint64_t, 17> fields{};
  int field_count = 0;  // 11, 15 or 17 depending on the kernel.
};

// Clears and fills `out`; lines with fewer than 11 counters are an error.
Status ParseDiskstats(std::string_view text, std::vector<DiskStats>& out);

}  // namespace vitals::procfs
