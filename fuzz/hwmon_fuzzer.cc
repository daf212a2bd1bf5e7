// hwmon attribute names and values (node_exporter's filename regexp, cleanMetricName,
// strconv.ParseFloat) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/hwmon.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  const auto name = vitals::procfs::ParseHwmonFilename(text);
  if (name) (void)vitals::procfs::IsHwmonSensorType(name->type);
  volatile size_t sink = vitals::procfs::CleanHwmonName(text).size();
  (void)sink;
  if (const auto value = vitals::procfs::ParseGoFloat(text)) {
    volatile double v = *value;
    (void)v;
  }
  return 0;
}
