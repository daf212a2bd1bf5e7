// bonding: node_bonding_slaves{master} and node_bonding_active{master} from the bonding
// driver's files in /sys/class/net, node_exporter 1.5's bonding collector.
#pragma once

#include <string>

#include "collectors/collector.h"

namespace vitals::collectors {

class BondingCollector : public Collector {
 public:
  explicit BondingCollector(const Paths& paths);
  // Without the bonding driver (no class/net/bonding_masters while --path.sysfs
  // exists) nothing is published and the collector succeeds (node_exporter: "no data",
  // unsuccessful). A master whose slaves or a slave's mii_status cannot be read (a
  // slave removed mid-scrape, EIO) is left out and the others published, successfully
  // (node_exporter fails the whole collector).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_net_;
};

}  // namespace vitals::collectors
