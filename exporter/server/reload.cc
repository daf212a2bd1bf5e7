#include "server/reload.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <exception>

namespace vitals::server {
namespace {

using collectors::CollectorOptions;
using collectors::ProcessesOptions;
using collectors::ProcessGroupSpec;
using collectors::Regex;

// If a field is added to these structs, SameProcessesOptions() must compare it too;
// the size check makes the compiler point here (x86-64 / aarch64 layouts).
static_assert(sizeof(void*) != 8 || sizeof(ProcessesOptions) == 32,
              "ProcessesOptions changed: update SameProcessesOptions()");
static_assert(sizeof(void*) != 8 || sizeof(ProcessGroupSpec) == 136,
              "ProcessGroupSpec changed: update SameProcessesOptions()");

// Collectors whose factory takes no options: a running instance is always up to date.
constexpr std::array<std::string_view, 6> kWithoutOptions = {"cpu",  "loadavg", "meminfo",
                                                             "stat", "time",    "uname"};

bool SameRegexes(const std::vector<Regex>& a, const std::vector<Regex>& b) {
  return std::ranges::equal(
      a, b, [](const Regex& x, const Regex& y) { return x.pattern() == y.pattern(); });
}

bool SameGroup(const ProcessGroupSpec& a, const ProcessGroupSpec& b) {
  return a.name.text() == b.name.text() && a.comm == b.comm && a.exe == b.exe &&
         SameRegexes(a.cmdline, b.cmdline) && a.per_pid == b.per_pid && a.max_pids == b.max_pids;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

bool Contains(const std::vector<std::string>& items, std::string_view item) {
  return std::ranges::find(items, item) != items.end();
}

}  // namespace

bool SameProcessesOptions(const ProcessesOptions& a, const ProcessesOptions& b) {
  return a.children == b.children && a.recheck == b.recheck && a.max_groups == b.max_groups &&
         std::ranges::equal(a.groups, b.groups, SameGroup);
}

bool CanKeepCollector(std::string_view name, const CollectorOptions& before,
                      const CollectorOptions& after) {
  if (std::ranges::find(kWithoutOptions, name) != kWithoutOptions.end()) return true;
  if (name == "processes") return SameProcessesOptions(before.processes, after.processes);
  return false;
}

Reloader::Reloader(Flags flags, Config config, Scraper& scraper)
    : flags_(std::move(flags)),
      config_(std::move(config)),
      enabled_(EnabledCollectors(flags_, config_)),
      scraper_(scraper) {}

void Reloader::SetProbesSink(ProbesSink sink) {
  std::lock_guard lock(mutex_);
  probes_sink_ = std::move(sink);
  if (probes_sink_) probes_sink_(config_.collector_options.probes);
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
  if (probes_sink_) probes_sink_(next->config.collector_options.probes);
  config_ = std::move(next->config);
  enabled_ = std::move(next->enabled);
  scraper_.RecordReload(true);
  spdlog::info("configuration reloaded from \"{}\"; enabled collectors: {}", config_.source,
               Join(enabled_));
  return Status::Ok();
}

}  // namespace vitals::server
