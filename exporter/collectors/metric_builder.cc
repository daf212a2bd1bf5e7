#include "collectors/metric_builder.h"

namespace vitals::collectors {

prometheus::MetricFamily& AddFamily(Families& out, std::string name, std::string help,
                                    prometheus::MetricType type) {
  prometheus::MetricFamily& family = out.emplace_back();
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

void AddSample(prometheus::MetricFamily& family, double value,
               std::initializer_list<Label> labels) {
  prometheus::ClientMetric& metric = family.metric.emplace_back();
  metric.label.reserve(labels.size());
  for (const auto& [name, label_value] : labels) {
    metric.label.push_back({std::string(name), std::string(label_value)});
  }
  switch (family.type) {
    case prometheus::MetricType::Counter:
      metric.counter.value = value;
      break;
    case prometheus::MetricType::Gauge:
      metric.gauge.value = value;
      break;
    default:
      metric.untyped.value = value;
      break;
  }
}

void AddSingle(Families& out, std::string name, std::string help, prometheus::MetricType type,
               double value) {
  AddSample(AddFamily(out, std::move(name), std::move(help), type), value);
}

}  // namespace vitals::collectors
