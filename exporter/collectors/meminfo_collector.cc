#include "collectors/meminfo_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {

MeminfoCollector::MeminfoCollector(const Paths& paths)
    : meminfo_file_(procfs::JoinPath(paths.procfs, "meminfo"), procfs::ReadMode::kOneRecord) {}

std::string MeminfoCollector::MetricName(std::string_view key, bool has_unit) {
  std::string name = "node_memory_";
  for (const char c : key) {
    if (c == '(') {
      name += '_';
    } else if (c != ')') {
      // Anything else outside [a-zA-Z0-9_] would make an invalid metric name.
      const bool valid =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      name += valid ? c : '_';
    }
  }
  if (has_unit) name += "_bytes";
  return name;
}

Status MeminfoCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = meminfo_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseMeminfo(*text, entries_); !parsed.ok()) {
    return Status::Fail(meminfo_file_.path() + ": " + parsed.message());
  }
  for (const auto& entry : entries_) {
    std::string name = MetricName(entry.key, entry.has_unit);
    std::string help = "Memory information field ";
    help.append(name, 12);  // Without the "node_memory_" prefix, as node_exporter words it.
    help += '.';
    AddSingle(out, std::move(name), std::move(help), kGauge, static_cast<double>(entry.value));
  }
  return Status::Ok();
}

extern const CollectorSpec meminfo_spec = {
    .name = "meminfo",
    .enabled_by_default = true,
    .description = "Memory statistics (/proc/meminfo)",
    .make = MakeWithPaths<MeminfoCollector>,
};

}  // namespace vitals::collectors
