#include "collectors/sysctl_collector.h"

#include <cstdint>
#include <set>
#include <tuple>

#include "collectors/metric_builder.h"
#include "procfs/file_reader.h"
#include "procfs/go_text.h"
#include "procfs/powercap.h"
#include "procfs/sysctl_values.h"

namespace vitals::collectors {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  while (true) {
    const size_t at = s.find(sep);
    parts.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

// What one scrape has published: the Go client drops a second metric with a name (and
// label set) already seen.
struct Published {
  explicit Published(Families& families) : out(families) {}

  Families& out;
  std::set<std::string> numeric;
  prometheus::MetricFamily* info = nullptr;
  std::set<std::tuple<std::string, std::string, std::string>> info_seen;

  // A new untyped family, or nullptr when one of that name was published already.
  prometheus::MetricFamily* NewNumeric(const std::string& name, const std::string& help) {
    if (!numeric.insert(name).second) return nullptr;
    return &AddFamily(out, name, help, kUntyped);
  }

  void Info(const std::string& name, const std::string& value, const std::string& index) {
    if (!info_seen.emplace(name, value, index).second) return;
    if (info == nullptr) info = &AddFamily(out, "node_sysctl_info", "sysctl info", kGauge);
    AddSample(*info, 1, {{"name", name}, {"value", value}, {"index", index}});
  }
};

}  // namespace

SysctlCollector::SysctlCollector(const Paths& paths, const SysctlOptions& options)
    : procfs_(paths.procfs) {
  for (const bool numeric : {true, false}) {
    for (const std::string& include : numeric ? options.include : options.include_info) {
      Sysctl sysctl;
      sysctl.numeric = numeric;
      const size_t colon = include.find(':');
      sysctl.name = include.substr(0, colon);
      if (colon != std::string::npos) {
        sysctl.has_keys = true;
        sysctl.keys = Split(std::string_view(include).substr(colon + 1), ',');
      }
      sysctls_.push_back(std::move(sysctl));
    }
  }
}

Status SysctlCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  Published published(out);
  for (const Sysctl& sysctl : sysctls_) {
    // procfs joins with filepath.Join, which cleans the path.
    const auto text =
        procfs::ReadSmallFile(procfs::GoCleanPath(procfs_ + "/" + procfs::SysctlPath(sysctl.name)));
    if (!text.ok()) return Status::Fail("error obtaining sysctl info: " + text.error());
    const std::vector<std::string> fields = procfs::SysctlFields(*text);
    std::vector<double> values;
    if (sysctl.numeric) {
      for (size_t i = 0; i < fields.size(); ++i) {
        const auto value = procfs::ParseGoIntBase0(fields[i]);
        if (!value) {
          return Status::Fail("error obtaining sysctl info: field " + std::to_string(i) +
                              " in sysctl " + sysctl.name + " is not a valid int");
        }
        values.push_back(static_cast<double>(*value));
      }
    }
    if (fields.empty()) return Status::Fail("sysctl " + sysctl.name + " has no values");
    const std::string metric = "node_sysctl_" + procfs::SanitizeMetricName(sysctl.name);
    const std::string help = "sysctl " + sysctl.name;
    if (fields.size() == 1) {
      if (sysctl.has_keys) {
        return Status::Fail("sysctl " + sysctl.name + " has only one value, but expected [" +
                            Join(sysctl.keys) + "]");
      }
      if (sysctl.numeric) {
        if (auto* family = published.NewNumeric(metric, help)) AddSample(*family, values[0]);
      } else {
        published.Info(sysctl.name, fields[0], "0");
      }
      continue;
    }
    if (!sysctl.has_keys) {
      auto* family = sysctl.numeric ? published.NewNumeric(metric, help) : nullptr;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string index = std::to_string(i);
        if (!sysctl.numeric) {
          published.Info(sysctl.name, fields[i], index);
        } else if (family != nullptr) {
          AddSample(*family, values[i], {{"index", index}});
        }
      }
      continue;
    }
    if (fields.size() != sysctl.keys.size()) {
      return Status::Fail("sysctl " + sysctl.name + " has " + std::to_string(fields.size()) +
                          " keys but only " + std::to_string(sysctl.keys.size()) +
                          " defined in flag");
    }
    if (!sysctl.numeric) return Status::Fail("mapped sysctl string values not supported");
    for (size_t i = 0; i < fields.size(); ++i) {
      auto* family = published.NewNumeric(metric + "_" + sysctl.keys[i],
                                          help + ", field " + std::to_string(i));
      if (family != nullptr) AddSample(*family, values[i]);
    }
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
