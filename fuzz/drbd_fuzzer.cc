// /proc/drbd parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/drbd.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto status = vitals::procfs::ParseDrbd(vitals::fuzz::AsText(data, size));
  // Each value is a word of at least "k:" in the text.
  if (status.values.size() > size / 2) __builtin_trap();
  for (const auto& value : status.values) {
    if (value.key.size() + value.local.size() > size) __builtin_trap();
    if (value.remote) vitals::fuzz::Touch(*value.remote);
  }
  return 0;
}
