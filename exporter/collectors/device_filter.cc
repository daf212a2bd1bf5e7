#include "collectors/device_filter.h"

namespace vitals::collectors {
namespace {
// Interface churn (containers, veth pairs) must not grow the cache forever.
constexpr size_t kMaxCacheEntries = 4096;
}  // namespace

procfs::Result<DeviceFilter> DeviceFilter::Make(std::string include, std::string exclude) {
  if (!include.empty() && !exclude.empty()) {
    return procfs::Error{"include and exclude patterns are mutually exclusive"};
  }
  DeviceFilter filter;
  filter.include_ = std::move(include);
  filter.exclude_ = std::move(exclude);
  const std::string& pattern = filter.include_.empty() ? filter.exclude_ : filter.include_;
  if (pattern.empty()) return filter;
  try {
    filter.regex_ = std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return procfs::Error{"invalid regular expression '" + pattern + "': " + e.what()};
  }
  filter.active_ = true;
  return filter;
}

bool DeviceFilter::Ignored(std::string_view name) const {
  if (!active_) return false;
  if (auto it = cache_.find(std::string(name)); it != cache_.end()) return it->second;
  const bool matches = std::regex_search(name.begin(), name.end(), regex_);
  const bool ignored = include_.empty() ? matches : !matches;
  if (cache_.size() >= kMaxCacheEntries) cache_.clear();
  cache_.emplace(name, ignored);
  return ignored;
}

}  // namespace vitals::collectors
