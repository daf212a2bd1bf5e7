#include "collectors/registry.h"

#include <array>

namespace vitals::collectors {

#define VITALS_COLLECTOR(name) extern const CollectorSpec name##_spec;
#include "collectors/all_collectors.inc"
#undef VITALS_COLLECTOR

namespace {

#define VITALS_COLLECTOR(name) &name##_spec,
constexpr auto kCollectors = std::to_array<const CollectorSpec*>({
#include "collectors/all_collectors.inc"
});
#undef VITALS_COLLECTOR

}  // namespace

CollectorOptions CollectorOptions::Defaults() {
  CollectorOptions options;
  for (const CollectorSpec* spec : kCollectors) {
    if (spec->defaults != nullptr) options.Set(std::string(spec->name), spec->defaults());
  }
  return options;
}

std::span<const CollectorSpec* const> AllCollectors() { return kCollectors; }

const CollectorSpec* FindCollector(std::string_view name) {
  for (const CollectorSpec* spec : kCollectors) {
    if (spec->name == name) return spec;
  }
  return nullptr;
}

bool SameOptions(const CollectorSpec& spec, const CollectorOptions& before,
                 const CollectorOptions& after) {
  const auto same = [&](std::string_view name) {
    const AnyOptions* a = before.Find(name);
    const AnyOptions* b = after.Find(name);
    return (a == nullptr && b == nullptr) || (a != nullptr && b != nullptr && *a == *b);
  };
  if (!same(spec.name)) return false;
  for (const auto name : spec.reads_options_of) {
    if (!same(name)) return false;
  }
  return true;
}

}  // namespace vitals::collectors
