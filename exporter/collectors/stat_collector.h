// stat: boot time, context switches, forks, interrupts and runnable/blocked tasks
// from /proc/stat.
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class StatCollector : public Collector {
 public:
  explicit StatCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader stat_file_;
};

}  // namespace vitals::collectors
