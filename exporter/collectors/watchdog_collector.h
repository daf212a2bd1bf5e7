// watchdog: node_watchdog_* per watchdog timer in /sys/class/watchdog, with the names of
// upstream node_exporter's later watchdog collector (1.6 and later; node_exporter 1.5
// has none, so there is no peer to compare with). Off by default, as there.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class WatchdogCollector : public Collector {
 public:
  explicit WatchdogCollector(const Paths& paths);
  // Without watchdogs (no class/watchdog while --path.sysfs exists) nothing is
  // published and the collector succeeds. A missing, unreadable or malformed attribute
  // skips that sample (an empty info label for text ones).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_dir_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
