#include "collectors/loadavg_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/loadavg.h"

namespace vitals::collectors {

LoadavgCollector::LoadavgCollector(const Paths& paths)
    : loadavg_file_(procfs::JoinPath(paths.procfs, "loadavg"), procfs::ReadMode::kOneRecord) {}

Status LoadavgCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = loadavg_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto load = procfs::ParseLoadavg(*text);
  if (!load.ok()) return Status::Fail(loadavg_file_.path() + ": " + load.error());
  AddSingle(out, "node_load1", "1m load average.", kGauge, load->load1);
  AddSingle(out, "node_load5", "5m load average.", kGauge, load->load5);
  AddSingle(out, "node_load15", "15m load average.", kGauge, load->load15);
  return Status::Ok();
}

extern const CollectorSpec loadavg_spec = {
    .name = "loadavg",
    .enabled_by_default = true,
    .description = "Load average (/proc/loadavg)",
    .make = MakeWithPaths<LoadavgCollector>,
};

}  // namespace vitals::collectors
