#include "collectors/mdadm_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/mdstat.h"

namespace vitals::collectors {

MdadmCollector::MdadmCollector(const Paths& paths)
    : procfs_(paths.procfs), mdstat_file_(procfs::JoinPath(paths.procfs, "mdstat")) {}

Status MdadmCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = mdstat_file_.Read();
  if (!text.ok()) {
    if (text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(text.error());
  }
  const auto arrays = procfs::ParseMdStat(*text);
  if (!arrays.ok()) return Status::Fail(mdstat_file_.path() + ": " + arrays.error());
  if (arrays->empty()) return Status::Ok();

  auto& required =
      AddFamily(out, "node_md_disks_required", "Total number of disks of device.", kGauge);
  auto& disks =
      AddFamily(out, "node_md_disks", "Number of active/failed/spare disks of device.", kGauge);
  auto& state = AddFamily(out, "node_md_state", "Indicates the state of md-device.", kGauge);
  auto& blocks = AddFamily(out, "node_md_blocks", "Total number of blocks on device.", kGauge);
  auto& synced =
      AddFamily(out, "node_md_blocks_synced", "Number of blocks synced on device.", kGauge);
  // node_exporter's state label values, and the parser's activity state each reads.
  struct StateName {
    const char* label;
    const char* activity;
  };
  static constexpr StateName kStates[] = {{"active", "active"},
                                          {"inactive", "inactive"},
                                          {"recovering", "recovering"},
                                          {"resync", "resyncing"},
                                          {"check", "checking"}};
  for (const procfs::MdStat& md : *arrays) {
    const std::string_view device = md.name;
    AddSample(required, static_cast<double>(md.disks_total), {{"device", device}});
    AddSample(disks, static_cast<double>(md.disks_active),
              {{"device", device}, {"state", "active"}});
    AddSample(disks, static_cast<double>(md.disks_failed),
              {{"device", device}, {"state", "failed"}});
    AddSample(disks, static_cast<double>(md.disks_spare), {{"device", device}, {"state", "spare"}});
    for (const StateName& name : kStates) {
      AddSample(state, md.activity_state == name.activity ? 1 : 0,
                {{"device", device}, {"state", name.label}});
    }
    AddSample(blocks, static_cast<double>(md.blocks_total), {{"device", device}});
    AddSample(synced, static_cast<double>(md.blocks_synced), {{"device", device}});
  }
  return Status::Ok();
}

extern const CollectorSpec mdadm_spec = {
    .name = "mdadm",
    .enabled_by_default = true,
    .description = "md software RAID arrays (/proc/mdstat)",
    .make = MakeWithPaths<MdadmCollector>,
};

}  // namespace vitals::collectors
