// ipvs: node_ipvs_* from /proc/net/ip_vs_stats (totals) and /proc/net/ip_vs (per
// backend), node_exporter 1.5's ipvs collector.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

struct IpvsOptions {
  // The backend labels, a subset of kIpvsBackendLabels in that order
  // (--collector.ipvs.backend-labels). Backends with equal values of these labels are
  // summed into one sample.
  std::vector<std::string> backend_labels = {"local_address", "local_port", "remote_address",
                                             "remote_port",   "proto",      "local_mark"};

  bool operator==(const IpvsOptions&) const = default;
};

// node_exporter's order of the labels.
inline constexpr std::string_view kIpvsBackendLabels[] = {
    "local_address", "local_port", "remote_address", "remote_port", "proto", "local_mark"};

// node_exporter's parseIpvsLabels: a comma-separated list; empty items ignored, the
// known ones kept in kIpvsBackendLabels' order, any other fails naming it.
Result<std::vector<std::string>> ParseIpvsBackendLabels(std::string_view list);

class IpvsCollector : public Collector {
 public:
  IpvsCollector(const Paths& paths, const IpvsOptions& options);
  // Without IPVS (no net/ip_vs_stats while --path.procfs exists) nothing is published
  // and the collector succeeds (node_exporter: "no data", unsuccessful). A malformed
  // ip_vs_stats fails; a missing or malformed ip_vs fails after the totals, as in
  // node_exporter.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  IpvsOptions options_;
  procfs::FileReader stats_file_;
  procfs::FileReader backends_file_;
};

}  // namespace vitals::collectors
