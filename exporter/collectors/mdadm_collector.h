// mdadm: node_md_* from /proc/mdstat, node_exporter 1.5's mdadm collector (the
// node-mixin's RAID alerts read node_md_state and node_md_disks{state="failed"}).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class MdadmCollector : public Collector {
 public:
  explicit MdadmCollector(const Paths& paths);
  // Without md support (no mdstat while --path.procfs exists) nothing is published
  // and the collector succeeds (node_exporter reports it unsuccessful, as "no data").
  // A missing --path.procfs, an unreadable or malformed mdstat fails, publishing
  // nothing, as node_exporter does.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader mdstat_file_;
};

}  // namespace vitals::collectors
