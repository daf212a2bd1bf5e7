// Power supply and RAPL attribute text: ParseInt base 0 (class_net's ParseSysfsInt) of
// the trimmed first 128 bytes, the RAPL zone name sanitizer and filepath.Clean, on
// arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/class_net.h"
#include "procfs/powercap.h"
#include "procfs/thermal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  if (const auto value = vitals::procfs::ParseSysfsInt(vitals::procfs::SysfsTrim(text))) {
    volatile int64_t sink = *value;
    (void)sink;
  }
  volatile size_t a = vitals::procfs::SanitizeMetricName(text).size();
  volatile size_t b = vitals::procfs::GoCleanPath(text).size();
  (void)a;
  (void)b;
  return 0;
}
