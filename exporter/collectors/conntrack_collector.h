// conntrack: node_nf_conntrack_entries and _entries_limit from
// /proc/sys/net/netfilter/nf_conntrack_{count,max}, and node_nf_conntrack_stat_* summed
// over the CPUs of /proc/net/stat/nf_conntrack.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class ConntrackCollector : public Collector {
 public:
  explicit ConntrackCollector(const Paths& paths);
  // Without the nf_conntrack module (its files absent while --path.procfs exists)
  // nothing is published and the collector succeeds; without only the per-CPU
  // statistics file, the entries and the limit are published. A missing
  // --path.procfs, an unreadable or malformed file fails.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader count_file_;
  procfs::FileReader max_file_;
  procfs::FileReader stat_file_;
};

}  // namespace vitals::collectors
