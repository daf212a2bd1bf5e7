#include "collectors/softnet_collector.h"

#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {

SoftnetCollector::SoftnetCollector(const Paths& paths)
    : softnet_file_(procfs::JoinPath(paths.procfs, "net/softnet_stat")) {}

Status SoftnetCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = softnet_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseSoftnet(*text, stats_); !parsed.ok()) {
    return Status::Fail(softnet_file_.path() + ": " + parsed.message());
  }
  while (cpu_labels_.size() < stats_.size())
    cpu_labels_.push_back(std::to_string(cpu_labels_.size()));
  auto& processed =
      AddFamily(out, "node_softnet_processed_total", "Number of processed packets", kCounter);
  auto& dropped =
      AddFamily(out, "node_softnet_dropped_total", "Number of dropped packets", kCounter);
  auto& squeezed = AddFamily(out, "node_softnet_times_squeezed_total",
                             "Number of times processing packets ran out of quota", kCounter);
  // node_exporter 1.5 labels each line with its position in the file (the CPUs that are
  // online, in order), not with the index column newer kernels print.
  for (size_t i = 0; i < stats_.size(); ++i) {
    const std::string& cpu = cpu_labels_[i];
    AddSample(processed, stats_[i].processed, {{"cpu", cpu}});
    AddSample(dropped, stats_[i].dropped, {{"cpu", cpu}});
    AddSample(squeezed, stats_[i].time_squeezed, {{"cpu", cpu}});
  }
  return Status::Ok();
}

extern const CollectorSpec softnet_spec = {
    .name = "softnet",
    .enabled_by_default = true,
    .description = "Packets processed and dropped per CPU (/proc/net/softnet_stat)",
    .make = MakeWithPaths<SoftnetCollector>,
};

}  // namespace vitals::collectors
