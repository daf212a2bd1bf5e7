#include "collectors/mountstats_collector.h"

#include <set>
#include <string>
#include <tuple>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/mountstats.h"

namespace vitals::collectors {
namespace {

// Where a per-mount value comes from.
struct Source {
  enum Kind { kAge, kBytes, kEvent, kTransport } kind;
  size_t index;
  bool modulo_mantissa;  // node_exporter's "% float64Mantissa" (2^53) before float64().
};
constexpr Source Age() { return {Source::kAge, 0, false}; }
constexpr Source Bytes(size_t i) { return {Source::kBytes, i, false}; }
constexpr Source Event(size_t i) { return {Source::kEvent, i, false}; }
constexpr Source Transport(size_t i, bool modulo = false) {
  return {Source::kTransport, i, modulo};
}

struct MountSpec {
  const char* name;
  const char* help;
  prometheus::MetricType type;
  Source source;
};

struct OpSpec {
  const char* name;
  const char* help;
  uint64_t procfs::NfsOperationStats::*field;
  bool milliseconds;  // % 2^53, then / 1000 to seconds.
};

constexpr uint64_t kFloat64Mantissa = uint64_t{1} << 53;

// node_exporter 1.5's per-mount families, in its order.
const MountSpec kMountSpecs[] = {
    {"node_mountstats_nfs_age_seconds_total", "The age of the NFS mount in seconds.", kCounter,
     Age()},
    {"node_mountstats_nfs_read_bytes_total", "Number of bytes read using the read() syscall.",
     kCounter, Bytes(0)},
    {"node_mountstats_nfs_write_bytes_total", "Number of bytes written using the write() syscall.",
     kCounter, Bytes(1)},
    {"node_mountstats_nfs_direct_read_bytes_total",
     "Number of bytes read using the read() syscall in O_DIRECT mode.", kCounter, Bytes(2)},
    {"node_mountstats_nfs_direct_write_bytes_total",
     "Number of bytes written using the write() syscall in O_DIRECT mode.", kCounter, Bytes(3)},
    {"node_mountstats_nfs_total_read_bytes_total",
     "Number of bytes read from the NFS server, in total.", kCounter, Bytes(4)},
    {"node_mountstats_nfs_total_write_bytes_total",
     "Number of bytes written to the NFS server, in total.", kCounter, Bytes(5)},
    {"node_mountstats_nfs_read_pages_total", "Number of pages read directly via mmap()'d files.",
     kCounter, Bytes(6)},
    {"node_mountstats_nfs_write_pages_total",
     "Number of pages written directly via mmap()'d files.", kCounter, Bytes(7)},
    {"node_mountstats_nfs_transport_bind_total",
     "Number of times the client has had to establish a connection from scratch to the NFS server.",
     kCounter, Transport(1)},
    {"node_mountstats_nfs_transport_connect_total",
     "Number of times the client has made a TCP connection to the NFS server.", kCounter,
     Transport(2)},
    {"node_mountstats_nfs_transport_idle_time_seconds",
     "Duration since the NFS mount last saw any RPC traffic, in seconds.", kGauge,
     Transport(4, true)},
    {"node_mountstats_nfs_transport_sends_total",
     "Number of RPC requests for this mount sent to the NFS server.", kCounter, Transport(5)},
    {"node_mountstats_nfs_transport_receives_total",
     "Number of RPC responses for this mount received from the NFS server.", kCounter,
     Transport(6)},
    {"node_mountstats_nfs_transport_bad_transaction_ids_total",
     "Number of times the NFS server sent a response with a transaction ID unknown to this client.",
     kCounter, Transport(7)},
    {"node_mountstats_nfs_transport_backlog_queue_total",
     "Total number of items added to the RPC backlog queue.", kCounter, Transport(9)},
    {"node_mountstats_nfs_transport_maximum_rpc_slots",
     "Maximum number of simultaneously active RPC requests ever used.", kGauge, Transport(10)},
    {"node_mountstats_nfs_transport_sending_queue_total",
     "Total number of items added to the RPC transmission sending queue.", kCounter, Transport(11)},
    {"node_mountstats_nfs_transport_pending_queue_total",
     "Total number of items added to the RPC transmission pending queue.", kCounter, Transport(12)},
    {"node_mountstats_nfs_event_inode_revalidate_total",
     "Number of times cached inode attributes are re-validated from the server.", kCounter,
     Event(0)},
    {"node_mountstats_nfs_event_dnode_revalidate_total",
     "Number of times cached dentry nodes are re-validated from the server.", kCounter, Event(1)},
    {"node_mountstats_nfs_event_data_invalidate_total",
     "Number of times an inode cache is cleared.", kCounter, Event(2)},
    {"node_mountstats_nfs_event_attribute_invalidate_total",
     "Number of times cached inode attributes are invalidated.", kCounter, Event(3)},
    {"node_mountstats_nfs_event_vfs_open_total",
     "Number of times cached inode attributes are invalidated.", kCounter, Event(4)},
    {"node_mountstats_nfs_event_vfs_lookup_total",
     "Number of times a directory lookup has occurred.", kCounter, Event(5)},
    {"node_mountstats_nfs_event_vfs_access_total", "Number of times permissions have been checked.",
     kCounter, Event(6)},
    {"node_mountstats_nfs_event_vfs_update_page_total",
     "Number of updates (and potential writes) to pages.", kCounter, Event(7)},
    {"node_mountstats_nfs_event_vfs_read_page_total",
     "Number of pages read directly via mmap()'d files.", kCounter, Event(8)},
    {"node_mountstats_nfs_event_vfs_read_pages_total",
     "Number of times a group of pages have been read.", kCounter, Event(9)},
    {"node_mountstats_nfs_event_vfs_write_page_total",
     "Number of pages written directly via mmap()'d files.", kCounter, Event(10)},
    {"node_mountstats_nfs_event_vfs_write_pages_total",
     "Number of times a group of pages have been written.", kCounter, Event(11)},
    {"node_mountstats_nfs_event_vfs_getdents_total",
     "Number of times directory entries have been read with getdents().", kCounter, Event(12)},
    {"node_mountstats_nfs_event_vfs_setattr_total",
     "Number of times directory entries have been read with getdents().", kCounter, Event(13)},
    {"node_mountstats_nfs_event_vfs_flush_total",
     "Number of pending writes that have been forcefully flushed to the server.", kCounter,
     Event(14)},
    {"node_mountstats_nfs_event_vfs_fsync_total",
     "Number of times fsync() has been called on directories and files.", kCounter, Event(15)},
    {"node_mountstats_nfs_event_vfs_lock_total",
     "Number of times locking has been attempted on a file.", kCounter, Event(16)},
    {"node_mountstats_nfs_event_vfs_file_release_total",
     "Number of times files have been closed and released.", kCounter, Event(17)},
    {"node_mountstats_nfs_event_truncation_total", "Number of times files have been truncated.",
     kCounter, Event(19)},
    {"node_mountstats_nfs_event_write_extension_total",
     "Number of times a file has been grown due to writes beyond its existing end.", kCounter,
     Event(20)},
    {"node_mountstats_nfs_event_silly_rename_total",
     "Number of times a file was removed while still open by another process.", kCounter,
     Event(21)},
    {"node_mountstats_nfs_event_short_read_total",
     "Number of times the NFS server gave less data than expected while reading.", kCounter,
     Event(22)},
    {"node_mountstats_nfs_event_short_write_total",
     "Number of times the NFS server wrote less data than expected while writing.", kCounter,
     Event(23)},
    {"node_mountstats_nfs_event_jukebox_delay_total",
     "Number of times the NFS server indicated EJUKEBOX; retrieving data from offline storage.",
     kCounter, Event(24)},
    {"node_mountstats_nfs_event_pnfs_read_total", "Number of NFS v4.1+ pNFS reads.", kCounter,
     Event(25)},
    {"node_mountstats_nfs_event_pnfs_write_total", "Number of NFS v4.1+ pNFS writes.", kCounter,
     Event(26)},
};

// Per mount and operation.
const OpSpec kOpSpecs[] = {
    {"node_mountstats_nfs_operations_requests_total",
     "Number of requests performed for a given operation.", &procfs::NfsOperationStats::requests,
     false},
    {"node_mountstats_nfs_operations_transmissions_total",
     "Number of times an actual RPC request has been transmitted for a given operation.",
     &procfs::NfsOperationStats::transmissions, false},
    {"node_mountstats_nfs_operations_major_timeouts_total",
     "Number of times a request has had a major timeout for a given operation.",
     &procfs::NfsOperationStats::major_timeouts, false},
    {"node_mountstats_nfs_operations_sent_bytes_total",
     "Number of bytes sent for a given operation, including RPC headers and payload.",
     &procfs::NfsOperationStats::bytes_sent, false},
    {"node_mountstats_nfs_operations_received_bytes_total",
     "Number of bytes received for a given operation, including RPC headers and payload.",
     &procfs::NfsOperationStats::bytes_received, false},
    {"node_mountstats_nfs_operations_queue_time_seconds_total",
     "Duration all requests spent queued for transmission for a given operation before they were "
     "sent, in seconds.",
     &procfs::NfsOperationStats::queue_ms, true},
    {"node_mountstats_nfs_operations_response_time_seconds_total",
     "Duration all requests took to get a reply back after a request for a given operation was "
     "transmitted, in seconds.",
     &procfs::NfsOperationStats::response_ms, true},
    {"node_mountstats_nfs_operations_request_time_seconds_total",
     "Duration all requests took from when a request was enqueued to when it was completely "
     "handled for a given operation, in seconds.",
     &procfs::NfsOperationStats::request_ms, true},
};

double MountValue(const procfs::NfsMountStats& nfs, const Source& source) {
  uint64_t value = 0;
  switch (source.kind) {
    case Source::kAge:
      return nfs.age_seconds;
    case Source::kBytes:
      value = nfs.bytes[source.index];
      break;
    case Source::kEvent:
      value = nfs.events[source.index];
      break;
    case Source::kTransport:
      value = nfs.transport.values[source.index];
      break;
  }
  if (source.modulo_mantissa) value %= kFloat64Mantissa;
  return static_cast<double>(value);
}

}  // namespace

MountstatsCollector::MountstatsCollector(const Paths& paths)
    : mountstats_file_(procfs::JoinPath(paths.procfs, "self/mountstats")),
      mountinfo_file_(procfs::JoinPath(paths.procfs, "self/mountinfo")) {}

Status MountstatsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto stats_text = mountstats_file_.Read();
  if (!stats_text.ok()) return Status::Fail("failed to parse mountstats: " + stats_text.error());
  const auto mounts = procfs::ParseMountStats(*stats_text);
  if (!mounts.ok()) {
    return Status::Fail("failed to parse mountstats: " + mountstats_file_.path() + ": " +
                        mounts.error());
  }
  const auto info_text = mountinfo_file_.Read();
  if (!info_text.ok()) return Status::Fail("failed to parse mountinfo: " + info_text.error());
  const auto addrs = procfs::ParseMountinfoAddrs(*info_text);
  if (!addrs.ok()) {
    return Status::Fail("failed to parse mountinfo: " + mountinfo_file_.path() + ": " +
                        addrs.error());
  }
  struct Nfs {
    const procfs::MountStats* mount;
    std::string addr;
  };
  std::vector<Nfs> nfs_mounts;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (size_t i = 0; i < mounts->size(); ++i) {
    const auto& mount = (*mounts)[i];
    if (!mount.nfs) continue;
    // mountstats and mountinfo list the mounts in the same order.
    std::string addr = i < addrs->size() ? (*addrs)[i] : "";
    if (!seen.emplace(mount.device, mount.nfs->transport.protocol, addr).second) continue;
    nfs_mounts.push_back({&mount, std::move(addr)});
  }
  if (nfs_mounts.empty()) return Status::Ok();
  for (const MountSpec& spec : kMountSpecs) {
    auto& family = AddFamily(out, spec.name, spec.help, spec.type);
    for (const auto& nfs : nfs_mounts) {
      AddSample(family, MountValue(*nfs.mount->nfs, spec.source),
                {{"export", nfs.mount->device},
                 {"protocol", nfs.mount->nfs->transport.protocol},
                 {"mountaddr", nfs.addr}});
    }
  }
  for (const OpSpec& spec : kOpSpecs) {
    auto& family = AddFamily(out, spec.name, spec.help, kCounter);
    for (const auto& nfs : nfs_mounts) {
      for (const auto& op : nfs.mount->nfs->operations) {
        uint64_t value = op.*spec.field;
        if (spec.milliseconds) value %= kFloat64Mantissa;
        AddSample(
            family,
            spec.milliseconds ? static_cast<double>(value) / 1000.0 : static_cast<double>(value),
            {{"export", nfs.mount->device},
             {"protocol", nfs.mount->nfs->transport.protocol},
             {"mountaddr", nfs.addr},
             {"operation", op.operation}});
      }
    }
  }
  return Status::Ok();
}

extern const CollectorSpec mountstats_spec = {
    .name = "mountstats",
    .enabled_by_default = false,
    .description = "NFS client statistics per mount (/proc/self/mountstats)",
    .make = MakeWithPaths<MountstatsCollector>,
};

}  // namespace vitals::collectors
