#include "collectors/dmi_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/dmi.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

DmiCollector::DmiCollector(const Paths& paths)
    : sysfs_(paths.sysfs), dmi_dir_(procfs::JoinPath(paths.sysfs, "class/dmi/id")) {}

Status DmiCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  if (!labels_) {
    auto read = procfs::ReadDmi(dmi_dir_);
    if (!read.ok()) {
      // No DMI (a VM without SMBIOS, ARM boards): nothing to publish. node_exporter
      // reports "no data" (success 0); vitals stays successful. Other errors fail.
      if ((read.failure().Vanished() || read.failure().Denied()) && procfs::IsDirectory(sysfs_)) {
        return Status::Ok();
      }
      return Status::Fail(read.error());
    }
    labels_ = std::move(*read);
  }
  if (labels_->empty()) return Status::Ok();
  auto& family = AddFamily(
      out, "node_dmi_info",
      "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, "
      "bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, "
      "chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, "
      "product_name, product_serial, product_sku, product_uuid, product_version, system_vendor "
      "if provided by DMI.",
      kGauge);
  auto& metric = family.metric.emplace_back();
  metric.gauge.value = 1;
  for (const auto& [label, value] : *labels_) metric.label.push_back({label, value});
  return Status::Ok();
}

extern const CollectorSpec dmi_spec = {
    .name = "dmi",
    .enabled_by_default = true,
    .description = "Firmware identification: BIOS, board, chassis, product (/sys/class/dmi/id)",
    .make = MakeWithPaths<DmiCollector>,
};

}  // namespace vitals::collectors
