// /proc/net/stat/nf_conntrack parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/conntrack.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto stat = vitals::procfs::ParseConntrackStat(vitals::fuzz::AsText(data, size));
  // Every CPU line has 17 columns of at least one character and a blank between them.
  if (stat.ok() && stat->cpus * 34 > size) __builtin_trap();
  return 0;
}
