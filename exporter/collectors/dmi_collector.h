// dmi: node_dmi_info, the firmware's identification strings as labels, from
// /sys/class/dmi/id (read once: they change only with a reboot).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "collectors/collector.h"

namespace vitals::collectors {

class DmiCollector : public Collector {
 public:
  explicit DmiCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string dmi_dir_;
  std::optional<std::map<std::string, std::string>> labels_;  // after the first good read
};

}  // namespace vitals::collectors
