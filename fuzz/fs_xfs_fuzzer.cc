// /sys/fs/xfs/<device>/stats/stats parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/fs_xfs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto stats = vitals::procfs::ParseXfsStats(vitals::fuzz::AsText(data, size));
  // A value needs a label and a digit: "rw 1 2" is the shortest line with nonzero ones.
  if (stats.ok() && stats->rw[0] != 0 && size < 6) __builtin_trap();
  return 0;
}
