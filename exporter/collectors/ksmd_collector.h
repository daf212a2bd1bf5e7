// ksmd: node_ksmd_* from /sys/kernel/mm/ksm, node_exporter 1.5's ksmd collector (off
// by default): the kernel same-page merging daemon's counters and settings.
#pragma once

#include <string>

#include "collectors/collector.h"

namespace vitals::collectors {

class KsmdCollector : public Collector {
 public:
  explicit KsmdCollector(const Paths& paths);
  // Reads the nine files in node_exporter's order; the first that is missing (a kernel
  // without CONFIG_KSM, or without NUMA for merge_across_nodes) or not an unsigned
  // decimal fails the collector, keeping the values before it, as node_exporter does.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string ksm_dir_;
};

}  // namespace vitals::collectors
