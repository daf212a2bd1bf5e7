#include "collectors/powersupplyclass_collector.h"

#include <map>
#include <vector>

#include "collectors/metric_builder.h"
#include "procfs/file_reader.h"
#include "procfs/power_supply.h"

namespace vitals::collectors {
namespace {

struct Field {
  const char* file;    // the attribute
  const char* metric;  // node_power_supply_<metric>
  double divisor;      // micro-units to units: 1e6; tenths of a degree: 10
};

// node_exporter 1.5's three tables; the *_avg attributes are not published.
constexpr Field kFields[] = {
    {"authentic", "authentic", 1},
    {"calibrate", "calibrate", 1},
    {"capacity", "capacity", 1},
    {"capacity_alert_max", "capacity_alert_max", 1},
    {"capacity_alert_min", "capacity_alert_min", 1},
    {"cycle_count", "cyclecount", 1},
    {"online", "online", 1},
    {"present", "present", 1},
    {"time_to_empty_now", "time_to_empty_seconds", 1},
    {"time_to_full_now", "time_to_full_seconds", 1},
    {"current_boot", "current_boot", 1e6},
    {"current_max", "current_max", 1e6},
    {"current_now", "current_ampere", 1e6},
    {"energy_empty", "energy_empty", 1e6},
    {"energy_empty_design", "energy_empty_design", 1e6},
    {"energy_full", "energy_full", 1e6},
    {"energy_full_design", "energy_full_design", 1e6},
    {"energy_now", "energy_watthour", 1e6},
    {"voltage_boot", "voltage_boot", 1e6},
    {"voltage_max", "voltage_max", 1e6},
    {"voltage_max_design", "voltage_max_design", 1e6},
    {"voltage_min", "voltage_min", 1e6},
    {"voltage_min_design", "voltage_min_design", 1e6},
    {"voltage_now", "voltage_volt", 1e6},
    {"voltage_ocv", "voltage_ocv", 1e6},
    {"charge_control_limit", "charge_control_limit", 1e6},
    {"charge_control_limit_max", "charge_control_limit_max", 1e6},
    {"charge_counter", "charge_counter", 1e6},
    {"charge_empty", "charge_empty", 1e6},
    {"charge_empty_design", "charge_empty_design", 1e6},
    {"charge_full", "charge_full", 1e6},
    {"charge_full_design", "charge_full_design", 1e6},
    {"charge_now", "charge_ampere", 1e6},
    {"charge_term_current", "charge_term_current", 1e6},
    {"constant_charge_current", "constant_charge_current", 1e6},
    {"constant_charge_current_max", "constant_charge_current_max", 1e6},
    {"constant_charge_voltage", "constant_charge_voltage", 1e6},
    {"constant_charge_voltage_max", "constant_charge_voltage_max", 1e6},
    {"precharge_current", "precharge_current", 1e6},
    {"input_current_limit", "input_current_limit", 1e6},
    {"power_now", "power_watt", 1e6},
    {"temp", "temp_celsius", 10},
    {"temp_alert_max", "temp_alert_max_celsius", 10},
    {"temp_alert_min", "temp_alert_min_celsius", 10},
    {"temp_ambient", "temp_ambient_celsius", 10},
    {"temp_ambient_max", "temp_ambient_max_celsius", 10},
    {"temp_ambient_min", "temp_ambient_min_celsius", 10},
    {"temp_max", "temp_max_celsius", 10},
    {"temp_min", "temp_min_celsius", 10},
};

}  // namespace

PowerSupplyClassCollector::PowerSupplyClassCollector(const Paths& paths,
                                                     const PowerSupplyOptions& options)
    : sysfs_(paths.sysfs),
      class_dir_(procfs::JoinPath(paths.sysfs, "class/power_supply")),
      options_(options) {}

Status PowerSupplyClassCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListPowerSupplies(class_dir_);
  if (!names.ok()) {
    // No power_supply class: node_exporter returns ErrNoData (success 0); vitals stays
    // successful (docs/metrics.md). A wrong --path.sysfs fails.
    if (names.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(names.error());
  }
  Status status;
  std::vector<procfs::PowerSupply> supplies;
  for (const auto& name : *names) {
    if (options_.supplies.Ignored(name)) continue;
    auto supply = procfs::ReadPowerSupply(files_, class_dir_, name);
    if (!supply.ok()) {
      status = Status::Fail(supply.error());
      continue;
    }
    // node_exporter fails without a sample on these; vitals publishes the rest.
    if (!supply->errors.empty()) status = Status::Fail(supply->errors.front());
    supplies.push_back(std::move(*supply));
  }
  files_.Sweep();
  for (const auto& field : kFields) {
    const std::string metric = field.metric;
    auto& family = AddFamily(out, "node_power_supply_" + metric,
                             metric + " value of /sys/class/power_supply/<power_supply>.", kGauge);
    for (const auto& supply : supplies) {
      const auto it = supply.numbers.find(field.file);
      if (it == supply.numbers.end()) continue;
      const double value = static_cast<double>(it->second);
      AddSample(family, field.divisor == 1 ? value : value / field.divisor,
                {{"power_supply", supply.name}});
    }
  }
  auto& info = AddFamily(out, "node_power_supply_info",
                         "info of /sys/class/power_supply/<power_supply>.", kGauge);
  for (const auto& supply : supplies) {
    auto& metric = info.metric.emplace_back();
    metric.gauge.value = 1;
    metric.label.push_back({"power_supply", supply.name});
    // Only the text attributes that are present and not empty become labels.
    for (const auto& [file, value] : supply.texts) {
      if (!value.empty()) metric.label.push_back({file, value});
    }
  }
  return status;
}

}  // namespace vitals::collectors
