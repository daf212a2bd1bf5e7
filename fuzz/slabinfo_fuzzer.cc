// /proc/slabinfo parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/slabinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto slabs = vitals::procfs::ParseSlabinfo(vitals::fuzz::AsText(data, size));
  if (!slabs.ok()) return 0;
  for (const auto& slab : *slabs) {
    // Each kept line had 16 fields: at least 31 bytes, the name among them.
    if (slab.name.size() + 30 > size) __builtin_trap();
    vitals::fuzz::Touch(slab.name);
  }
  return 0;
}
