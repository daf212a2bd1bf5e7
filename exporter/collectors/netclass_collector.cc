#include "collectors/netclass_collector.h"

#include <cstdint>
#include <cstdlib>

#include "collectors/metric_builder.h"
#include "procfs/class_net.h"

namespace vitals::collectors {

NetclassCollector::NetclassCollector(const Paths& paths, const NetclassOptions& options)
    : class_net_(procfs::JoinPath(paths.sysfs, "class/net")), options_(options) {}

Status NetclassCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListNetClass(class_net_);
  if (!names.ok()) return Status::Fail(names.error());

  auto& up =
      AddFamily(out, "node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", kGauge);
  auto& info =
      AddFamily(out, "node_network_info",
                "Non-numeric data from /sys/class/net/<iface>, value is always 1.", kGauge);
  auto& mtu =
      AddFamily(out, "node_network_mtu_bytes", "Network device property: mtu_bytes", kGauge);
  auto& speed =
      AddFamily(out, "node_network_speed_bytes", "Network device property: speed_bytes", kGauge);

  for (const auto& name : *names) {
    if (options_.devices.Ignored(name)) continue;
    const procfs::NetClassIface iface = procfs::ReadNetClassIface(files_, class_net_, name);

    AddSample(up, iface.operstate == "up" ? 1 : 0, {{"device", iface.name}});
    AddSample(info, 1,
              {{"address", iface.address},
               {"broadcast", iface.broadcast},
               {"device", iface.name},
               {"duplex", iface.duplex},
               {"ifalias", iface.ifalias},
               {"operstate", iface.operstate}});
    if (iface.mtu) AddSample(mtu, static_cast<double>(*iface.mtu), {{"device", iface.name}});
    // Mbit/s beyond this would overflow the byte conversion: no driver reports that.
    constexpr int64_t kMaxSpeed = INT64_MAX / 1000000;
    if (iface.speed && std::abs(*iface.speed) <= kMaxSpeed &&
        (*iface.speed >= 0 || !options_.ignore_invalid_speed)) {
      // Mbit/s to bytes/s, integer arithmetic as node_exporter does it.
      AddSample(
          speed,
          static_cast<double>(*iface.speed * 1000 * 1000 / 8),  // NOLINT(bugprone-integer-division)
          {{"device", iface.name}});
    }
  }
  files_.Sweep();
  return Status::Ok();
}

}  // namespace vitals::collectors
