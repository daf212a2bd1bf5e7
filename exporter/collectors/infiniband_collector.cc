#include "collectors/infiniband_collector.h"

#include <optional>
#include <string>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/class_infiniband.h"
#include "procfs/class_nvme.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {
namespace {

// One family per port value, in name order (node_exporter's, since its registry sorts).
// `file` is under ports/<N>/ (counters/ or counters_ext/); the three gauges are the
// state, phys_state and rate files.
enum class Source { kCounter, kPerLaneCounter, kState, kRate };
struct PortMetric {
  const char* name;
  const char* help;
  const char* file;
  Source source;
};
constexpr PortMetric kPortMetrics[] = {
    {"node_infiniband_excessive_buffer_overrun_errors_total",
     "Number of times that OverrunErrors consecutive flow control update periods occurred, each "
     "having at least one overrun error.",
     "counters/excessive_buffer_overrun_errors", Source::kCounter},
    {"node_infiniband_legacy_data_received_bytes_total",
     "Number of data octets received on all links", "counters_ext/port_rcv_data_64",
     Source::kPerLaneCounter},
    {"node_infiniband_legacy_data_transmitted_bytes_total",
     "Number of data octets transmitted on all links", "counters_ext/port_xmit_data_64",
     Source::kPerLaneCounter},
    {"node_infiniband_legacy_multicast_packets_received_total",
     "Number of multicast packets received", "counters_ext/port_multicast_rcv_packets",
     Source::kCounter},
    {"node_infiniband_legacy_multicast_packets_transmitted_total",
     "Number of multicast packets transmitted", "counters_ext/port_multicast_xmit_packets",
     Source::kCounter},
    {"node_infiniband_legacy_packets_received_total",
     "Number of data packets received on all links", "counters_ext/port_rcv_packets_64",
     Source::kCounter},
    // node_exporter's HELP says "received" for the transmitted packets too.
    {"node_infiniband_legacy_packets_transmitted_total",
     "Number of data packets received on all links", "counters_ext/port_xmit_packets_64",
     Source::kCounter},
    {"node_infiniband_legacy_unicast_packets_received_total", "Number of unicast packets received",
     "counters_ext/port_unicast_rcv_packets", Source::kCounter},
    {"node_infiniband_legacy_unicast_packets_transmitted_total",
     "Number of unicast packets transmitted", "counters_ext/port_unicast_xmit_packets",
     Source::kCounter},
    {"node_infiniband_link_downed_total",
     "Number of times the link failed to recover from an error state and went down",
     "counters/link_downed", Source::kCounter},
    {"node_infiniband_link_error_recovery_total",
     "Number of times the link successfully recovered from an error state",
     "counters/link_error_recovery", Source::kCounter},
    {"node_infiniband_local_link_integrity_errors_total",
     "Number of times that the count of local physical errors exceeded the threshold specified "
     "by LocalPhyErrors.",
     "counters/local_link_integrity_errors", Source::kCounter},
    {"node_infiniband_multicast_packets_received_total",
     "Number of multicast packets received (including errors)", "counters/multicast_rcv_packets",
     Source::kCounter},
    {"node_infiniband_multicast_packets_transmitted_total",
     "Number of multicast packets transmitted (including errors)",
     "counters/multicast_xmit_packets", Source::kCounter},
    {"node_infiniband_physical_state_id",
     "Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable, 4: "
     "shift, 5: link up, 6: link error recover, 7: phytest)",
     "phys_state", Source::kState},
    {"node_infiniband_port_constraint_errors_received_total",
     "Number of packets received on the switch physical port that are discarded",
     "counters/port_rcv_constraint_errors", Source::kCounter},
    {"node_infiniband_port_constraint_errors_transmitted_total",
     "Number of packets not transmitted from the switch physical port",
     "counters/port_xmit_constraint_errors", Source::kCounter},
    {"node_infiniband_port_data_received_bytes_total",
     "Number of data octets received on all links", "counters/port_rcv_data",
     Source::kPerLaneCounter},
    {"node_infiniband_port_data_transmitted_bytes_total",
     "Number of data octets transmitted on all links", "counters/port_xmit_data",
     Source::kPerLaneCounter},
    {"node_infiniband_port_discards_received_total",
     "Number of inbound packets discarded by the port because the port is down or congested",
     "counters/port_rcv_discards", Source::kCounter},
    {"node_infiniband_port_discards_transmitted_total",
     "Number of outbound packets discarded by the port because the port is down or congested",
     "counters/port_xmit_discards", Source::kCounter},
    {"node_infiniband_port_errors_received_total",
     "Number of packets containing an error that were received on this port",
     "counters/port_rcv_errors", Source::kCounter},
    {"node_infiniband_port_packets_received_total",
     "Number of packets received on all VLs by this port (including errors)",
     "counters/port_rcv_packets", Source::kCounter},
    {"node_infiniband_port_packets_transmitted_total",
     "Number of packets transmitted on all VLs from this port (including errors)",
     "counters/port_xmit_packets", Source::kCounter},
    {"node_infiniband_port_receive_remote_physical_errors_total",
     "Number of packets marked with the EBP (End of Bad Packet) delimiter received on the port.",
     "counters/port_rcv_remote_physical_errors", Source::kCounter},
    {"node_infiniband_port_receive_switch_relay_errors_total",
     "Number of packets that could not be forwarded by the switch.",
     "counters/port_rcv_switch_relay_errors", Source::kCounter},
    {"node_infiniband_port_transmit_wait_total",
     "Number of ticks during which the port had data to transmit but no data was sent during the "
     "entire tick",
     "counters/port_xmit_wait", Source::kCounter},
    {"node_infiniband_rate_bytes_per_second", "Maximum signal transfer rate", "rate",
     Source::kRate},
    {"node_infiniband_state_id",
     "State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5: act "
     "defer)",
     "state", Source::kState},
    {"node_infiniband_symbol_error_total",
     "Number of minor link errors detected on one or more physical lanes.", "counters/symbol_error",
     Source::kCounter},
    {"node_infiniband_unicast_packets_received_total",
     "Number of unicast packets received (including errors)", "counters/unicast_rcv_packets",
     Source::kCounter},
    {"node_infiniband_unicast_packets_transmitted_total",
     "Number of unicast packets transmitted (including errors)", "counters/unicast_xmit_packets",
     Source::kCounter},
    {"node_infiniband_vl15_dropped_total",
     "Number of incoming VL15 packets dropped due to resource limitations.",
     "counters/VL15_dropped", Source::kCounter},
};

std::optional<uint64_t> ReadPortValue(procfs::FileCache& files, const std::string& path,
                                      Source source) {
  const auto text = files.Read(path);
  if (!text.ok()) return std::nullopt;
  switch (source) {
    case Source::kState:
      return procfs::ParseInfinibandState(*text);
    case Source::kRate:
      return procfs::ParseInfinibandRate(*text);
    case Source::kPerLaneCounter:
      return procfs::ParseInfinibandCounter(*text, true);
    case Source::kCounter:
      break;
  }
  return procfs::ParseInfinibandCounter(*text, false);
}

}  // namespace

InfinibandCollector::InfinibandCollector(const Paths& paths)
    : sysfs_(paths.sysfs), class_ib_(procfs::JoinPath(paths.sysfs, "class/infiniband")) {}

Status InfinibandCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListClassDir(class_ib_);
  if (!names.ok()) {
    if (names.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(names.error());
  }
  if (names->empty()) return Status::Ok();
  std::vector<procfs::InfinibandDevice> devices;
  for (const std::string& name : *names) {
    devices.push_back(procfs::ReadInfinibandDevice(files_, class_ib_, name));
  }
  auto& info =
      AddFamily(out, "node_infiniband_info",
                "Non-numeric data from /sys/class/infiniband/<device>, value is always 1.", kGauge);
  for (const auto& device : devices) {
    AddSample(info, 1,
              {{"device", device.name},
               {"board_id", device.board_id},
               {"firmware_version", device.firmware_version},
               {"hca_type", device.hca_type}});
  }
  for (const PortMetric& metric : kPortMetrics) {
    auto& family = AddFamily(
        out, metric.name, metric.help,
        metric.source == Source::kState || metric.source == Source::kRate ? kGauge : kCounter);
    for (const auto& device : devices) {
      for (const auto& [number, dir] : device.ports) {
        const std::string path =
            class_ib_ + "/" + device.name + "/ports/" + dir + "/" + metric.file;
        const auto value = ReadPortValue(files_, path, metric.source);
        if (!value) continue;
        const std::string port = std::to_string(number);
        AddSample(family, static_cast<double>(*value), {{"device", device.name}, {"port", port}});
      }
    }
  }
  files_.Sweep();
  return Status::Ok();
}

extern const CollectorSpec infiniband_spec = {
    .name = "infiniband",
    .enabled_by_default = true,
    .description = "InfiniBand adapters' port state, rate and counters (/sys/class/infiniband)",
    .make = MakeWithPaths<InfinibandCollector>,
};

}  // namespace vitals::collectors
