// /proc/cpuinfo (the cpu collector's info option) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/cpuinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto cpus = vitals::procfs::ParseCpuInfo(vitals::fuzz::AsText(data, size));
  if (!cpus.ok()) {
    vitals::fuzz::Touch(cpus.error());
    return 0;
  }
  if (cpus->empty()) __builtin_trap();  // Success means at least the first processor.
  for (const auto& cpu : *cpus) {
    vitals::fuzz::Touch(cpu.model_name);
    for (const auto& flag : cpu.flags) {
      if (flag.empty()) __builtin_trap();
      vitals::fuzz::Touch(flag);
    }
  }
  return 0;
}
