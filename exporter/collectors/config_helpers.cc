#include "collectors/config_helpers.h"

#include "base/duration.h"

namespace vitals::collectors {

DeviceFilter ReadFilter(const YAML::Node& section, const std::string& where,
                        const std::string& prefix, const DeviceFilter& current) {
  const YAML::Node include = section[prefix + "_include"];
  const YAML::Node exclude = section[prefix + "_exclude"];
  if (!include && !exclude) return current;
  const std::string include_text =
      include ? yaml_input::AsString(include, prefix + "_include") : "";
  const std::string exclude_text =
      exclude ? yaml_input::AsString(exclude, prefix + "_exclude") : "";
  auto filter = DeviceFilter::Make(include_text, exclude_text);
  if (!filter.ok()) {
    const YAML::Node& at = include ? include : exclude;
    throw yaml_input::Error(at.Mark(), where + "." + prefix + ": " + filter.error());
  }
  return *filter;
}

Regex CompileAt(const YAML::Node& node, const std::string& where, const std::string& pattern) {
  auto regex = Regex::Compile(pattern);
  if (!regex.ok()) throw yaml_input::Error(node.Mark(), where + ": " + regex.error());
  return std::move(*regex);
}

Status ApplyFilterFlag(std::string_view value, bool include, DeviceFilter& filter) {
  auto made = include ? DeviceFilter::Make(std::string(value), "")
                      : DeviceFilter::Make("", std::string(value));
  if (!made.ok()) return Status::Fail(made.error());
  filter = std::move(*made);
  return Status::Ok();
}

Status ApplyDurationFlag(std::string_view value, std::chrono::milliseconds& duration,
                         std::chrono::milliseconds max) {
  const auto parsed = ParseDuration(value);
  if (!parsed || parsed->count() <= 0) {
    return Status::Fail("invalid duration " + yaml_input::Quote(value));
  }
  if (*parsed > max) {
    return Status::Fail("duration " + yaml_input::Quote(value) + " is over the limit of " +
                        yaml_input::FormatDuration(max));
  }
  duration = *parsed;
  return Status::Ok();
}

}  // namespace vitals::collectors
