// Include/exclude regex filter for device names, mount points and fs types, with
// node_exporter's semantics: include = "only these", exclude = "all but these",
// never both. Results are cached per name because names repeat every scrape.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"
#include "collectors/regex.h"

namespace vitals::collectors {

class DeviceFilter {
 public:
  DeviceFilter() = default;
  // Empty patterns mean "not set". Fails on an invalid regex or when both are set.
  static Result<DeviceFilter> Make(std::string include, std::string exclude);

  bool Ignored(std::string_view name) const;
  const std::string& include() const { return include_; }
  const std::string& exclude() const { return exclude_; }
  bool operator==(const DeviceFilter& other) const {
    return include_ == other.include_ && exclude_ == other.exclude_;
  }

 private:
  std::string include_, exclude_;
  Regex regex_;
  bool active_ = false;
  mutable std::unordered_map<std::string, bool> cache_;
};

}  // namespace vitals::collectors
