#include "procfs/pid_smaps.h"

#include "base/text.h"

namespace vitals::procfs {

Result<PidSmapsRollup> ParseSmapsRollup(std::string_view text) {
  PidSmapsRollup rollup;
  bool saw_pss = false;
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    const std::string_view key = NextField(line);
    if (key != "Pss:" && key != "SwapPss:") continue;  // The header and the other sizes.
    const auto value = ParseU64(NextField(line));
    if (!value || NextField(line) != "kB" || *value > UINT64_MAX / 1024) {
      return Error{"malformed smaps_rollup value for " + std::string(key)};
    }
    if (key == "Pss:") {
      rollup.pss = *value * 1024;
      saw_pss = true;
    } else {
      rollup.swap_pss = *value * 1024;
    }
  }
  if (!saw_pss) return Error{"malformed smaps_rollup: no Pss line"};
  return rollup;
}

}  // namespace vitals::procfs
