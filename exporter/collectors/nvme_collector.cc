#include "collectors/nvme_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/class_nvme.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

NvmeCollector::NvmeCollector(const Paths& paths)
    : sysfs_(paths.sysfs), class_nvme_(procfs::JoinPath(paths.sysfs, "class/nvme")) {}

Status NvmeCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListClassDir(class_nvme_);
  if (!names.ok()) {
    if (names.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(names.error());
  }
  if (names->empty()) return Status::Ok();
  auto& info =
      AddFamily(out, "node_nvme_info",
                "Non-numeric data from /sys/class/nvme/<device>, value is always 1.", kGauge);
  for (const std::string& name : *names) {
    const auto device = procfs::ReadNvmeDevice(files_, class_nvme_, name);
    AddSample(info, 1,
              {{"device", device.name},
               {"firmware_revision", device.firmware_revision},
               {"model", device.model},
               {"serial", device.serial},
               {"state", device.state}});
  }
  files_.Sweep();
  return Status::Ok();
}

extern const CollectorSpec nvme_spec = {
    .name = "nvme",
    .enabled_by_default = true,
    .description = "NVMe controllers' model, serial, firmware and state (/sys/class/nvme)",
    .make = MakeWithPaths<NvmeCollector>,
};

}  // namespace vitals::collectors
