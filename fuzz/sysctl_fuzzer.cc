// One-integer /proc/sys files (entropy_avail, poolsize, nf_conntrack_count/max) on
// arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/sysctl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto value = vitals::procfs::ParseSysctlUint(vitals::fuzz::AsText(data, size));
  if (!value.ok()) vitals::fuzz::Touch(value.error());
  return 0;
}
