// The ipvs collector's configuration: collectors.ipvs.backend_labels and node_exporter's
// --collector.ipvs.backend-labels.
#include <array>
#include <string_view>

#include "base/text.h"
#include "collectors/config_helpers.h"
#include "collectors/ipvs_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"backend_labels"});

// A list of label names, or one string of comma-separated names as the flag takes.
void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  const YAML::Node value = node["backend_labels"];
  if (!value) return;
  const std::string list = value.IsSequence()
                               ? Join(yaml_input::AsStringList(value, "backend_labels"), ",")
                               : yaml_input::AsString(value, "backend_labels");
  auto labels = ParseIpvsBackendLabels(list);
  if (!labels.ok())
    throw yaml_input::Error(value.Mark(), where + ".backend_labels: " + labels.error());
  OptionsAs<IpvsOptions>(any).backend_labels = std::move(*labels);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.ipvs.backend-labels", "LABELS",
     "Comma separated list for IPVS backend stats labels.",
     [](AnyOptions& any, std::string_view value) {
       auto labels = ParseIpvsBackendLabels(value);
       if (!labels.ok()) return Status::Fail(labels.error());
       OptionsAs<IpvsOptions>(any).backend_labels = std::move(*labels);
       return Status::Ok();
     }},
});

}  // namespace

extern const CollectorSpec ipvs_spec = {
    .name = "ipvs",
    .enabled_by_default = true,
    .description = "IPVS totals and backends' connections and weights (/proc/net/ip_vs*)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<IpvsCollector>(p, o.Get<IpvsOptions>());
    },
    .defaults = [] { return AnyOptions(IpvsOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
