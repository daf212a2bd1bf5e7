// /proc/<pid>/mountstats: one "device X mounted on Y with fstype Z [statvers=V]" line per
// mount, NFS mounts followed by their statistics (opts, age, bytes, events, xprt and the
// per-op table), and /proc/<pid>/mountinfo's super-block "addr" option, read as
// prometheus/procfs 0.8.0's MountStats() and MountInfo() (mountstats.go, mountinfo.go),
// which node_exporter 1.5's mountstats collector publishes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct NfsOperationStats {
  std::string operation;  // "READ"
  uint64_t requests = 0, transmissions = 0, major_timeouts = 0, bytes_sent = 0, bytes_received = 0,
           queue_ms = 0, response_ms = 0, request_ms = 0;
};

struct NfsTransportStats {
  std::string protocol;  // "tcp", "udp"
  // Port, bind, connect, connect_idle_time, idle_time_seconds, sends, receives,
  // bad_xids, active_requests, backlog, max_slots, sending_queue, pending_queue; udp
  // lines have no connect, connect_idle_time and idle_time (0 here, as procfs fills them).
  std::array<uint64_t, 13> values{};
};

struct NfsMountStats {
  double age_seconds = 0;           // Go's time.Duration(age "s").Seconds()
  std::array<uint64_t, 8> bytes{};  // read, write, direct read/write, total read/write, pages
  std::array<uint64_t, 27> events{};
  NfsTransportStats transport;
  std::vector<NfsOperationStats> operations;
};

struct MountStats {
  std::string device;  // "192.168.1.1:/srv/test"
  std::string mount_point;
  std::string type;
  std::optional<NfsMountStats> nfs;  // Only for lines with a statvers= (nfs, nfs4).
};

// As procfs, any malformed line of a mount it reads fails the whole file: a "device"
// line of fewer than 8 words or without "mounted on ... with fstype", statistics on a
// type other than nfs/nfs4, an age that is not a Go duration, bytes not 8 or events not
// 27 decimal numbers, an xprt line of the wrong length for its protocol (tcp, udp) and
// statvers (1.0, 1.1), a per-op line of fewer than 9 words or with a non-decimal count.
// The per-op table runs from "per-op" (or from the first blank line) to the next blank
// line. Lines outside a "device" block are skipped.
Result<std::vector<MountStats>> ParseMountStats(std::string_view text);

// Each mountinfo line's super-block "addr=" option ("" without one), in the file's
// order. Fails as procfs's parseMountInfo: fewer than 10 space-separated fields, no "-"
// fourth from the end, a mount or parent ID that is not an integer.
Result<std::vector<std::string>> ParseMountinfoAddrs(std::string_view text);

// Go's time.ParseDuration in nanoseconds ("13968s", "1m30.5s", "-2h"); nullopt on
// anything it refuses.
std::optional<int64_t> ParseGoDuration(std::string_view s);

}  // namespace vitals::procfs
