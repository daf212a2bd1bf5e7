// meminfo: one gauge per /proc/meminfo field, node_memory_<Field>[_bytes].
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "procfs/file_reader.h"
#include "procfs/meminfo.h"

namespace vitals::collectors {

class MeminfoCollector : public Collector {
 public:
  explicit MeminfoCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

  // "Active(anon)" -> "node_memory_Active_anon_bytes"; fields without a unit get no suffix.
  static std::string MetricName(std::string_view key, bool has_unit);

 private:
  procfs::FileReader meminfo_file_;
  std::vector<procfs::MeminfoEntry> entries_;
};

}  // namespace vitals::collectors
