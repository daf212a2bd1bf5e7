// schedstat: node_schedstat_{running_seconds,waiting_seconds,timeslices}_total per CPU
// from /proc/schedstat.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class SchedstatCollector : public Collector {
 public:
  explicit SchedstatCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader file_;
};

}  // namespace vitals::collectors
