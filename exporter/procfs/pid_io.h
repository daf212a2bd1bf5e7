// /proc/<pid>/io and the "Max open files" line of /proc/<pid>/limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct PidIo {
  uint64_t read_bytes = 0;  // Storage-layer bytes, as process-exporter reports.
  uint64_t write_bytes = 0;
};

Result<PidIo> ParsePidIo(std::string_view text);

// Soft limit of "Max open files"; nullopt for "unlimited" or when absent.
Result<std::optional<uint64_t>> ParseMaxOpenFiles(std::string_view limits_text);

}  // namespace vitals::procfs
