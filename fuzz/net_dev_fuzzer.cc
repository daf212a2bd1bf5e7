// /proc/net/dev parser on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/net_dev.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<vitals::procfs::NetDevStats> devices;
  (void)vitals::procfs::ParseNetDev(vitals::fuzz::AsText(data, size), devices);
  return 0;
}
