// /proc/cgroups (the cgroups collector) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/proc_cgroups.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto summaries = vitals::procfs::ParseProcCgroups(vitals::fuzz::AsText(data, size));
  if (!summaries.ok()) {
    vitals::fuzz::Touch(summaries.error());
    return 0;
  }
  for (const auto& summary : *summaries) {
    if (summary.subsys_name.empty() || summary.subsys_name[0] == '#') __builtin_trap();
  }
  return 0;
}
