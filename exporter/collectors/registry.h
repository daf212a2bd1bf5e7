// The explicit list of collectors (all_collectors.inc) and what each one brings with
// it: name, default state, factory, and its own configuration (YAML keys and reader,
// command-line settings, defaults). server/config.cc, server/flags.cc and
// server/reload.cc are loops over this list; no collector is named there.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "collectors/collector.h"
#include "collectors/options.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace vitals::collectors {

// A --collector.<name>.<setting> flag. `apply` gets the collector's options and the
// flag's value; its failure message follows "--<flag>: ".
struct FlagSetting {
  std::string_view flag;        // e.g. "collector.filesystem.mount-timeout"
  std::string_view value_name;  // REGEX, DURATION, PATH: for --help.
  std::string_view help;
  Status (*apply)(AnyOptions& options, std::string_view value);
  // An "-include" flag refused together with its "-exclude" (node_exporter's device
  // filters); systemd's unit-include and unit-exclude combine.
  bool exclusive_with_exclude = true;
  // Given more than once, the values reach `apply` joined by newlines (textfile's
  // directories); otherwise the last one wins.
  bool repeatable = false;
};

// What a top-level section (processes:, ports:, ...) said about turning its collector on.
struct SectionOutcome {
  bool has_content = false;          // Groups, ports, targets: turns the collector on...
  std::optional<bool> enabled = {};  // ...unless `enabled:` says otherwise.
};

// Readers throw yaml_input::Error at the offending node.
using SettingsReader = void (*)(const YAML::Node& node, const std::string& where,
                                AnyOptions& options);
using SectionsReader = SectionOutcome (*)(const YAML::Node& root, AnyOptions& options);
using Factory = std::unique_ptr<Collector> (*)(const Paths& paths, const CollectorOptions& options);

struct CollectorSpec {
  std::string_view name;
  bool enabled_by_default = false;
  std::string_view description = {};
  Factory make = nullptr;
  // Options; a collector without them leaves the rest empty.
  AnyOptions (*defaults)() = nullptr;
  // Keys under collectors.<name> besides `enabled`, read by read_settings.
  std::span<const std::string_view> settings_keys = {};
  SettingsReader read_settings = nullptr;
  // Top-level sections this collector owns, read by read_sections from the root.
  std::span<const std::string_view> sections = {};
  SectionsReader read_sections = nullptr;
  std::span<const FlagSetting> flags = {};
  // Other collectors whose options `make` reads (gpu reads processes' groups): a change
  // to those rebuilds this collector on reload too.
  std::span<const std::string_view> reads_options_of = {};
  // Runs after every other collector in a scrape, so it sees their families (textfile
  // refuses a file that would publish one of them again).
  bool runs_last = false;
};

// The factory of a collector that needs only the paths.
template <typename T>
std::unique_ptr<Collector> MakeWithPaths(const Paths& paths, const CollectorOptions& /*options*/) {
  return std::make_unique<T>(paths);
}

std::span<const CollectorSpec* const> AllCollectors();
const CollectorSpec* FindCollector(std::string_view name);

// Whether a running collector may be kept across a reload instead of being rebuilt:
// true when its options (and those it reads) are equal before and after. Keeping the
// instance keeps its state: process-group counters, probe failure counts and last
// success times, the ports owner cache.
bool SameOptions(const CollectorSpec& spec, const CollectorOptions& before,
                 const CollectorOptions& after);

}  // namespace vitals::collectors
