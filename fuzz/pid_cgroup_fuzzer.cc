// /proc/<pid>/cgroup parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/pid_cgroup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vitals::procfs::ParsePidCgroupPaths(vitals::fuzz::AsText(data, size));
  return 0;
}
