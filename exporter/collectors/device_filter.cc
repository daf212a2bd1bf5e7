#include "collectors/device_filter.h"

namespace vitals::collectors {
namespace {
// Interface churn (containers, veth pairs) must not grow the cache forever.
constexpr size_t kMaxCacheEntries = 4096;
}  // namespace

Result<DeviceFilter> DeviceFilter::Make(std::string include, std::string exclude) {
  if (!include.empty() && !exclude.empty()) {
    return Error{"include and exclude patterns are mutually exclusive"};
  }
  DeviceFilter filter;
  filter.include_ = std::move(include);
  filter.exclude_ = std::move(exclude);
  const std::string& pattern = filter.include_.empty() ? filter.exclude_ : filter.include_;
  if (pattern.empty()) return filter;
  auto regex = Regex::Compile(pattern);
  if (!regex.ok()) return Error{regex.error()};
  filter.regex_ = std::move(*regex);
  filter.active_ = true;
  return filter;
}

bool DeviceFilter::Ignored(std::string_view name) const {
  if (!active_) return false;
  if (auto it = cache_.find(std::string(name)); it != cache_.end()) return it->second;
  const bool matches = regex_.Search(name);
  const bool ignored = include_.empty() ? matches : !matches;
  if (cache_.size() >= kMaxCacheEntries) cache_.clear();
  cache_.emplace(name, ignored);
  return ignored;
}

}  // namespace vitals::collectors
