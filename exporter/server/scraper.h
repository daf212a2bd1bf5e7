// Runs the enabled collectors for one scrape and renders the exposition text.
// Scrapes are serialized by a mutex: collectors keep reusable buffers, and every
// response is built from one complete pass, never from half-updated state.
// ScrapeText runs on one dedicated thread: the HTTP worker pool is large (so slow
// clients cannot take every worker), and a scrape on each of them would leave its stack
// depth and malloc cache resident in every worker.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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
  ~Scraper();
  Scraper(const Scraper&) = delete;
  Scraper& operator=(const Scraper&) = delete;

  // All families of one scrape, including vitals_scrape_collector_* and build info.
  // `deadline`: when the answer is due (from Prometheus's scrape timeout), if known;
  // collectors that wait on the network (probes) stop there.
  collectors::Families Collect(collectors::Deadline deadline = std::nullopt);
  // Collect() rendered in the Prometheus text format 0.0.4, on the scrape thread.
  std::string ScrapeText(collectors::Deadline deadline = std::nullopt);
  std::vector<std::string> Names() const;

 private:
  void RunScrapeThread();

  std::mutex mutex_;
  std::vector<NamedCollector> collectors_;

  // Jobs for the scrape thread, started on the first ScrapeText.
  std::mutex jobs_mutex_;
  std::condition_variable jobs_ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread scrape_thread_;
};

// Builds collectors for `names` (each must exist in the registry).
std::vector<NamedCollector> MakeCollectors(const std::vector<std::string>& names,
                                           const collectors::Paths& paths,
                                           const collectors::CollectorOptions& options);

}  // namespace vitals::server
