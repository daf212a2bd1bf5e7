// /proc/net/softnet_stat parser on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/net_softnet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<vitals::procfs::SoftnetStat> stats;
  if (vitals::procfs::ParseSoftnet(vitals::fuzz::AsText(data, size), stats).ok()) {
    if (stats.empty()) __builtin_trap();  // An accepted text has at least one line.
  }
  return 0;
}
