#include "collectors/nfsd_collector.h"

#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/net_rpc_nfs.h"

namespace vitals::collectors {
namespace {

// node_exporter 1.5 publishes the v2 and v3 procedures but Null (prometheus/procfs's
// V2Stats/V3Stats field names) and these v4 operations (its V4Ops field names, index
// into proc4ops' values): not the three unused ones, PutPubFH nor PutRootFH.
constexpr const char* kV2[procfs::kNfsV2Procedures] = {
    nullptr,  "GetAttr", "SetAttr", "Root", "Lookup",  "ReadLink", "Read",  "WrCache", "Write",
    "Create", "Remove",  "Rename",  "Link", "SymLink", "MkDir",    "RmDir", "ReadDir", "FsStat"};
constexpr const char* kV3[procfs::kNfsV3Procedures] = {
    nullptr,   "GetAttr",     "SetAttr", "Lookup", "Access",   "ReadLink", "Read",   "Write",
    "Create",  "MkDir",       "SymLink", "MkNod",  "Remove",   "RmDir",    "Rename", "Link",
    "ReadDir", "ReadDirPlus", "FsStat",  "FsInfo", "PathConf", "Commit"};
constexpr const char* kV4Ops[procfs::kNfsdV4Operations] = {
    nullptr,      nullptr,       nullptr,       "Access",    "Close",  "Commit",   "Create",
    "DelegPurge", "DelegReturn", "GetAttr",     "GetFH",     "Link",   "Lock",     "Lockt",
    "Locku",      "Lookup",      "LookupRoot",  "Nverify",   "Open",   "OpenAttr", "OpenConfirm",
    "OpenDgrd",   "PutFH",       nullptr,       nullptr,     "Read",   "ReadDir",  "ReadLink",
    "Remove",     "Rename",      "Renew",       "RestoreFH", "SaveFH", "SecInfo",  "SetAttr",
    "Verify",     "Write",       "RelLockOwner"};

void AddRequests(prometheus::MetricFamily& family, const char* proto, const char* const* names,
                 const std::vector<uint64_t>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (names[i] == nullptr) continue;
    AddSample(family, static_cast<double>(values[i]), {{"proto", proto}, {"method", names[i]}});
  }
}

void AddCounter(Families& out, std::string name, std::string help, uint64_t value) {
  AddSingle(out, std::move(name), std::move(help), kCounter, static_cast<double>(value));
}

}  // namespace

NfsdCollector::NfsdCollector(const Paths& paths)
    : procfs_(paths.procfs), file_(procfs::JoinPath(paths.procfs, "net/rpc/nfsd")) {}

Status NfsdCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = file_.Read();
  if (!text.ok()) {
    if (text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(text.error());
  }
  const auto parsed = procfs::ParseNfsServerStats(*text);
  if (!parsed.ok()) return Status::Fail(file_.path() + ": " + parsed.error());
  const procfs::NfsServerStats& s = *parsed;

  AddCounter(out, "node_nfsd_reply_cache_hits_total",
             "Total number of NFSd Reply Cache hits (client lost server response).", s.rc_hits);
  AddCounter(out, "node_nfsd_reply_cache_misses_total",
             "Total number of NFSd Reply Cache an operation that requires caching (idempotent).",
             s.rc_misses);
  AddCounter(out, "node_nfsd_reply_cache_nocache_total",
             "Total number of NFSd Reply Cache non-idempotent operations (rename/delete/\u2026).",
             s.rc_nocache);
  AddCounter(out, "node_nfsd_file_handles_stale_total", "Total number of NFSd stale file handles",
             s.fh_stale);
  AddCounter(out, "node_nfsd_disk_bytes_read_total", "Total NFSd bytes read.", s.io_read);
  AddCounter(out, "node_nfsd_disk_bytes_written_total", "Total NFSd bytes written.", s.io_write);
  AddSingle(out, "node_nfsd_server_threads",
            "Total number of NFSd kernel threads that are running.", kGauge,
            static_cast<double>(s.threads));
  AddSingle(out, "node_nfsd_read_ahead_cache_size_blocks",
            "How large the read ahead cache is in blocks.", kGauge,
            static_cast<double>(s.ra_cache_size));
  AddCounter(out, "node_nfsd_read_ahead_cache_not_found_total",
             "Total number of NFSd read ahead cache not found.", s.ra_not_found);
  auto& packets =
      AddFamily(out, "node_nfsd_packets_total",
                "Total NFSd network packets (sent+received) by protocol type.", kCounter);
  AddSample(packets, static_cast<double>(s.network.udp_count), {{"proto", "udp"}});
  AddSample(packets, static_cast<double>(s.network.tcp_count), {{"proto", "tcp"}});
  AddCounter(out, "node_nfsd_connections_total", "Total number of NFSd TCP connections.",
             s.network.tcp_connect);
  auto& errors = AddFamily(out, "node_nfsd_rpc_errors_total",
                           "Total number of NFSd RPC errors by error type.", kCounter);
  AddSample(errors, static_cast<double>(s.bad_fmt), {{"error", "fmt"}});
  AddSample(errors, static_cast<double>(s.bad_auth), {{"error", "auth"}});
  AddSample(errors, static_cast<double>(s.bad_client), {{"error", "cInt"}});
  AddCounter(out, "node_nfsd_server_rpcs_total", "Total number of NFSd RPCs.", s.rpc_count);
  auto& requests = AddFamily(out, "node_nfsd_requests_total",
                             "Total number NFSd Requests by method and protocol.", kCounter);
  AddRequests(requests, "2", kV2, s.v2);
  AddRequests(requests, "3", kV3, s.v3);
  AddRequests(requests, "4", kV4Ops, s.v4_ops);
  return Status::Ok();
}

extern const CollectorSpec nfsd_spec = {
    .name = "nfsd",
    .enabled_by_default = true,
    .description = "NFS server RPC statistics (/proc/net/rpc/nfsd)",
    .make = MakeWithPaths<NfsdCollector>,
};

}  // namespace vitals::collectors
