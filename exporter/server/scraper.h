// Runs the enabled collectors for one scrape and renders the exposition text.
// Scrapes are serialized by a mutex: collectors keep reusable buffers, and every
// response is built from one complete pass, never from half-updated state.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/registry.h"

namespace vitals::server {

struct NamedCollector {
  std::string name;
  std::unique_ptr<collectors::Collector> collector;
  std::string last_error;  // Logged once per distinct failure, not every scrape.
};

class Scraper {
 public:
  explicit Scraper(std::vector<NamedCollector> collectors);

  // All families of one scrape, including vitals_scrape_collector_* and build info.
  // `deadline`: when the answer is due (from Prometheus's scrape timeout), if known;
  // collectors that wait on the network (probes) stop there.
  collectors::Families Collect(collectors::Deadline deadline = std::nullopt);
  // Collect() rendered in the Prometheus text format 0.0.4.
  std::string ScrapeText(collectors::Deadline deadline = std::nullopt);
  std::vector<std::string> Names() const;

 private:
  std::mutex mutex_;
  std::vector<NamedCollector> collectors_;
};

// Builds collectors for `names` (each must exist in the registry).
std::vector<NamedCollector> MakeCollectors(const std::vector<std::string>& names,
                                           const collectors::Paths& paths,
                                           const collectors::CollectorOptions& options);

}  // namespace vitals::server
