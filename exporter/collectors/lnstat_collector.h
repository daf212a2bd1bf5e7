// lnstat: node_lnstat_<counter>_total{subsystem,cpu} from every /proc/net/stat/* file,
// node_exporter 1.5's lnstat collector (off by default).
#pragma once

#include <string>

#include "collectors/collector.h"

namespace vitals::collectors {

class LnstatCollector : public Collector {
 public:
  explicit LnstatCollector(const Paths& paths);
  // No /proc/net/stat (while --path.procfs exists) publishes nothing and succeeds, as
  // node_exporter does (it also succeeds under a wrong --path.procfs; vitals fails
  // there, like its other collectors). A file that cannot be opened or does not parse
  // fails the collector and publishes nothing; a directory there is skipped.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  std::string stat_dir_;
};

}  // namespace vitals::collectors
