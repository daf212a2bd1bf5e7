// stat: boot time, context switches, forks, interrupts and runnable/blocked tasks
// from /proc/stat; softirqs per vector with the softirq option.
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

struct StatOptions {
  bool softirq = false;  // node_softirqs_total{vector} (--collector.stat.softirq).

  bool operator==(const StatOptions&) const = default;
};

class StatCollector : public Collector {
 public:
  explicit StatCollector(const Paths& paths, StatOptions options = {});
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader stat_file_;
  StatOptions options_;
};

}  // namespace vitals::collectors
