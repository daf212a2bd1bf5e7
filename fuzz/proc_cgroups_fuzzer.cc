// /proc/cgroups (the cgroups collector) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/go_text.h"
#include "procfs/proc_cgroups.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto summaries = vitals::procfs::ParseProcCgroups(vitals::fuzz::AsText(data, size));
  if (!summaries.ok()) {
    vitals::fuzz::Touch(summaries.error());
    return 0;
  }
  // A name is one whitespace-free field. It may start with '#': as in prometheus/procfs, only
  // a line that starts with '#' is a comment, not one indented before it.
  for (const auto& summary : *summaries) {
    if (summary.subsys_name.empty()) __builtin_trap();
    for (const char c : summary.subsys_name) {
      if (vitals::procfs::IsGoSpace(c)) __builtin_trap();
    }
  }
  return 0;
}
