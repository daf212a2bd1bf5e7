#include "procfs/proc_cgroups.h"

#include "procfs/go_text.h"
#include "procfs/selinux.h"

namespace vitals::procfs {

Result<std::vector<CgroupSummary>> ParseProcCgroups(std::string_view text) {
  std::vector<CgroupSummary> summaries;
  GoLines lines(text);
  std::string_view line;
  while (lines.Next(line)) {
    if (line.starts_with('#')) continue;
    const auto fields = GoFields(line);
    if (fields.size() < 4) {
      return Error{"at least 4 fields required, found " + std::to_string(fields.size()) +
                   " fields in cgroup info string: \"" + std::string(line.substr(0, 80)) + "\""};
    }
    CgroupSummary summary{std::string(fields[0])};
    int64_t* const targets[] = {&summary.hierarchy, &summary.cgroups, &summary.enabled};
    for (size_t i = 0; i < 3; ++i) {
      const auto value = ParseGoAtoi(fields[i + 1]);
      if (!value) {
        return Error{"failed to parse \"" + std::string(fields[i + 1]) +
                     "\" in cgroup info string"};
      }
      *targets[i] = *value;
    }
    summaries.push_back(std::move(summary));
  }
  if (lines.too_long()) return Error{"cgroups: line too long"};
  return summaries;
}

}  // namespace vitals::procfs
