// arp: node_arp_entries{device}, the number of /proc/net/arp entries per interface
// (node_exporter 1.5 reads the file; netlink came in 1.6), with its device filter.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/file_reader.h"
#include "procfs/net_arp.h"

namespace vitals::collectors {

struct ArpOptions {
  DeviceFilter devices;  // --collector.arp.device-include / -exclude.

  bool operator==(const ArpOptions&) const = default;
};

class ArpCollector : public Collector {
 public:
  ArpCollector(const Paths& paths, const ArpOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  ArpOptions options_;
  procfs::FileReader arp_file_;
  std::vector<procfs::ArpEntry> entries_;
  std::vector<std::pair<std::string_view, uint32_t>> counts_;  // Per device, reused.
};

}  // namespace vitals::collectors
