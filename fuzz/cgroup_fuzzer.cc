// cgroup v2 cpu.stat and io.stat (the systemd collector's per-unit CPU time and I/O) on
// arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/cgroup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  const auto cpu = vitals::procfs::ParseCgroupCpuStat(text);
  if (!cpu.ok()) vitals::fuzz::Touch(cpu.error());
  const auto io = vitals::procfs::ParseCgroupIoStat(text);
  if (!io.ok()) vitals::fuzz::Touch(io.error());
  return 0;
}
