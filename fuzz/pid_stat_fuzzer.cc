// /proc/<pid>/stat parser (comm may hold spaces and parentheses) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/pid_stat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vitals::procfs::ParsePidStat(vitals::fuzz::AsText(data, size));
  return 0;
}
