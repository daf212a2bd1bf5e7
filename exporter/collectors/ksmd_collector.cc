#include "collectors/ksmd_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/sysctl.h"

namespace vitals::collectors {

KsmdCollector::KsmdCollector(const Paths& paths)
    : ksm_dir_(procfs::JoinPath(paths.sysfs, "kernel/mm/ksm")) {}

Status KsmdCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  struct File {
    const char* file;
    const char* metric;
    prometheus::MetricType type;
    double scale;
  };
  static constexpr File kFiles[] = {
      {"full_scans", "full_scans_total", kCounter, 1},
      {"merge_across_nodes", "merge_across_nodes", kGauge, 1},
      {"pages_shared", "pages_shared", kGauge, 1},
      {"pages_sharing", "pages_sharing", kGauge, 1},
      {"pages_to_scan", "pages_to_scan", kGauge, 1},
      {"pages_unshared", "pages_unshared", kGauge, 1},
      {"pages_volatile", "pages_volatile", kGauge, 1},
      {"run", "run", kGauge, 1},
      {"sleep_millisecs", "sleep_seconds", kGauge, 0.001},
  };
  for (const File& each : kFiles) {
    const std::string path = ksm_dir_ + "/" + each.file;
    const auto text = procfs::ReadSmallFile(path);
    if (!text.ok()) return Status::Fail(text.error());
    // readUintFromFile: TrimSpace, then ParseUint(s, 10, 64).
    const auto value = procfs::ParseSysctlUint(*text);
    if (!value.ok()) return Status::Fail(path + ": " + value.error());
    // node_exporter divides by 1000 rather than multiplying by 0.001.
    const double number = static_cast<double>(*value);
    AddSingle(out, std::string("node_ksmd_") + each.metric,
              std::string("ksmd '") + each.file + "' file.", each.type,
              each.scale == 1 ? number : number / 1000);
  }
  return Status::Ok();
}

extern const CollectorSpec ksmd_spec = {
    .name = "ksmd",
    .enabled_by_default = false,
    .description = "Kernel same-page merging statistics (/sys/kernel/mm/ksm)",
    .make = MakeWithPaths<KsmdCollector>,
};

}  // namespace vitals::collectors
