// cpufreq number files (strconv.ParseUint of TrimSpace) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/cpufreq.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto value = vitals::procfs::ParseCpufreqUint(vitals::fuzz::AsText(data, size));
  if (value) {
    volatile uint64_t sink = *value;
    (void)sink;
  }
  return 0;
}
