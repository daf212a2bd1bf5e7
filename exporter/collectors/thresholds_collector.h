// thresholds: the red/amber alert thresholds from the thresholds: config section,
// published as vitals_threshold{resource, level[, mountpoint|groupname|target|gpu]}
// gauges. The shipped Prometheus rules (rules/generate.py) join on them; a level
// that is not configured is not published, and the rules use their default.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/collector.h"

namespace vitals::collectors {

enum class ThresholdUnit { kRatio, kSeconds, kDays, kCelsius };

// One thresholded resource the rules know. The defaults mirror rules/generate.py
// (its --check compares them with this table).
struct ThresholdKind {
  std::string_view resource;      // The `resource` label and the config key.
  std::string_view objects_key;   // Config key of the per-object overrides.
  std::string_view object_label;  // Their label: mountpoint, groupname, target or gpu.
  ThresholdUnit unit;
  double default_amber;
  double default_red;
  // Certificate days: fewer is worse, so red lies below amber.
  bool lower_is_worse = false;
};

std::span<const ThresholdKind> ThresholdKinds();
const ThresholdKind* FindThresholdKind(std::string_view resource);

struct ThresholdLevels {
  std::optional<double> amber;
  std::optional<double> red;

  bool operator==(const ThresholdLevels&) const = default;
};

struct ThresholdResource {
  const ThresholdKind* kind = nullptr;
  ThresholdLevels host;  // For the whole host: no object label.
  // Per mount point / process group / probe target / GPU index, in config order.
  std::vector<std::pair<std::string, ThresholdLevels>> objects;

  bool operator==(const ThresholdResource&) const = default;
};

struct ThresholdsOptions {
  std::vector<ThresholdResource> resources;

  bool operator==(const ThresholdsOptions&) const = default;
};

class ThresholdsCollector : public Collector {
 public:
  explicit ThresholdsCollector(const ThresholdsOptions& options) : options_(options) {}
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  ThresholdsOptions options_;
};

}  // namespace vitals::collectors
