// /proc/zoneinfo parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/zoneinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto zones = vitals::procfs::ParseZoneinfo(vitals::fuzz::AsText(data, size));
  // One zone per "\nNode" separator, plus one.
  if (zones.empty() || zones.size() > size / 5 + 1) __builtin_trap();
  for (const auto& zone : zones) {
    if (zone.node.size() + zone.zone.size() > size) __builtin_trap();
    vitals::fuzz::Touch(zone.zone);
  }
  return 0;
}
