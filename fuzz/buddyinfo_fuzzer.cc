// /proc/buddyinfo (the buddyinfo collector) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/buddyinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto zones = vitals::procfs::ParseBuddyinfo(vitals::fuzz::AsText(data, size));
  if (!zones.ok()) {
    vitals::fuzz::Touch(zones.error());
    return 0;
  }
  for (const auto& zone : *zones) {
    // Every zone has as many counts as the first.
    if (zone.sizes.size() != zones->front().sizes.size()) __builtin_trap();
    vitals::fuzz::Touch(zone.node);
    vitals::fuzz::Touch(zone.zone);
  }
  return 0;
}
