// /proc/meminfo parser on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/meminfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<vitals::procfs::MeminfoEntry> entries;
  (void)vitals::procfs::ParseMeminfo(vitals::fuzz::AsText(data, size), entries);
  return 0;
}
