// /proc/interrupts parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/interrupts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parsed = vitals::procfs::ParseInterrupts(vitals::fuzz::AsText(data, size));
  if (!parsed.ok()) return 0;
  for (const auto& interrupt : *parsed) {
    // Every kept line had a name field and a description: the text holds them all.
    if (interrupt.name.size() + interrupt.info.size() > size) __builtin_trap();
    vitals::fuzz::Touch(interrupt.devices);
  }
  return 0;
}
