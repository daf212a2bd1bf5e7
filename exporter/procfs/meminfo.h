// /proc/meminfo: "Key:   value [kB]" lines.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct MeminfoEntry {
  std::string_view key;  // As printed, e.g. "Active(anon)"; points into the input text.
  uint64_t value = 0;    // In bytes when has_unit, else a plain count.
  bool has_unit = false;
};

// Appends to `out` (cleared first) so the caller can reuse its capacity.
Status ParseMeminfo(std::string_view text, std::vector<MeminfoEntry>& out);

}  // namespace vitals::procfs
