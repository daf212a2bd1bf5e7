// /proc/schedstat parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/schedstat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const auto& cpu : vitals::procfs::ParseSchedstat(vitals::fuzz::AsText(data, size))) {
    vitals::fuzz::Touch(cpu.cpu);
  }
  return 0;
}
