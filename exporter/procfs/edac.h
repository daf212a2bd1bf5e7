// /sys/devices/system/edac/mc: EDAC memory controllers (kernel
// Documentation/ABI/testing/sysfs-devices-edac), as node_exporter 1.5's edac collector
// reads them: mc<N>/{ce_count,ce_noinfo_count,ue_count,ue_noinfo_count} and
// mc<N>/csrow<M>/{ce_count,ue_count}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// An entry of a directory named `<prefix><digit>...`, and the leading digits after the
// prefix (node_exporter's filepath.Glob("<prefix>[0-9]*") and its regexp's number).
struct NumberedEntry {
  std::string path;
  std::string number;
};

// The entries of `dir` whose names are `prefix` followed by a digit, sorted by name as
// filepath.Glob returns them. A missing `dir` is no entries; another error fails.
Result<std::vector<NumberedEntry>> GlobNumberedEntries(const std::string& dir,
                                                       std::string_view prefix);

// An EDAC counter file as node_exporter's readUintFromFile reads it: white space
// trimmed, then a decimal uint64 (no sign). nullopt on anything else.
std::optional<uint64_t> ParseEdacCount(std::string_view text);

}  // namespace vitals::procfs
