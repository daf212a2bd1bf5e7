// The thresholds collector's configuration: the thresholds: section, red and amber
// levels per resource with per-object overrides, checked in order.
#include <array>
#include <cmath>
#include <set>
#include <sstream>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/thresholds_collector.h"

namespace vitals::collectors {
namespace {

using yaml_input::CheckKeys;
using yaml_input::Describe;
using yaml_input::Error;
using yaml_input::ExpectMap;
using yaml_input::UniqueKey;

// thresholds: {<resource>: {amber, red, <mountpoints|groups|targets>: {name: {amber, red}}}}

std::string Number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

const char* UnitName(ThresholdUnit unit) {
  switch (unit) {
    case ThresholdUnit::kRatio:
      return "ratio";
    case ThresholdUnit::kSeconds:
      return "seconds";
    case ThresholdUnit::kDays:
      return "days";
    case ThresholdUnit::kCelsius:
      return "degrees Celsius";
  }
  return "units";
}

double AsThreshold(const YAML::Node& node, const std::string& key, const ThresholdKind& kind) {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
    throw Error(node.Mark(), key + " must be a number, got " + Describe(node));
  }
  if (kind.unit == ThresholdUnit::kRatio && (value < 0 || value > 1)) {
    throw Error(node.Mark(),
                key + " must be a ratio from 0 to 1 (0.9 = 90 %), got " + Describe(node));
  }
  if (kind.unit != ThresholdUnit::kRatio && value <= 0) {
    throw Error(node.Mark(), key + " must be a positive number of " + UnitName(kind.unit) +
                                 ", got " + Describe(node));
  }
  return value;
}

// Reads amber/red from `node`; `inherited` is what applies where a level is not set
// (the host's value or the default), so the effective pair is checked in order.
ThresholdLevels ReadLevels(const YAML::Node& node, const std::string& where,
                           const ThresholdKind& kind, const ThresholdLevels& inherited) {
  ThresholdLevels levels;
  if (node["amber"]) levels.amber = AsThreshold(node["amber"], where + ".amber", kind);
  if (node["red"]) levels.red = AsThreshold(node["red"], where + ".red", kind);
  const double amber = levels.amber.value_or(*inherited.amber);
  const double red = levels.red.value_or(*inherited.red);
  const bool ordered = kind.lower_is_worse ? red < amber : amber < red;
  if (!ordered) {
    const auto origin = [](const std::optional<double>& own) {
      return own ? std::string() : std::string(", inherited");
    };
    throw Error(node.Mark(), where + ": amber (" + Number(amber) + origin(levels.amber) +
                                 ") must be " + (kind.lower_is_worse ? "above" : "below") +
                                 " red (" + Number(red) + origin(levels.red) + ")");
  }
  return levels;
}

void ReadThresholdResource(const YAML::Node& node, const std::string& where,
                           ThresholdResource& resource) {
  const ThresholdKind& kind = *resource.kind;
  ExpectMap(node, where);
  if (kind.objects_key.empty()) {
    CheckKeys(node, where, {"amber", "red"});
  } else {
    CheckKeys(node, where, {"amber", "red", kind.objects_key});
  }
  resource.host = ReadLevels(node, where, kind, {kind.default_amber, kind.default_red});
  const ThresholdLevels host = {resource.host.amber.value_or(kind.default_amber),
                                resource.host.red.value_or(kind.default_red)};
  if (kind.objects_key.empty()) return;
  const YAML::Node objects = node[std::string(kind.objects_key)];
  if (!objects) return;
  const std::string objects_where = where + "." + std::string(kind.objects_key);
  ExpectMap(objects, objects_where);
  std::set<std::string> seen;
  for (const auto& item : objects) {
    const std::string name = UniqueKey(item.first, objects_where, seen);
    const std::string item_where = objects_where + "." + name;
    if (name.empty()) throw Error(item.first.Mark(), objects_where + ": empty name");
    ExpectMap(item.second, item_where);
    CheckKeys(item.second, item_where, {"amber", "red"});
    resource.objects.emplace_back(name, ReadLevels(item.second, item_where, kind, host));
  }
}

SectionOutcome ReadSections(const YAML::Node& root, AnyOptions& any) {
  const YAML::Node node = root["thresholds"];
  ExpectMap(node, "thresholds");
  auto& resources = OptionsAs<ThresholdsOptions>(any).resources;
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string name = UniqueKey(item.first, "thresholds", seen);
    const ThresholdKind* kind = FindThresholdKind(name);
    if (kind == nullptr) {
      std::string list;
      for (const auto& k : ThresholdKinds()) {
        list += (list.empty() ? "" : ", ") + std::string(k.resource);
      }
      throw Error(item.first.Mark(),
                  "unknown resource '" + name + "' in thresholds (known: " + list + ")");
    }
    auto& resource = resources.emplace_back();
    resource.kind = kind;
    ReadThresholdResource(item.second, "thresholds." + name, resource);
  }
  return {.has_content = !resources.empty()};
}

constexpr auto kSections = std::to_array<std::string_view>({"thresholds"});

}  // namespace

extern const CollectorSpec thresholds_spec = {
    .name = "thresholds",
    .enabled_by_default = false,
    .description =
        "Alert thresholds from the thresholds: config section, as vitals_threshold gauges (on "
        "when the section sets any)",
    .make = [](const Paths&, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<ThresholdsCollector>(o.Get<ThresholdsOptions>());
    },
    .defaults = [] { return AnyOptions(ThresholdsOptions{}); },
    .sections = kSections,
    .read_sections = ReadSections,
};

}  // namespace vitals::collectors
