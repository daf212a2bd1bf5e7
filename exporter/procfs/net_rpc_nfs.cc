#include "procfs/net_rpc_nfs.h"

#include <string>

#include "base/text.h"
#include "procfs/go_text.h"

namespace vitals::procfs {
namespace {

Error Bad(std::string_view what, std::string_view line) {
  return Error{"invalid " + std::string(what) + " line \"" + std::string(line) + "\""};
}

// The key's values, or an error naming the line.
Result<std::vector<uint64_t>> Values(const std::vector<std::string_view>& fields, size_t end,
                                     std::string_view line) {
  std::vector<uint64_t> values;
  values.reserve(end - 1);
  for (size_t i = 1; i < end; ++i) {
    const auto value = ParseU64(fields[i]);
    if (!value) return Bad("NFS metric (not an unsigned decimal)", line);
    values.push_back(*value);
  }
  return values;
}

// A procN line: the count, then exactly that many values, at least `min` of them; the
// first out.size() values are kept (zeros after the last one given).
bool Procedures(const std::vector<uint64_t>& v, size_t min, std::vector<uint64_t>& out) {
  if (v[0] != v.size() - 1 || v[0] < min) return false;
  for (size_t i = 0; i < out.size(); ++i) out[i] = i + 1 < v.size() ? v[i + 1] : 0;
  return true;
}

bool Network(const std::vector<uint64_t>& v, RpcNetwork& net) {
  if (v.size() != 4) return false;
  net = {v[0], v[1], v[2], v[3]};
  return true;
}

bool ClientLine(std::string_view key, const std::vector<uint64_t>& v, NfsClientStats& s) {
  if (key == "net") return Network(v, s.network);
  if (key == "rpc") {
    if (v.size() != 3) return false;
    s.rpc_count = v[0];
    s.retransmissions = v[1];
    s.auth_refreshes = v[2];
    return true;
  }
  if (key == "proc2") return Procedures(v, kNfsV2Procedures, s.v2);
  if (key == "proc3") return Procedures(v, kNfsV3Procedures, s.v3);
  return Procedures(v, 0, s.v4);  // proc4: fewer than 59 on older kernels.
}

bool ServerLine(std::string_view key, const std::vector<uint64_t>& v, NfsServerStats& s) {
  if (key == "rc" && v.size() == 3) {
    s.rc_hits = v[0];
    s.rc_misses = v[1];
    s.rc_nocache = v[2];
    return true;
  }
  if (key == "fh" && v.size() == 5) {
    s.fh_stale = v[0];
    s.fh_total_lookups = v[1];
    s.fh_anon_lookups = v[2];
    s.fh_dir_nocache = v[3];
    s.fh_nodir_nocache = v[4];
    return true;
  }
  if (key == "io" && v.size() == 2) {
    s.io_read = v[0];
    s.io_write = v[1];
    return true;
  }
  if (key == "th") {  // Always the two values parsed.
    s.threads = v[0];
    s.threads_full_count = v[1];
    return true;
  }
  if (key == "ra" && v.size() == 12) {
    s.ra_cache_size = v[0];
    s.ra_not_found = v[11];
    return true;
  }
  if (key == "net") return Network(v, s.network);
  if (key == "rpc" && v.size() == 5) {
    s.rpc_count = v[0];
    s.bad_count = v[1];
    s.bad_fmt = v[2];
    s.bad_auth = v[3];
    s.bad_client = v[4];
    return true;
  }
  if (key == "proc2") return Procedures(v, kNfsV2Procedures, s.v2);
  if (key == "proc3") return Procedures(v, kNfsV3Procedures, s.v3);
  if (key == "proc4" && v.size() == 3 && v[0] == 2) {
    s.v4_null = v[1];
    s.v4_compound = v[2];
    return true;
  }
  if (key == "proc4ops") return Procedures(v, kNfsdV4Operations + 1, s.v4_ops);
  return false;
}

bool IsClientKey(std::string_view key) {
  return key == "net" || key == "rpc" || key == "proc2" || key == "proc3" || key == "proc4";
}

bool IsServerKey(std::string_view key) {
  for (const char* known :
       {"rc", "fh", "io", "th", "ra", "net", "rpc", "proc2", "proc3", "proc4", "proc4ops"}) {
    if (key == known) return true;
  }
  return false;
}

}  // namespace

Result<NfsClientStats> ParseNfsClientStats(std::string_view text) {
  NfsClientStats stats;
  for (const std::string_view line : GoLineList(text)) {
    const auto fields = GoFields(line);
    if (fields.size() < 2) return Bad("NFS metric", line);
    const auto values = Values(fields, fields.size(), line);
    if (!values.ok()) return values.failure();
    if (!IsClientKey(fields[0])) return Bad("NFS metric (unknown key)", line);
    if (!ClientLine(fields[0], *values, stats)) return Bad("NFS metric", line);
  }
  return stats;
}

Result<NfsServerStats> ParseNfsServerStats(std::string_view text) {
  NfsServerStats stats;
  for (const std::string_view line : GoLineList(text)) {
    const auto fields = GoFields(line);
    if (fields.size() < 2) return Bad("NFSd metric", line);
    const bool threads = fields[0] == "th";  // Its other values are floats.
    if (threads && fields.size() < 3) return Bad("NFSd th metric", line);
    const auto values = Values(fields, threads ? 3 : fields.size(), line);
    if (!values.ok()) return values.failure();
    if (!IsServerKey(fields[0])) return Bad("NFSd metric (unknown key)", line);
    if (!ServerLine(fields[0], *values, stats)) return Bad("NFSd metric", line);
  }
  return stats;
}

}  // namespace vitals::procfs
