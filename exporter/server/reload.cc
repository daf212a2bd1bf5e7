#include "server/reload.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "base/text.h"

namespace vitals::server {
namespace {

bool Contains(const std::vector<std::string>& items, std::string_view item) {
  return std::ranges::find(items, item) != items.end();
}

}  // namespace

bool CanKeepCollector(std::string_view name, const collectors::CollectorOptions& before,
                      const collectors::CollectorOptions& after) {
  const auto* spec = collectors::FindCollector(name);
  return spec != nullptr && collectors::SameOptions(*spec, before, after);
}

Reloader::Reloader(Flags flags, Config config, Scraper& scraper)
    : flags_(std::move(flags)),
      config_(std::move(config)),
      enabled_(EnabledCollectors(flags_, config_)),
      scraper_(scraper) {}

void Reloader::SetProbesSink(ProbesSink sink) {
  std::lock_guard lock(mutex_);
  probes_sink_ = std::move(sink);
  if (probes_sink_) probes_sink_(config_.collector_options.Get<collectors::ProbesOptions>());
}

Result<Reloader::Prepared> Reloader::Prepare() const {
  Prepared next;
  if (flags_.config_file) {
    auto loaded = LoadConfigFile(*flags_.config_file);
    if (!loaded.ok()) return Error{loaded.error()};
    next.config = std::move(*loaded);
  }
  if (auto status = ApplyCollectorSettings(flags_, next.config); !status.ok()) {
    return Error{status.message()};
  }
  next.enabled = EnabledCollectors(flags_, next.config);
  const auto& options = next.config.collector_options;
  for (const auto& name : next.enabled) {
    if (Contains(enabled_, name) && CanKeepCollector(name, config_.collector_options, options)) {
      next.collectors.push_back({name, nullptr, {}});
      continue;
    }
    const auto* spec = collectors::FindCollector(name);
    if (spec == nullptr) return Error{"unknown collector '" + name + "'"};
    try {
      next.collectors.push_back({name, spec->make(flags_.paths, options), {}});
    } catch (const std::exception& e) {
      return Error{"collector " + name + ": " + e.what()};
    }
  }
  return next;
}

Status Reloader::Reload() {
  std::lock_guard lock(mutex_);
  auto next = Prepare();
  if (!next.ok()) {
    spdlog::error("configuration reload failed, keeping the previous configuration: {}",
                  next.error());
    scraper_.RecordReload(false);
    return Status::Fail(next.error());
  }
  scraper_.Replace(std::move(next->collectors));
  if (probes_sink_) probes_sink_(next->config.collector_options.Get<collectors::ProbesOptions>());
  config_ = std::move(next->config);
  enabled_ = std::move(next->enabled);
  scraper_.RecordReload(true);
  spdlog::info("configuration reloaded from \"{}\"; enabled collectors: {}", config_.source,
               Join(enabled_));
  return Status::Ok();
}

}  // namespace vitals::server
