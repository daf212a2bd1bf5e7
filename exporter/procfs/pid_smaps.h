// /proc/<pid>/smaps_rollup: the proportional set sizes process-exporter's
// -gather-smaps publishes. Reading it walks every mapping of the process under its
// mmap lock, which can stall a large process (process-exporter#246, #360): off by default.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct PidSmapsRollup {
  uint64_t pss = 0;       // Bytes: resident memory, shared pages divided among their users.
  uint64_t swap_pss = 0;  // Bytes: the same for swapped pages.
};

// Pss is required; SwapPss (Linux 4.3+) is 0 when absent.
Result<PidSmapsRollup> ParseSmapsRollup(std::string_view text);

}  // namespace vitals::procfs
