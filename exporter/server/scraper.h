// Runs the enabled collectors for one scrape and renders the exposition text.
// Scrapes are serialized by a mutex: collectors keep reusable buffers, and every
// response is built from one complete pass, never from half-updated state.
// ScrapeText runs on one dedicated thread: the HTTP worker pool is large (so slow
// clients cannot take every worker), and a scrape on each of them would leave its stack
// depth and malloc cache resident in every worker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
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
  collectors::Families Collect(Deadline deadline = std::nullopt);
  // Collect() rendered in the Prometheus text format 0.0.4, on the scrape thread.
  std::string ScrapeText(Deadline deadline = std::nullopt);
  std::vector<std::string> Names() const;
  // The running instance called `name`, or null; for tests (identity across a reload).
  const collectors::Collector* Find(std::string_view name) const;

  // Swaps in a new collector set between two scrapes (configuration reload): a scrape in
  // flight finishes with the old set and every later scrape sees only the new one. An
  // entry whose `collector` is null takes over the running instance of that name, so its
  // state (e.g. process-group counters) carries on; without one the entry is dropped.
  // Build the new collectors before calling: this holds the scrape lock only to swap.
  void Replace(std::vector<NamedCollector> next);

  // The outcome of a reload attempt, published on every scrape as
  // vitals_config_last_reload_successful and, on success, as
  // vitals_config_last_reload_success_timestamp_seconds. Until the first reload: 1 and
  // the time the Scraper was made (process start), as Prometheus does.
  void RecordReload(bool success,
                    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

 private:
  void AppendReloadStatus(collectors::Families& out) const;

  mutable std::mutex mutex_;  // The scrape lock.
  std::vector<NamedCollector> collectors_;
  // Guards the fields below only, so the landing page and the reload status never wait
  // for a scrape in flight.
  mutable std::mutex status_mutex_;
  std::vector<std::string> names_;  // Of collectors_, in order.
  bool last_reload_successful_ = true;
  double last_reload_success_seconds_ = 0;

  void RunScrapeThread();

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
