#include "collectors/slabinfo_collector.h"

#include <set>
#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/slabinfo.h"

namespace vitals::collectors {

SlabinfoCollector::SlabinfoCollector(const Paths& paths)
    : slabinfo_file_(procfs::JoinPath(paths.procfs, "slabinfo")) {}

Status SlabinfoCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = slabinfo_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto slabs = procfs::ParseSlabinfo(*text);
  if (!slabs.ok()) return Status::Fail(slabinfo_file_.path() + ": " + slabs.error());
  using Field = int64_t procfs::Slab::*;
  struct Spec {
    const char* name;
    const char* help;
    Field field;
  };
  static constexpr Spec kSpecs[] = {
      {"node_slabinfo_active_objects",
       "The number of objects that are currently active (i.e., in use).",
       &procfs::Slab::active_objects},
      {"node_slabinfo_objects",
       "The total number of allocated objects (i.e., objects that are both in use and not in "
       "use).",
       &procfs::Slab::objects},
      {"node_slabinfo_object_size_bytes", "The size of objects in this slab, in bytes.",
       &procfs::Slab::object_size},
      {"node_slabinfo_objects_per_slab", "The number of objects stored in each slab.",
       &procfs::Slab::objects_per_slab},
      {"node_slabinfo_pages_per_slab", "The number of pages allocated for each slab.",
       &procfs::Slab::pages_per_slab},
  };
  if (slabs->empty()) return Status::Ok();
  for (const Spec& spec : kSpecs) {
    auto& family = AddFamily(out, spec.name, spec.help, kGauge);
    // A cache name given twice keeps its first line (node_exporter's registry drops the
    // duplicate sample).
    std::set<std::string_view> seen;
    for (const auto& slab : *slabs) {
      if (!seen.insert(slab.name).second) continue;
      AddSample(family, static_cast<double>(slab.*spec.field), {{"slab", slab.name}});
    }
  }
  return Status::Ok();
}

extern const CollectorSpec slabinfo_spec = {
    .name = "slabinfo",
    .enabled_by_default = false,
    .description = "Kernel slab caches' object counts and sizes (/proc/slabinfo, root only)",
    .make = MakeWithPaths<SlabinfoCollector>,
};

}  // namespace vitals::collectors
