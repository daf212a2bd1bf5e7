#include "collectors/bonding_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/bonding.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

BondingCollector::BondingCollector(const Paths& paths)
    : sysfs_(paths.sysfs), class_net_(procfs::JoinPath(paths.sysfs, "class/net")) {}

Status BondingCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto state = procfs::ReadBonding(class_net_);
  if (!state.ok()) {
    if (state.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(state.error());
  }
  if (!state->masters.empty()) {
    auto& slaves = AddFamily(out, "node_bonding_slaves",
                             "Number of configured slaves per bonding interface.", kGauge);
    auto& active = AddFamily(out, "node_bonding_active",
                             "Number of active slaves per bonding interface.", kGauge);
    for (const auto& master : state->masters) {
      AddSample(slaves, static_cast<double>(master.slaves), {{"master", master.name}});
      AddSample(active, static_cast<double>(master.active), {{"master", master.name}});
    }
  }
  // Skipped masters (state->skipped) are a value not read, not a failed collector.
  return Status::Ok();
}

extern const CollectorSpec bonding_spec = {
    .name = "bonding",
    .enabled_by_default = true,
    .description = "Bonding interfaces' slaves and active slaves (/sys/class/net)",
    .make = MakeWithPaths<BondingCollector>,
};

}  // namespace vitals::collectors
