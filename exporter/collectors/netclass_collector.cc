#include "collectors/netclass_collector.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>

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
  // node_exporter's pushMetric families, in its order: "Network device property: <name>".
  struct Property {
    const char* name;
    std::optional<int64_t> procfs::NetClassIface::*field;
    prometheus::MetricType type;
  };
  static constexpr Property kProperties[] = {
      {"address_assign_type", &procfs::NetClassIface::addr_assign_type, kGauge},
      {"carrier", &procfs::NetClassIface::carrier, kGauge},
      {"carrier_changes_total", &procfs::NetClassIface::carrier_changes, kCounter},
      {"carrier_up_changes_total", &procfs::NetClassIface::carrier_up_count, kCounter},
      {"carrier_down_changes_total", &procfs::NetClassIface::carrier_down_count, kCounter},
      {"device_id", &procfs::NetClassIface::dev_id, kGauge},
      {"dormant", &procfs::NetClassIface::dormant, kGauge},
      {"flags", &procfs::NetClassIface::flags, kGauge},
      {"iface_id", &procfs::NetClassIface::ifindex, kGauge},
      {"iface_link", &procfs::NetClassIface::iflink, kGauge},
      {"iface_link_mode", &procfs::NetClassIface::link_mode, kGauge},
      {"mtu_bytes", &procfs::NetClassIface::mtu, kGauge},
      {"name_assign_type", &procfs::NetClassIface::name_assign_type, kGauge},
      {"net_dev_group", &procfs::NetClassIface::netdev_group, kGauge},
      {"transmit_queue_length", &procfs::NetClassIface::tx_queue_len, kGauge},
      {"protocol_type", &procfs::NetClassIface::type, kGauge},
  };
  std::array<prometheus::MetricFamily*, std::size(kProperties)> properties{};
  for (size_t i = 0; i < std::size(kProperties); ++i) {
    const std::string property = kProperties[i].name;
    properties[i] = &AddFamily(out, "node_network_" + property,
                               "Network device property: " + property, kProperties[i].type);
  }
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
    for (size_t i = 0; i < std::size(kProperties); ++i) {
      if (const auto& value = iface.*kProperties[i].field) {
        AddSample(*properties[i], static_cast<double>(*value), {{"device", iface.name}});
      }
    }
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
