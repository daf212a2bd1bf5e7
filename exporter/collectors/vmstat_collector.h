// vmstat: node_vmstat_<field>, untyped, for each /proc/vmstat field that the fields
// regex matches (node_exporter's --collector.vmstat.fields).
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/regex.h"
#include "procfs/file_reader.h"
#include "procfs/vmstat.h"

namespace vitals::collectors {

// node_exporter 1.5's default for --collector.vmstat.fields.
inline constexpr const char* kDefaultVmstatFields = "^(oom_kill|pgpg|pswp|pg.*fault).*";

struct VmstatOptions {
  Regex fields;  // Searched unanchored in each field name, like Go's MatchString.

  bool operator==(const VmstatOptions&) const = default;
};

class VmstatCollector : public Collector {
 public:
  VmstatCollector(const Paths& paths, const VmstatOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  // Whether the field at `index` matches the regex. The kernel prints the same fields
  // in the same order on every read, so the answer is remembered per position and name.
  bool Selected(size_t index, std::string_view name);
  // Fails when a field name repeats (node_exporter fails the scrape on a duplicate
  // metric). Checked only when the fields differ from the previous read.
  Status CheckUnique() const;

  VmstatOptions options_;
  procfs::FileReader vmstat_file_;
  std::vector<procfs::VmstatEntry> entries_;
  std::vector<std::pair<std::string, bool>> selected_;
  bool fields_changed_ = false;  // Set by Selected() when its cache misses.
};

}  // namespace vitals::collectors
