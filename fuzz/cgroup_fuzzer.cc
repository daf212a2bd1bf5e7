// cgroup v2 cpu.stat (the systemd collector's per-unit CPU time) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/cgroup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto stat = vitals::procfs::ParseCgroupCpuStat(vitals::fuzz::AsText(data, size));
  if (!stat.ok()) vitals::fuzz::Touch(stat.error());
  return 0;
}
