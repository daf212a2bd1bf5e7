// /proc/stat parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/proc_stat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vitals::procfs::ParseProcStat(vitals::fuzz::AsText(data, size));
  return 0;
}
