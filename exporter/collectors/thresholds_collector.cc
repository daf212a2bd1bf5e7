#include "collectors/thresholds_collector.h"

#include <array>

#include "collectors/metric_builder.h"

namespace vitals::collectors {
namespace {

const std::array<ThresholdKind, 10> kKinds = {{
    {"cpu", "", "", ThresholdUnit::kRatio, 0.8, 0.9},
    {"memory", "", "", ThresholdUnit::kRatio, 0.8, 0.9},
    {"filesystem", "mountpoints", "mountpoint", ThresholdUnit::kRatio, 0.8, 0.9},
    {"process_cpu", "groups", "groupname", ThresholdUnit::kRatio, 0.8, 0.9},
    {"process_memory", "groups", "groupname", ThresholdUnit::kRatio, 0.8, 0.9},
    {"probe_duration_seconds", "targets", "target", ThresholdUnit::kSeconds, 1, 3},
    {"probe_cert_expiry_days", "targets", "target", ThresholdUnit::kDays, 14, 7, true},
    {"gpu_utilization", "gpus", "gpu", ThresholdUnit::kRatio, 0.8, 0.9},
    {"gpu_memory", "gpus", "gpu", ThresholdUnit::kRatio, 0.8, 0.9},
    {"gpu_temperature", "gpus", "gpu", ThresholdUnit::kCelsius, 80, 90},
}};

void AddLevels(prometheus::MetricFamily& family, std::string_view resource,
               const ThresholdLevels& levels, std::string_view label = {},
               std::string_view value = {}) {
  const std::pair<const char*, const std::optional<double>*> both[] = {{"amber", &levels.amber},
                                                                       {"red", &levels.red}};
  for (const auto& [level, threshold] : both) {
    if (!threshold->has_value()) continue;
    if (label.empty()) {
      AddSample(family, **threshold, {{"resource", resource}, {"level", level}});
    } else {
      AddSample(family, **threshold, {{"resource", resource}, {"level", level}, {label, value}});
    }
  }
}

}  // namespace

std::span<const ThresholdKind> ThresholdKinds() { return kKinds; }

const ThresholdKind* FindThresholdKind(std::string_view resource) {
  for (const auto& kind : kKinds) {
    if (kind.resource == resource) return &kind;
  }
  return nullptr;
}

Status ThresholdsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  auto& family =
      AddFamily(out, "vitals_threshold",
                "Alert threshold from the thresholds: config section (ratio 0..1; "
                "seconds or days for the probe_* resources, degrees Celsius for gpu_temperature).",
                kGauge);
  for (const auto& resource : options_.resources) {
    const ThresholdKind& kind = *resource.kind;
    AddLevels(family, kind.resource, resource.host);
    for (const auto& [object, levels] : resource.objects) {
      AddLevels(family, kind.resource, levels, kind.object_label, object);
    }
  }
  if (family.metric.empty()) out.pop_back();  // No empty family in the exposition.
  return Status::Ok();
}

}  // namespace vitals::collectors
