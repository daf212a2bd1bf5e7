// time: node_time_seconds, the time zone offset and the kernel's clocksources
// (/sys/devices/system/clocksource).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class TimeCollector : public Collector {
 public:
  explicit TimeCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  void AddClocksources(Families& out);

  std::string clocksource_dir_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
