// /proc/net/rpc/nfs (NFS client) and /proc/net/rpc/nfsd (NFS server): the kernel's
// SunRPC statistics, as prometheus/procfs 0.8.0's nfs package reads them for
// node_exporter 1.5's nfs and nfsd collectors, e.g.
//   net 18628 0 18628 6
//   rpc 4329785 0 4338291
//   proc3 22 1 4084749 29200 ...
// Every line is a key and unsigned decimals; a procN line starts with its count.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct RpcNetwork {
  uint64_t net_count = 0, udp_count = 0, tcp_count = 0, tcp_connect = 0;
};

// Each procedure list holds the values after the line's count, cut (or, for the
// client's v4, zero-padded) to the procedures node_exporter 1.5 names; a line that is
// absent leaves zeros, as prometheus/procfs does.
inline constexpr size_t kNfsV2Procedures = 18;        // Null .. FsStat
inline constexpr size_t kNfsV3Procedures = 22;        // Null .. Commit
inline constexpr size_t kNfsClientV4Procedures = 59;  // Null .. Clone
inline constexpr size_t kNfsdV4Operations = 38;       // Op0Unused .. RelLockOwner

struct NfsClientStats {
  RpcNetwork network;
  uint64_t rpc_count = 0, retransmissions = 0, auth_refreshes = 0;
  std::vector<uint64_t> v2 = std::vector<uint64_t>(kNfsV2Procedures);
  std::vector<uint64_t> v3 = std::vector<uint64_t>(kNfsV3Procedures);
  std::vector<uint64_t> v4 = std::vector<uint64_t>(kNfsClientV4Procedures);
};

struct NfsServerStats {
  uint64_t rc_hits = 0, rc_misses = 0, rc_nocache = 0;               // rc
  uint64_t fh_stale = 0, fh_total_lookups = 0, fh_anon_lookups = 0;  // fh (5 values)
  uint64_t fh_dir_nocache = 0, fh_nodir_nocache = 0;
  uint64_t io_read = 0, io_write = 0;            // io
  uint64_t threads = 0, threads_full_count = 0;  // th: the first two values
  uint64_t ra_cache_size = 0, ra_not_found = 0;  // ra: size, 10 buckets, not found
  RpcNetwork network;                            // net
  uint64_t rpc_count = 0, bad_count = 0, bad_fmt = 0, bad_auth = 0, bad_client = 0;  // rpc
  std::vector<uint64_t> v2 = std::vector<uint64_t>(kNfsV2Procedures);
  std::vector<uint64_t> v3 = std::vector<uint64_t>(kNfsV3Procedures);
  uint64_t v4_null = 0, v4_compound = 0;                                    // proc4: exactly 2
  std::vector<uint64_t> v4_ops = std::vector<uint64_t>(kNfsdV4Operations);  // proc4ops
};

// prometheus/procfs's ParseClientRPCStats and ParseServerRPCStats rule for rule: lines
// split on '\n' (a '\r' before it dropped) into ASCII-whitespace fields; every line
// needs a key and a value, all values unsigned decimals; an unknown key, a wrong value
// count (net 4, rpc 3 client / 5 server, rc 3, fh 5, io 2, th >= 2 (only two parsed),
// ra 12, procN's count must equal the values after it, proc2 >= 18, proc3 >= 22,
// server proc4 == 2, proc4ops >= 39) fails the whole text. Empty text is all zeros.
Result<NfsClientStats> ParseNfsClientStats(std::string_view text);
Result<NfsServerStats> ParseNfsServerStats(std::string_view text);

}  // namespace vitals::procfs
