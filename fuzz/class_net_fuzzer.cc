// /sys/class/net attribute numbers (strconv.ParseInt(s, 0, 64) rules) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/class_net.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto value = vitals::procfs::ParseSysfsInt(vitals::fuzz::AsText(data, size));
  if (value) {
    volatile int64_t sink = *value;
    (void)sink;
  }
  return 0;
}
