#include "collectors/zoneinfo_collector.h"

#include <map>
#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/zoneinfo.h"

namespace vitals::collectors {
namespace {

struct Spec {
  const char* name;
  const char* help;
  prometheus::MetricType type;
};

// node_exporter 1.5's descriptions, indexed like procfs::kZoneinfoKeys.
constexpr Spec kSpecs[] = {
    {"node_zoneinfo_nr_free_pages", "Total number of free pages in the zone", kGauge},
    {"node_zoneinfo_min_pages", "Zone watermark pages_min", kGauge},
    {"node_zoneinfo_low_pages", "Zone watermark pages_low", kGauge},
    {"node_zoneinfo_high_pages", "Zone watermark pages_high", kGauge},
    {"node_zoneinfo_scanned_pages", "Pages scanned since last reclaim", kGauge},
    {"node_zoneinfo_spanned_pages", "Total pages spanned by the zone, including holes", kGauge},
    {"node_zoneinfo_present_pages", "Physical pages existing within the zone", kGauge},
    {"node_zoneinfo_managed_pages", "Present pages managed by the buddy system", kGauge},
    {"node_zoneinfo_nr_active_anon_pages", "Number of anonymous pages recently more used", kGauge},
    {"node_zoneinfo_nr_inactive_anon_pages", "Number of anonymous pages recently less used",
     kGauge},
    {"node_zoneinfo_nr_isolated_anon_pages", "Temporary isolated pages from anon lru", kGauge},
    {"node_zoneinfo_nr_anon_pages", "Number of anonymous pages currently used by the system",
     kGauge},
    {"node_zoneinfo_nr_anon_transparent_hugepages",
     "Number of anonymous transparent huge pages currently used by the system", kGauge},
    {"node_zoneinfo_nr_active_file_pages", "Number of active pages with file-backing", kGauge},
    {"node_zoneinfo_nr_inactive_file_pages", "Number of inactive pages with file-backing", kGauge},
    {"node_zoneinfo_nr_isolated_file_pages", "Temporary isolated pages from file lru", kGauge},
    {"node_zoneinfo_nr_file_pages", "Number of file pages", kGauge},
    {"node_zoneinfo_nr_slab_reclaimable_pages", "Number of reclaimable slab pages", kGauge},
    {"node_zoneinfo_nr_slab_unreclaimable_pages", "Number of unreclaimable slab pages", kGauge},
    {"node_zoneinfo_nr_mlock_stack_pages", "mlock()ed pages found and moved off LRU", kGauge},
    {"node_zoneinfo_nr_kernel_stacks", "Number of kernel stacks", kGauge},
    {"node_zoneinfo_nr_mapped_pages", "Number of mapped pages", kGauge},
    {"node_zoneinfo_nr_dirty_pages", "Number of dirty pages", kGauge},
    {"node_zoneinfo_nr_writeback_pages", "Number of writeback pages", kGauge},
    {"node_zoneinfo_nr_unevictable_pages", "Number of unevictable pages", kGauge},
    {"node_zoneinfo_nr_shmem_pages", "Number of shmem pages (included tmpfs/GEM pages)", kGauge},
    {"node_zoneinfo_nr_dirtied_total", "Page dirtyings since bootup", kCounter},
    {"node_zoneinfo_nr_written_total", "Page writings since bootup", kCounter},
    {"node_zoneinfo_numa_hit_total", "Allocated in intended node", kCounter},
    {"node_zoneinfo_numa_miss_total", "Allocated in non intended node", kCounter},
    {"node_zoneinfo_numa_foreign_total", "Was intended here, hit elsewhere", kCounter},
    {"node_zoneinfo_numa_interleave_total", "Interleaver preferred this zone", kCounter},
    {"node_zoneinfo_numa_local_total", "Allocation from local node", kCounter},
    {"node_zoneinfo_numa_other_total", "Allocation from other node", kCounter},
};
static_assert(std::size(kSpecs) == procfs::kZoneinfoKeys.size());

}  // namespace

ZoneinfoCollector::ZoneinfoCollector(const Paths& paths)
    : zoneinfo_file_(procfs::JoinPath(paths.procfs, "zoneinfo")) {}

Status ZoneinfoCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = zoneinfo_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto zones = procfs::ParseZoneinfo(*text);
  std::array<prometheus::MetricFamily*, std::size(kSpecs)> families{};
  std::map<size_t, prometheus::MetricFamily*> protection;
  for (const auto& zone : zones) {
    const std::initializer_list<Label> labels = {{"node", zone.node}, {"zone", zone.zone}};
    for (size_t k = 0; k < std::size(kSpecs); ++k) {
      if (!zone.values[k]) continue;
      if (families[k] == nullptr) {
        families[k] = &AddFamily(out, kSpecs[k].name, kSpecs[k].help, kSpecs[k].type);
      }
      AddSample(*families[k], static_cast<double>(*zone.values[k]), labels);
    }
    for (size_t i = 0; i < zone.protection.size(); ++i) {
      auto& family = protection[i];
      if (family == nullptr) {
        const std::string index = std::to_string(i);
        family = &AddFamily(out, "node_zoneinfo_protection_" + index,
                            "Protection array " + index + ". field", kGauge);
      }
      AddSample(*family, static_cast<double>(zone.protection[i]), labels);
    }
  }
  return Status::Ok();
}

extern const CollectorSpec zoneinfo_spec = {
    .name = "zoneinfo",
    .enabled_by_default = false,
    .description = "Memory zones' page counts and watermarks (/proc/zoneinfo)",
    .make = MakeWithPaths<ZoneinfoCollector>,
};

}  // namespace vitals::collectors
