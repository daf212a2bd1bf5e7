// Thermal zone and cooling device numbers (strconv.ParseInt base 10 of the trimmed first
// 128 bytes) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/thermal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  if (const auto value = vitals::procfs::ParseGoInt(vitals::procfs::SysfsTrim(text))) {
    volatile int64_t sink = *value;
    (void)sink;
  }
  return 0;
}
