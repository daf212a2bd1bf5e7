// /proc/<pid>/smaps_rollup parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/pid_smaps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vitals::procfs::ParseSmapsRollup(vitals::fuzz::AsText(data, size));
  return 0;
}
