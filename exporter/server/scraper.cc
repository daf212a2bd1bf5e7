#include "server/scraper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <future>

#include "collectors/metric_builder.h"
#include "collectors/regex.h"
#include "collectors/registry.h"
#include "server/exposition.h"
#include "server/version.h"

namespace vitals::server {
namespace {

using collectors::AddFamily;
using collectors::AddSample;
using collectors::Families;
using collectors::kGauge;

Status RunCollector(NamedCollector& named, const ScrapeContext& context, Families& out) {
  try {
    return named.collector->Collect(context, out);
  } catch (const std::exception& e) {
    return Status::Fail(std::string("unexpected exception: ") + e.what());
  } catch (...) {
    return Status::Fail("unexpected non-standard exception");
  }
}

void LogOutcome(NamedCollector& named, const Status& status) {
  if (status.ok()) {
    if (!named.last_error.empty()) spdlog::info("collector {} recovered", named.name);
    named.last_error.clear();
  } else if (status.message() != named.last_error) {
    spdlog::warn("collector {} failed: {}", named.name, status.message());
    named.last_error = status.message();
  }
}

// Runs `fn` when it goes out of scope.
template <typename Fn>
class ScopeExit {
 public:
  explicit ScopeExit(Fn fn) : fn_(std::move(fn)) {}
  ~ScopeExit() { fn_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  Fn fn_;
};

std::vector<std::string> NamesOf(const std::vector<NamedCollector>& collectors) {
  std::vector<std::string> names;
  for (const auto& named : collectors) names.push_back(named.name);
  return names;
}

// Looks the specs up once per collector set, not on every scrape.
std::vector<NamedCollector> MarkRunsLast(std::vector<NamedCollector> collectors) {
  for (auto& named : collectors) {
    const auto* spec = collectors::FindCollector(named.name);
    named.runs_last = spec != nullptr && spec->runs_last;
  }
  return collectors;
}

}  // namespace

Scraper::Scraper(std::vector<NamedCollector> collectors)
    : collectors_(MarkRunsLast(std::move(collectors))), names_(NamesOf(collectors_)) {
  RecordReload(true);
}

Scraper::~Scraper() {
  {
    std::lock_guard lock(jobs_mutex_);
    stopping_ = true;
  }
  jobs_ready_.notify_all();
  if (scrape_thread_.joinable()) scrape_thread_.join();
}

void Scraper::RunScrapeThread() {
  std::unique_lock lock(jobs_mutex_);
  while (true) {
    jobs_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // Stopping, and every queued scrape has been answered.
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

std::vector<std::string> Scraper::Names() const {
  std::lock_guard lock(status_mutex_);
  return names_;
}

const collectors::Collector* Scraper::Find(std::string_view name) const {
  std::lock_guard lock(mutex_);
  for (const auto& named : collectors_) {
    if (named.name == name) return named.collector.get();
  }
  return nullptr;
}

Families Scraper::Collect(Deadline deadline) {
  std::lock_guard lock(mutex_);
  const ScrapeContext context{deadline};
  Families out;
  Families health;
  auto& duration = AddFamily(health, "vitals_scrape_collector_duration_seconds",
                             "vitals_exporter: Duration of a collector scrape.", kGauge);
  auto& success = AddFamily(health, "vitals_scrape_collector_success",
                            "vitals_exporter: Whether a collector succeeded.", kGauge);
  // Two passes: the collectors that run last (they read what the others published).
  for (const bool last : {false, true}) {
    for (auto& named : collectors_) {
      if (named.runs_last != last) continue;
      const auto start = std::chrono::steady_clock::now();
      const Status status = RunCollector(named, context, out);
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      LogOutcome(named, status);
      AddSample(duration, elapsed.count(), {{"collector", named.name}});
      AddSample(success, status.ok() ? 1 : 0, {{"collector", named.name}});
    }
  }
  AddSample(AddFamily(health, "vitals_build_info",
                      "A metric with a constant '1' value labeled by version and revision from "
                      "which vitals_exporter was built.",
                      kGauge),
            1, {{"revision", kRevision}, {"version", kVersion}});
  auto& regex_errors = AddFamily(
      health, "vitals_regex_match_errors_total",
      "vitals_exporter: Regular expression matches the engine gave up on (the text counted as "
      "not matching), by reason.",
      collectors::kCounter);
  const auto counts = collectors::RegexErrorCounts();
  for (size_t i = 0; i < counts.size(); ++i) {
    AddSample(regex_errors, static_cast<double>(counts[i]),
              {{"reason", std::string(collectors::kRegexErrorReasons[i])}});
  }
  AppendReloadStatus(health);
  std::move(health.begin(), health.end(), std::back_inserter(out));
  // A family without samples would only add HELP/TYPE noise.
  std::erase_if(out, [](const auto& family) { return family.metric.empty(); });
  return out;
}

void Scraper::Replace(std::vector<NamedCollector> next) {
  {
    std::lock_guard lock(mutex_);
    for (auto& entry : next) {
      if (entry.collector != nullptr) continue;
      for (auto& running : collectors_) {
        if (running.name == entry.name && running.collector != nullptr) {
          entry = std::move(running);
          break;
        }
      }
    }
    std::erase_if(next, [](const auto& entry) { return entry.collector == nullptr; });
    next = MarkRunsLast(std::move(next));
    collectors_.swap(next);
    {
      std::lock_guard status_lock(status_mutex_);
      names_ = NamesOf(collectors_);
    }
    std::lock_guard jobs_lock(jobs_mutex_);
    ++generation_;  // A scrape of the old set, finished or not, is not joined any more.
  }
  // `next` now holds the replaced collectors; they are destroyed here, off the lock.
}

void Scraper::RecordReload(bool success, std::chrono::system_clock::time_point when) {
  std::lock_guard lock(status_mutex_);
  last_reload_successful_ = success;
  if (success) {
    last_reload_success_seconds_ = std::chrono::duration<double>(when.time_since_epoch()).count();
  }
}

void Scraper::AppendReloadStatus(Families& out) const {
  std::lock_guard lock(status_mutex_);
  AddSample(AddFamily(out, "vitals_config_last_reload_successful",
                      "vitals_exporter: Whether the last configuration reload attempt was "
                      "successful.",
                      kGauge),
            last_reload_successful_ ? 1 : 0);
  AddSample(
      AddFamily(out, "vitals_config_last_reload_success_timestamp_seconds",
                "vitals_exporter: Timestamp of the last successful configuration reload.", kGauge),
      last_reload_success_seconds_);
}

const std::string& ScrapeOutput::Compressed(
    const std::function<std::string(std::string_view)>& compress) const {
  std::call_once(compressed_once_, [&] { compressed_ = compress(text_); });
  return compressed_;
}

std::shared_ptr<const ScrapeOutput> Scraper::Scrape(Deadline deadline) {
  std::shared_future<std::shared_ptr<const ScrapeOutput>> result;
  {
    std::lock_guard lock(jobs_mutex_);
    if (current_ && current_->generation == generation_) {
      result = current_->result;
    } else {
      const uint64_t generation = generation_;
      // Shared with the job, so the scrape thread never touches a task this call freed.
      auto task = std::make_shared<std::packaged_task<std::shared_ptr<const ScrapeOutput>()>>(
          [this, deadline, generation] {
            // On the way out, even by an exception, and before the answer is handed
            // out: from then on callers start a fresh scrape (so one who got this answer
            // and asks again never gets it twice), unless a newer one took its place.
            const ScopeExit done([this, generation] {
              std::lock_guard done_lock(jobs_mutex_);
              if (current_ && current_->generation == generation) current_.reset();
            });
            const Families families = Collect(deadline);
            std::string text;
            text.reserve(size_t{64} * 1024);
            AppendExposition(families, text);
            return std::make_shared<const ScrapeOutput>(std::move(text));
          });
      result = task->get_future().share();
      current_ = Shared{result, generation};
      if (!scrape_thread_.joinable()) scrape_thread_ = std::thread([this] { RunScrapeThread(); });
      jobs_.emplace_back([task] { (*task)(); });
    }
  }
  jobs_ready_.notify_one();
  return result.get();
}

std::vector<NamedCollector> MakeCollectors(const std::vector<std::string>& names,
                                           const collectors::Paths& paths,
                                           const collectors::CollectorOptions& options) {
  std::vector<NamedCollector> made;
  for (const auto& name : names) {
    const auto* spec = collectors::FindCollector(name);
    if (spec != nullptr) made.push_back({name, spec->make(paths, options), {}});
  }
  return made;
}

}  // namespace vitals::server
