// Runs the enabled collectors for one scrape and renders the exposition text.
// Scrapes are serialized by a mutex: collectors keep reusable buffers, and every
// response is built from one complete pass, never from half-updated state.
// Scrape() runs on one dedicated thread: the HTTP worker pool is large (so slow
// clients cannot take every worker), and a scrape on each of them would leave its stack
// depth and malloc cache resident in every worker.
// Concurrent requests share one collection: a request that arrives while a scrape is
// running (or about to) gets that scrape's text, so ten scrapers cost one collection
// and none waits behind the others' (a 2 s probe target made the tenth wait 20 s).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "collectors/collector.h"
#include "collectors/registry.h"

namespace vitals::server {

// One rendered scrape, shared by every request that joined it.
class ScrapeOutput {
 public:
  explicit ScrapeOutput(std::string text) : text_(std::move(text)) {}
  const std::string& text() const { return text_; }
  // The text compressed by `compress`, computed once for all requests that want it.
  const std::string& Compressed(const std::function<std::string(std::string_view)>& compress) const;

 private:
  std::string text_;
  mutable std::once_flag compressed_once_;
  mutable std::string compressed_;
};

struct NamedCollector {
  std::string name;
  std::unique_ptr<collectors::Collector> collector;
  std::string last_error;  // Logged once per distinct failure, not every scrape.
  bool runs_last = false;  // Its CollectorSpec's runs_last, looked up once per set.
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
  // Collect() rendered in the Prometheus text format 0.0.4, on the scrape thread; the
  // scrape in progress when the call arrives, if any, else a new one. A scrape started
  // before the last Replace() is never joined.
  std::shared_ptr<const ScrapeOutput> Scrape(Deadline deadline = std::nullopt);
  std::string ScrapeText(Deadline deadline = std::nullopt) { return Scrape(deadline)->text(); }
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

  // Jobs for the scrape thread, started on the first Scrape.
  struct Shared {
    std::shared_future<std::shared_ptr<const ScrapeOutput>> result;
    uint64_t generation = 0;
  };
  std::mutex jobs_mutex_;
  std::optional<Shared> current_;  // The scrape queued or running, which callers join.
  uint64_t generation_ = 0;        // Of the collector set; bumped by Replace().
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
