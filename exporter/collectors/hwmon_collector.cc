#include "collectors/hwmon_collector.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/hwmon.h"

namespace vitals::collectors {
namespace {

// The families of one scrape, merged by name. node_exporter's registry drops a sample
// whose name and labels were already collected (two chips with the same name): the
// first one stays, in the order of /sys/class/hwmon.
class Output {
 public:
  void Add(const std::string& name, const std::string& help, prometheus::MetricType type,
           double value, std::initializer_list<Label> labels) {
    std::string key = name;
    for (const auto& [label, label_value] : labels) {
      key += '\xff';
      key.append(label_value);
    }
    if (!seen_.insert(std::move(key)).second) return;
    auto [it, added] = families_.try_emplace(name);
    if (added) it->second = {help, type, {}};
    // A second HELP for the same name is an inconsistent family for client_golang: dropped.
    if (it->second.help != help || it->second.type != type) return;
    std::vector<std::pair<std::string, std::string>> copied;
    for (const auto& [label, label_value] : labels) copied.emplace_back(label, label_value);
    it->second.samples.push_back({std::move(copied), value});
  }

  void Publish(Families& out) {
    for (auto& [name, family] : families_) {
      auto& published = AddFamily(out, name, family.help, family.type);
      for (const auto& sample : family.samples) {
        const auto& l = sample.labels;
        if (l.size() == 2) {
          AddSample(published, sample.value,
                    {{l[0].first, l[0].second}, {l[1].first, l[1].second}});
        } else {
          AddSample(
              published, sample.value,
              {{l[0].first, l[0].second}, {l[1].first, l[1].second}, {l[2].first, l[2].second}});
        }
      }
    }
  }

 private:
  struct Sample {
    std::vector<std::pair<std::string, std::string>> labels;
    double value;
  };
  struct Family {
    std::string help;
    prometheus::MetricType type;
    std::vector<Sample> samples;
  };
  std::map<std::string, Family> families_;
  std::set<std::string> seen_;
};

// One property of one sensor, as node_exporter's updateHwmon names and scales it.
void AddElement(Output& out, const std::string& chip, const std::string& sensor,
                const std::string& type, const std::string& element_in, bool has_plain,
                double value) {
  std::string element = element_in;
  std::string name = "node_hwmon_" + type;
  if (element == "input") {
    if (has_plain) name += "_input";  // "temp1" itself is the value then
  } else if (!element.empty()) {
    name += "_" + procfs::CleanHwmonName(element);
  }
  const auto add = [&](const std::string& n, const std::string& help, double v,
                       prometheus::MetricType t = kGauge) {
    out.Add(n, help, t, v, {{"chip", chip}, {"sensor", sensor}});
  };
  if (element == "fault" || element == "alarm") {
    return add(name, "Hardware sensor " + element + " status (" + type + ")", value);
  }
  if (element == "beep")
    return add(name + "_enabled", "Hardware monitor sensor has beeping enabled", value);
  if (type == "in" || type == "cpu") {
    return add(name + "_volts", "Hardware monitor for voltage (" + element + ")", value * 0.001);
  }
  if (type == "temp" && element != "type") {
    if (element.empty()) element = "input";
    return add(name + "_celsius", "Hardware monitor for temperature (" + element + ")",
               value * 0.001);
  }
  if (type == "curr") {
    return add(name + "_amps", "Hardware monitor for current (" + element + ")", value * 0.001);
  }
  if (type == "energy") {
    return add(name + "_joule_total", "Hardware monitor for joules used so far (" + element + ")",
               value / 1000000.0, kCounter);
  }
  if (type == "power" && element == "accuracy") {
    return add(name, "Hardware monitor power meter accuracy, as a ratio", value / 1000000.0);
  }
  if (type == "power" && (element == "average_interval" || element == "average_interval_min" ||
                          element == "average_interval_max")) {
    return add(name + "_seconds", "Hardware monitor power usage update interval (" + element + ")",
               value * 0.001);
  }
  if (type == "power") {
    return add(name + "_watt", "Hardware monitor for power usage in watts (" + element + ")",
               value / 1000000.0);
  }
  if (type == "humidity") {
    return add(name,
               "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the "
               "humidity as a percentage) (" +
                   element + ")",
               value / 1000000.0);
  }
  if (type == "fan" &&
      (element == "input" || element == "min" || element == "max" || element == "target")) {
    return add(name + "_rpm", "Hardware monitor for fan revolutions per minute (" + element + ")",
               value);
  }
  add(name, "Hardware monitor " + type + " element " + element, value);
}

void AddChip(Output& out, const procfs::HwmonChip& chip) {
  if (chip.name) {
    out.Add("node_hwmon_chip_names", "Annotation metric for human-readable chip names", kGauge, 1,
            {{"chip", chip.chip}, {"chip_name", *chip.name}});
  }
  for (const auto& entry : chip.sensors) {
    // Named, not a structured binding: C++20 lambdas may not capture those (clang 14).
    const std::string& sensor = entry.first;
    const auto& data = entry.second;
    const std::string& type = chip.sensor_types.at(sensor);
    const auto labels = [&](const std::string& n, const std::string& help, double v) {
      out.Add(n, help, kGauge, v, {{"chip", chip.chip}, {"sensor", sensor}});
    };
    if (const auto label = data.find("label"); label != data.end()) {
      out.Add("node_hwmon_sensor_label", "Label for given chip and sensor", kGauge, 1,
              {{"chip", chip.chip}, {"label", label->second}, {"sensor", sensor}});
    }
    const auto plain = data.find("");
    if (type == "beep_enable") {
      labels("node_hwmon_beep_enabled", "Hardware beep enabled",
             plain != data.end() && plain->second == "1" ? 1 : 0);
      continue;
    }
    if (type == "vrm" || type == "update_interval") {
      const auto value = procfs::ParseGoFloat(plain != data.end() ? plain->second : "");
      if (!value) continue;
      if (type == "vrm") {
        labels("node_hwmon_voltage_regulator_version", "Hardware voltage regulator", *value);
      } else {
        labels("node_hwmon_update_interval_seconds", "Hardware monitor update interval",
               *value * 0.001);
      }
      continue;
    }
    for (const auto& [element, text] : data) {
      if (element == "label") continue;
      const auto value = procfs::ParseGoFloat(text);
      if (!value) continue;
      AddElement(out, chip.chip, sensor, type, element, plain != data.end(), *value);
    }
  }
}

}  // namespace

HwmonCollector::HwmonCollector(const Paths& paths)
    : sysfs_(paths.sysfs), hwmon_dir_(procfs::JoinPath(paths.sysfs, "class/hwmon")) {}

Status HwmonCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto entries = procfs::ListDirSorted(hwmon_dir_);
  if (!entries.ok()) {
    // No hwmon class (a VM): nothing to publish. node_exporter returns ErrNoData
    // (success 0); vitals stays successful, as for schedstat. A wrong --path.sysfs fails.
    if (entries.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(entries.error());
  }
  Output output;
  Status status;
  for (const auto& name : *entries) {
    const std::string dir = hwmon_dir_ + "/" + name;
    struct stat st {};
    // A link whose target is gone fails the scrape in node_exporter 1.5 (its stat error
    // is returned at the end), but the other chips are still published.
    if (stat(dir.c_str(), &st) != 0) {
      status = Status::Fail("stat " + dir + ": " + std::strerror(errno));
      continue;
    }
    if (!S_ISDIR(st.st_mode)) continue;
    const auto chip = procfs::ReadHwmonChip(files_, dir);
    if (!chip.ok()) {
      status = Status::Fail(chip.error());
      continue;
    }
    AddChip(output, *chip);
  }
  files_.Sweep();
  output.Publish(out);
  return status;
}

extern const CollectorSpec hwmon_spec = {
    .name = "hwmon",
    .enabled_by_default = true,
    .description =
        "Hardware monitoring chips: temperatures, fans, voltages, power (/sys/class/hwmon)",
    .make = MakeWithPaths<HwmonCollector>,
};

}  // namespace vitals::collectors
