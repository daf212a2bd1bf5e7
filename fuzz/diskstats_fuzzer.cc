// /proc/diskstats parser on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/diskstats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<vitals::procfs::DiskStats> disks;
  (void)vitals::procfs::ParseDiskstats(vitals::fuzz::AsText(data, size), disks);
  return 0;
}
