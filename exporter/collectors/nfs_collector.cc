#include "collectors/nfs_collector.h"

#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/net_rpc_nfs.h"

namespace vitals::collectors {
namespace {

// prometheus/procfs's V2Stats, V3Stats and ClientV4Stats field names, which
// node_exporter 1.5 publishes as the method label, in the kernel's order.
constexpr const char* kV2[procfs::kNfsV2Procedures] = {
    "Null",   "GetAttr", "SetAttr", "Root", "Lookup",  "ReadLink", "Read",  "WrCache", "Write",
    "Create", "Remove",  "Rename",  "Link", "SymLink", "MkDir",    "RmDir", "ReadDir", "FsStat"};
constexpr const char* kV3[procfs::kNfsV3Procedures] = {
    "Null",    "GetAttr",     "SetAttr", "Lookup", "Access",   "ReadLink", "Read",   "Write",
    "Create",  "MkDir",       "SymLink", "MkNod",  "Remove",   "RmDir",    "Rename", "Link",
    "ReadDir", "ReadDirPlus", "FsStat",  "FsInfo", "PathConf", "Commit"};
constexpr const char* kV4[procfs::kNfsClientV4Procedures] = {"Null",
                                                             "Read",
                                                             "Write",
                                                             "Commit",
                                                             "Open",
                                                             "OpenConfirm",
                                                             "OpenNoattr",
                                                             "OpenDowngrade",
                                                             "Close",
                                                             "Setattr",
                                                             "FsInfo",
                                                             "Renew",
                                                             "SetClientID",
                                                             "SetClientIDConfirm",
                                                             "Lock",
                                                             "Lockt",
                                                             "Locku",
                                                             "Access",
                                                             "Getattr",
                                                             "Lookup",
                                                             "LookupRoot",
                                                             "Remove",
                                                             "Rename",
                                                             "Link",
                                                             "Symlink",
                                                             "Create",
                                                             "Pathconf",
                                                             "StatFs",
                                                             "ReadLink",
                                                             "ReadDir",
                                                             "ServerCaps",
                                                             "DelegReturn",
                                                             "GetACL",
                                                             "SetACL",
                                                             "FsLocations",
                                                             "ReleaseLockowner",
                                                             "Secinfo",
                                                             "FsidPresent",
                                                             "ExchangeID",
                                                             "CreateSession",
                                                             "DestroySession",
                                                             "Sequence",
                                                             "GetLeaseTime",
                                                             "ReclaimComplete",
                                                             "LayoutGet",
                                                             "GetDeviceInfo",
                                                             "LayoutCommit",
                                                             "LayoutReturn",
                                                             "SecinfoNoName",
                                                             "TestStateID",
                                                             "FreeStateID",
                                                             "GetDeviceList",
                                                             "BindConnToSession",
                                                             "DestroyClientID",
                                                             "Seek",
                                                             "Allocate",
                                                             "DeAllocate",
                                                             "LayoutStats",
                                                             "Clone"};

void AddRequests(prometheus::MetricFamily& family, const char* proto, const char* const* names,
                 const std::vector<uint64_t>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    AddSample(family, static_cast<double>(values[i]), {{"proto", proto}, {"method", names[i]}});
  }
}

}  // namespace

NfsCollector::NfsCollector(const Paths& paths)
    : procfs_(paths.procfs), file_(procfs::JoinPath(paths.procfs, "net/rpc/nfs")) {}

Status NfsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = file_.Read();
  if (!text.ok()) {
    if (text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(text.error());
  }
  const auto stats = procfs::ParseNfsClientStats(*text);
  if (!stats.ok()) return Status::Fail(file_.path() + ": " + stats.error());

  auto& packets =
      AddFamily(out, "node_nfs_packets_total",
                "Total NFSd network packets (sent+received) by protocol type.", kCounter);
  AddSample(packets, static_cast<double>(stats->network.udp_count), {{"protocol", "udp"}});
  AddSample(packets, static_cast<double>(stats->network.tcp_count), {{"protocol", "tcp"}});
  AddSingle(out, "node_nfs_connections_total", "Total number of NFSd TCP connections.", kCounter,
            static_cast<double>(stats->network.tcp_connect));
  AddSingle(out, "node_nfs_rpcs_total", "Total number of RPCs performed.", kCounter,
            static_cast<double>(stats->rpc_count));
  AddSingle(out, "node_nfs_rpc_retransmissions_total", "Number of RPC transmissions performed.",
            kCounter, static_cast<double>(stats->retransmissions));
  AddSingle(out, "node_nfs_rpc_authentication_refreshes_total",
            "Number of RPC authentication refreshes performed.", kCounter,
            static_cast<double>(stats->auth_refreshes));
  auto& requests =
      AddFamily(out, "node_nfs_requests_total", "Number of NFS procedures invoked.", kCounter);
  AddRequests(requests, "2", kV2, stats->v2);
  AddRequests(requests, "3", kV3, stats->v3);
  AddRequests(requests, "4", kV4, stats->v4);
  return Status::Ok();
}

extern const CollectorSpec nfs_spec = {
    .name = "nfs",
    .enabled_by_default = true,
    .description = "NFS client RPC statistics (/proc/net/rpc/nfs)",
    .make = MakeWithPaths<NfsCollector>,
};

}  // namespace vitals::collectors
