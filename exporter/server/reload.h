// Configuration reload (SIGHUP, POST /-/reload): the config file is read, checked and
// turned into collectors off the scrape lock; only a fully valid result is swapped in,
// so a bad file leaves the running configuration untouched. Flags (listen addresses,
// paths, --collector.* switches and settings) are not re-read: they are applied again
// on top of the new file, as at start.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "collectors/probes_collector.h"
#include "collectors/registry.h"
#include "server/config.h"
#include "server/flags.h"
#include "server/scraper.h"

namespace vitals::server {

// Whether a running collector may be kept across a reload instead of being rebuilt:
// true when its options, and those of other collectors it reads, are equal before and
// after (collectors/registry.h: SameOptions; regexes and name templates compare by
// their source text). Keeping the instance keeps its state: the process-group counters
// of an unchanged processes: section, the consecutive failures and last success times
// of an unchanged probes: section, the owner cache of an unchanged ports: section.
bool CanKeepCollector(std::string_view name, const collectors::CollectorOptions& before,
                      const collectors::CollectorOptions& after);

class Reloader {
 public:
  using ProbesSink = std::function<void(const collectors::ProbesOptions&)>;

  // `config` is the configuration `scraper` was built from at start.
  Reloader(Flags flags, Config config, Scraper& scraper);

  // Receives /probe's modules and allowed_targets after every successful reload; called
  // once at once with the current ones.
  void SetProbesSink(ProbesSink sink);

  // Re-reads --config.file. On success swaps the new collectors into the scraper and
  // returns Ok; on failure keeps everything as it was, logs the error ("file:line:col:
  // message" for file errors) and returns it. Either way the outcome is recorded for
  // vitals_config_last_reload_*. Reloads are serialized.
  Status Reload();

 private:
  struct Prepared {
    Config config;
    std::vector<std::string> enabled;
    std::vector<NamedCollector> collectors;  // Null collector: keep the running one.
  };
  Result<Prepared> Prepare() const;

  std::mutex mutex_;
  const Flags flags_;
  Config config_;
  std::vector<std::string> enabled_;
  Scraper& scraper_;
  ProbesSink probes_sink_;
};

}  // namespace vitals::server
