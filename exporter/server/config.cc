#include "server/config.h"

#include <yaml-cpp/yaml.h>

#include <set>
#include <vector>

#include "base/yaml_input.h"

namespace vitals::server {
namespace {

using collectors::AllCollectors;
using collectors::CollectorSpec;
using ConfigError = yaml_input::Error;
using yaml_input::AsBool;
using yaml_input::CheckKeys;
using yaml_input::ExpectMap;
using yaml_input::Located;
using yaml_input::UniqueKey;

std::string KnownCollectors() {
  std::string list;
  for (const CollectorSpec* spec : AllCollectors()) {
    list += (list.empty() ? "" : ", ") + std::string(spec->name);
  }
  return list;
}

// collectors.<name>: `enabled` plus the keys the collector itself reads.
void ReadCollector(const CollectorSpec& spec, const YAML::Node& node, Config& config) {
  const std::string where = "collectors." + std::string(spec.name);
  ExpectMap(node, where);
  std::vector<std::string_view> keys = {"enabled"};
  keys.insert(keys.end(), spec.settings_keys.begin(), spec.settings_keys.end());
  CheckKeys(node, where, keys);
  if (spec.read_settings != nullptr) {
    spec.read_settings(node, where, *config.collector_options.Find(spec.name));
  }
  if (node["enabled"]) config.enabled[std::string(spec.name)] = AsBool(node["enabled"], "enabled");
}

void ReadCollectors(const YAML::Node& node, Config& config) {
  ExpectMap(node, "collectors");
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string name = UniqueKey(item.first, "collectors", seen);
    const CollectorSpec* spec = collectors::FindCollector(name);
    if (spec == nullptr) {
      throw ConfigError(item.first.Mark(),
                        "unknown collector '" + name + "' (known: " + KnownCollectors() + ")");
    }
    ReadCollector(*spec, item.second, config);
  }
}

// The top-level keys: `collectors` and every collector's own sections.
std::vector<std::string_view> TopLevelKeys() {
  std::vector<std::string_view> keys = {"collectors"};
  for (const CollectorSpec* spec : AllCollectors()) {
    keys.insert(keys.end(), spec->sections.begin(), spec->sections.end());
  }
  return keys;
}

// A section with content (groups, ports, targets) turns its collector on unless
// `enabled:` in it says otherwise; either way a collectors.<name>.enabled set earlier
// in the file yields only to an explicit `enabled:`.
void ReadSections(const CollectorSpec& spec, const YAML::Node& root, Config& config) {
  bool present = false;
  for (const auto key : spec.sections) present = present || root[std::string(key)];
  if (!present || spec.read_sections == nullptr) return;
  const auto outcome = spec.read_sections(root, *config.collector_options.Find(spec.name));
  const std::string name(spec.name);
  if (outcome.enabled) config.enabled[name] = *outcome.enabled;
  if (outcome.has_content) config.enabled.try_emplace(name, true);
}

}  // namespace

Result<Config> ParseConfig(std::string_view yaml, const std::string& name) {
  Config config;
  config.source = name;
  try {
    const YAML::Node root = yaml_input::LoadOne(std::string(yaml));
    if (root.IsNull()) return config;  // An empty file means "all defaults".
    ExpectMap(root, "the top level");
    CheckKeys(root, "the top level", TopLevelKeys());
    if (root["collectors"]) ReadCollectors(root["collectors"], config);
    for (const CollectorSpec* spec : AllCollectors()) ReadSections(*spec, root, config);
  } catch (const ConfigError& e) {
    return Error{Located(name, e.mark, e.what())};
  } catch (const YAML::Exception& e) {
    return Error{Located(name, e.mark, e.msg)};
  }
  return config;
}

Result<Config> LoadConfigFile(const std::string& path) {
  auto text = yaml_input::ReadFile(path, "config file");
  if (!text.ok()) return Error{text.error()};
  return ParseConfig(*text, path);
}

}  // namespace vitals::server
