#include "collectors/edac_collector.h"

#include <optional>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/edac.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

EdacCollector::EdacCollector(const Paths& paths)
    : sysfs_(paths.sysfs), mc_dir_(procfs::JoinPath(paths.sysfs, "devices/system/edac/mc")) {}

Status EdacCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no sysfs directory " + sysfs_);
  const auto controllers = procfs::GlobNumberedEntries(mc_dir_, "mc");
  if (!controllers.ok()) return Status::Fail(controllers.error());
  if (controllers->empty()) return Status::Ok();
  auto& ce = AddFamily(out, "node_edac_correctable_errors_total",
                       "Total correctable memory errors.", kCounter);
  auto& ue = AddFamily(out, "node_edac_uncorrectable_errors_total",
                       "Total uncorrectable memory errors.", kCounter);
  auto& row_ce = AddFamily(out, "node_edac_csrow_correctable_errors_total",
                           "Total correctable memory errors for this csrow.", kCounter);
  auto& row_ue = AddFamily(out, "node_edac_csrow_uncorrectable_errors_total",
                           "Total uncorrectable memory errors for this csrow.", kCounter);
  const auto count = [this](const std::string& path) -> std::optional<double> {
    const auto text = files_.Read(path);
    if (!text.ok()) return std::nullopt;
    const auto value = procfs::ParseEdacCount(*text);
    if (!value) return std::nullopt;
    return static_cast<double>(*value);
  };
  for (const auto& mc : *controllers) {
    const std::string_view controller = mc.number;
    if (const auto v = count(mc.path + "/ce_count"))
      AddSample(ce, *v, {{"controller", controller}});
    if (const auto v = count(mc.path + "/ce_noinfo_count")) {
      AddSample(row_ce, *v, {{"controller", controller}, {"csrow", "unknown"}});
    }
    if (const auto v = count(mc.path + "/ue_count"))
      AddSample(ue, *v, {{"controller", controller}});
    if (const auto v = count(mc.path + "/ue_noinfo_count")) {
      AddSample(row_ue, *v, {{"controller", controller}, {"csrow", "unknown"}});
    }
    const auto csrows = procfs::GlobNumberedEntries(mc.path, "csrow");
    if (!csrows.ok()) continue;
    for (const auto& row : *csrows) {
      const std::string_view csrow = row.number;
      if (const auto v = count(row.path + "/ce_count")) {
        AddSample(row_ce, *v, {{"controller", controller}, {"csrow", csrow}});
      }
      if (const auto v = count(row.path + "/ue_count")) {
        AddSample(row_ue, *v, {{"controller", controller}, {"csrow", csrow}});
      }
    }
  }
  files_.Sweep();
  return Status::Ok();
}

extern const CollectorSpec edac_spec = {
    .name = "edac",
    .enabled_by_default = true,
    .description = "EDAC memory controllers' error counts (/sys/devices/system/edac/mc)",
    .make = MakeWithPaths<EdacCollector>,
};

}  // namespace vitals::collectors
