// /proc/net/stat/* (the lnstat collector) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/net_stat_cache.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto counters = vitals::procfs::ParseNetStatCache(vitals::fuzz::AsText(data, size));
  if (!counters.ok()) {
    vitals::fuzz::Touch(counters.error());
    return 0;
  }
  for (const auto& counter : *counters) {
    if (counter.name.empty()) __builtin_trap();
    vitals::fuzz::Touch(counter.name);
  }
  return 0;
}
