// /proc/loadavg parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/loadavg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vitals::procfs::ParseLoadavg(vitals::fuzz::AsText(data, size));
  return 0;
}
