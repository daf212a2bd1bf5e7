// Small helpers for building prometheus::MetricFamily values.
#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "collectors/collector.h"

namespace vitals::collectors {

using Label = std::pair<std::string_view, std::string_view>;

// Starts a new family in `out` and returns it; the reference stays valid as `out` grows.
prometheus::MetricFamily& AddFamily(Families& out, std::string name, std::string help,
                                    prometheus::MetricType type);

// Appends one sample; the value goes to the counter, gauge or untyped slot by family type.
void AddSample(prometheus::MetricFamily& family, double value,
               std::initializer_list<Label> labels = {});

// A family holding one unlabelled sample.
void AddSingle(Families& out, std::string name, std::string help, prometheus::MetricType type,
               double value);

inline constexpr auto kGauge = prometheus::MetricType::Gauge;
inline constexpr auto kCounter = prometheus::MetricType::Counter;
// TYPE untyped: what node_exporter declares for values it does not know the kind of
// (vmstat's fields).
inline constexpr auto kUntyped = prometheus::MetricType::Untyped;

}  // namespace vitals::collectors
