#include "collectors/buddyinfo_collector.h"

#include <set>
#include <string>
#include <tuple>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/buddyinfo.h"

namespace vitals::collectors {

BuddyinfoCollector::BuddyinfoCollector(const Paths& paths)
    : buddyinfo_file_(procfs::JoinPath(paths.procfs, "buddyinfo")) {}

Status BuddyinfoCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  constexpr size_t kReadFileNoStatLimit = 1024 * 1024;
  const auto text = buddyinfo_file_.Read();
  if (!text.ok()) return Status::Fail("couldn't get buddyinfo: " + text.error());
  const auto zones = procfs::ParseBuddyinfo(text->substr(0, kReadFileNoStatLimit));
  if (!zones.ok()) {
    return Status::Fail("couldn't get buddyinfo: " + buddyinfo_file_.path() + ": " + zones.error());
  }
  auto& blocks =
      AddFamily(out, "node_buddyinfo_blocks", "Count of free blocks according to size.", kGauge);
  // A node and zone given twice: the Go client keeps the first sample of a label set.
  std::set<std::tuple<std::string, std::string, size_t>> seen;
  for (const procfs::BuddyZone& zone : *zones) {
    for (size_t size = 0; size < zone.sizes.size(); ++size) {
      if (!seen.emplace(zone.node, zone.zone, size).second) continue;
      AddSample(blocks, zone.sizes[size],
                {{"node", zone.node}, {"zone", zone.zone}, {"size", std::to_string(size)}});
    }
  }
  return Status::Ok();
}

extern const CollectorSpec buddyinfo_spec = {
    .name = "buddyinfo",
    .enabled_by_default = false,
    .description = "Free memory blocks per zone and order (/proc/buddyinfo)",
    .make = MakeWithPaths<BuddyinfoCollector>,
};

}  // namespace vitals::collectors
