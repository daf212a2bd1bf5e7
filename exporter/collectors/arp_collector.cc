#include "collectors/arp_collector.h"

#include <algorithm>
#include <string>

#include "collectors/metric_builder.h"

namespace vitals::collectors {

ArpCollector::ArpCollector(const Paths& paths, const ArpOptions& options)
    : options_(options), arp_file_(procfs::JoinPath(paths.procfs, "net/arp")) {}

Status ArpCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = arp_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseArp(*text, entries_); !parsed.ok()) {
    return Status::Fail(arp_file_.path() + ": " + parsed.message());
  }
  counts_.clear();
  for (const auto& entry : entries_) {
    auto it = std::find_if(counts_.begin(), counts_.end(),
                           [&](const auto& count) { return count.first == entry.device; });
    if (it == counts_.end()) {
      counts_.emplace_back(entry.device, 1);
    } else {
      ++it->second;
    }
  }
  // Sorted by device, as node_exporter's output is.
  std::sort(counts_.begin(), counts_.end());
  // No family without a sample, as in node_exporter.
  prometheus::MetricFamily* family = nullptr;
  for (const auto& [device, count] : counts_) {
    if (options_.devices.Ignored(device)) continue;
    if (family == nullptr) {
      family = &AddFamily(out, "node_arp_entries", "ARP entries by device", kGauge);
    }
    AddSample(*family, count, {{"device", device}});
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
