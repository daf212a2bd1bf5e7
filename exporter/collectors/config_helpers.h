// What the collectors' own configuration readers (x_config.cc) share: device filters,
// regexes and durations from YAML and from --collector.* flags.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/yaml_input.h"
#include "collectors/device_filter.h"
#include "collectors/options.h"
#include "collectors/regex.h"

namespace vitals::collectors {

// The options of type T inside `options` (the registry made them, so the type is known).
template <typename T>
T& OptionsAs(AnyOptions& options) {
  return *options.template As<T>();
}

// Reads `<prefix>_include` / `<prefix>_exclude` of `section`; keeps `current` when
// neither is set.
DeviceFilter ReadFilter(const YAML::Node& section, const std::string& where,
                        const std::string& prefix, const DeviceFilter& current);

// A regex compiled from `pattern`, or an error at `node`.
Regex CompileAt(const YAML::Node& node, const std::string& where, const std::string& pattern);

// --collector.x.y-include / -exclude: replaces `filter`.
Status ApplyFilterFlag(std::string_view value, bool include, DeviceFilter& filter);

// The reader and flag appliers of a DeviceFilter member of an options struct, for
// CollectorSpec: `<prefix>_include` / `<prefix>_exclude` keys and -include / -exclude
// flags.
template <typename Options, DeviceFilter Options::*kFilter>
void ReadFilterSetting(const YAML::Node& node, const std::string& where, const std::string& prefix,
                       AnyOptions& options) {
  DeviceFilter& filter = OptionsAs<Options>(options).*kFilter;
  filter = ReadFilter(node, where, prefix, filter);
}
template <typename Options, DeviceFilter Options::*kFilter, bool kInclude>
Status ApplyFilterSetting(AnyOptions& options, std::string_view value) {
  return ApplyFilterFlag(value, kInclude, OptionsAs<Options>(options).*kFilter);
}

// The reader and flag applier of a Regex member of an options struct (a "fields"
// filter, say), for CollectorSpec: the `key` of the collector's section, and a flag
// whose whole value is the pattern.
template <typename Options, Regex Options::*kField>
void ReadRegexSetting(const YAML::Node& node, const std::string& where, std::string_view key,
                      AnyOptions& options) {
  const std::string name(key);
  if (const YAML::Node value = node[name]) {
    OptionsAs<Options>(options).*kField =
        CompileAt(value, where + "." + name, yaml_input::AsString(value, name));
  }
}
template <typename Options, Regex Options::*kField>
Status ApplyRegexSetting(AnyOptions& options, std::string_view value) {
  auto regex = Regex::Compile(value);
  if (!regex.ok()) return Status::Fail(regex.error());
  OptionsAs<Options>(options).*kField = std::move(*regex);
  return Status::Ok();
}

// The reader and flag applier of a bool member: the `key` of the collector's section,
// and a boolean flag (no value name in FlagSetting), which the flag parser hands over
// as "true" (--collector.x.y) or "false" (--no-collector.x.y).
template <typename Options, bool Options::*kField>
void ReadBoolSetting(const YAML::Node& node, std::string_view key, AnyOptions& options) {
  const std::string name(key);
  if (const YAML::Node value = node[name]) {
    OptionsAs<Options>(options).*kField = yaml_input::AsBool(value, name);
  }
}
template <typename Options, bool Options::*kField>
Status ApplyBoolSetting(AnyOptions& options, std::string_view value) {
  if (value != "true" && value != "false") return Status::Fail("takes no value");
  OptionsAs<Options>(options).*kField = value == "true";
  return Status::Ok();
}

// A positive duration flag value of at most `max` (yaml_input::AsDuration's limit).
Status ApplyDurationFlag(std::string_view value, std::chrono::milliseconds& duration,
                         std::chrono::milliseconds max = yaml_input::kMaxDuration);

}  // namespace vitals::collectors
