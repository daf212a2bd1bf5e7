#include "collectors/drbd_collector.h"

#include <map>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/drbd.h"

namespace vitals::collectors {
namespace {

struct Spec {
  const char* name;
  const char* help;
  prometheus::MetricType type;
  double multiplier;      // KiB -> bytes; node_exporter 1.5 leaves "nr" in KiB.
  const char* okay = "";  // ro, ds: the local/remote value that reads 1.
};

const Spec* FindSpec(std::string_view key) {
  static const std::map<std::string_view, Spec> kSpecs = {
      {"ns",
       {"node_drbd_network_sent_bytes_total", "Total number of bytes sent via the network.",
        kCounter, 1024}},
      {"nr",
       {"node_drbd_network_received_bytes_total", "Total number of bytes received via the network.",
        kCounter, 1}},
      {"dw",
       {"node_drbd_disk_written_bytes_total", "Net data written on local hard disk; in bytes.",
        kCounter, 1024}},
      {"dr",
       {"node_drbd_disk_read_bytes_total", "Net data read from local hard disk; in bytes.",
        kCounter, 1024}},
      {"al",
       {"node_drbd_activitylog_writes_total",
        "Number of updates of the activity log area of the meta data.", kCounter, 1}},
      {"bm",
       {"node_drbd_bitmap_writes_total", "Number of updates of the bitmap area of the meta data.",
        kCounter, 1}},
      {"lo",
       {"node_drbd_local_pending", "Number of open requests to the local I/O sub-system.", kGauge,
        1}},
      {"pe",
       {"node_drbd_remote_pending",
        "Number of requests sent to the peer, but that have not yet been answered by the latter.",
        kGauge, 1}},
      {"ua",
       {"node_drbd_remote_unacknowledged",
        "Number of requests received by the peer via the network connection, but that have not "
        "yet been answered.",
        kGauge, 1}},
      {"ap",
       {"node_drbd_application_pending",
        "Number of block I/O requests forwarded to DRBD, but not yet answered by DRBD.", kGauge,
        1}},
      {"ep", {"node_drbd_epochs", "Number of Epochs currently on the fly.", kGauge, 1}},
      {"oos",
       {"node_drbd_out_of_sync_bytes", "Amount of data known to be out of sync; in bytes.", kGauge,
        1024}},
      {"ro",
       {"node_drbd_node_role_is_primary", "Whether the role of the node is in the primary state.",
        kGauge, 1, "Primary"}},
      {"ds",
       {"node_drbd_disk_state_is_up_to_date", "Whether the disk of the node is up to date.", kGauge,
        1, "UpToDate"}},
      {"cs", {"node_drbd_connected", "Whether DRBD is connected to the peer.", kGauge, 1}},
  };
  const auto it = kSpecs.find(key);
  return it == kSpecs.end() ? nullptr : &it->second;
}

}  // namespace

DrbdCollector::DrbdCollector(const Paths& paths)
    : procfs_(paths.procfs), drbd_file_(procfs::JoinPath(paths.procfs, "drbd")) {}

Status DrbdCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = drbd_file_.Read();
  if (!text.ok()) {
    if (text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(text.error());
  }
  const auto drbd = procfs::ParseDrbd(*text);
  std::map<std::string, prometheus::MetricFamily*> families;
  for (const auto& value : drbd.values) {
    const Spec* spec = FindSpec(value.key);
    if (spec == nullptr) continue;
    auto& family = families[value.key];
    if (family == nullptr) family = &AddFamily(out, spec->name, spec->help, spec->type);
    if (value.key == "cs") {
      AddSample(*family, value.local == "Connected" ? 1 : 0, {{"device", value.device}});
    } else if (value.key == "ro" || value.key == "ds") {
      AddSample(*family, value.local == spec->okay ? 1 : 0,
                {{"device", value.device}, {"node", "local"}});
      if (value.remote) {
        AddSample(*family, *value.remote == spec->okay ? 1 : 0,
                  {{"device", value.device}, {"node", "remote"}});
      }
    } else {
      AddSample(*family, value.number * spec->multiplier, {{"device", value.device}});
    }
  }
  if (drbd.error) return Status::Fail(drbd_file_.path() + ": " + *drbd.error);
  return Status::Ok();
}

extern const CollectorSpec drbd_spec = {
    .name = "drbd",
    .enabled_by_default = false,
    .description = "DRBD devices' state and I/O counters (/proc/drbd)",
    .make = MakeWithPaths<DrbdCollector>,
};

}  // namespace vitals::collectors
