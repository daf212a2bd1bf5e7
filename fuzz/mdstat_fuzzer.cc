// /proc/mdstat parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/mdstat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto arrays = vitals::procfs::ParseMdStat(vitals::fuzz::AsText(data, size));
  if (!arrays.ok()) return 0;
  // Each array has its own device line of at least 5 bytes ("a : b") and a newline
  // (the next array's device line may be this one's status line).
  if (arrays->size() * 6 > size) __builtin_trap();
  for (const auto& md : *arrays) {
    if (md.name.empty() || md.activity_state.empty()) __builtin_trap();
    if (md.disks_failed < 0 || md.disks_spare < 0 || md.disks_down < 0) __builtin_trap();
  }
  return 0;
}
