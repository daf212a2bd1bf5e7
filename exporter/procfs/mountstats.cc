#include "procfs/mountstats.h"

#include "procfs/go_text.h"

namespace vitals::procfs {
namespace {

// bufio.Scanner over the text, shared by the nested readers as procfs shares it.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : lines_(GoLineList(text)) {}
  bool Next(std::vector<std::string_view>& fields) {
    if (next_ >= lines_.size()) return false;
    fields = GoFields(lines_[next_++]);
    return true;
  }

 private:
  std::vector<std::string_view> lines_;
  size_t next_ = 0;
};

std::string Words(const std::vector<std::string_view>& ss) {
  std::string out = "[";
  for (size_t i = 0; i < ss.size(); ++i) {
    if (i > 0) out += ' ';
    out += ss[i];
  }
  return out + "]";
}

template <size_t N>
Status ParseCounts(const std::vector<std::string_view>& ss, std::array<uint64_t, N>& out,
                   const char* what) {
  if (ss.size() != N + 1)
    return Status::Fail(std::string("invalid NFS ") + what + " stats: " + Words(ss));
  for (size_t i = 0; i < N; ++i) {
    const auto value = ParseGoUint10(ss[i + 1]);
    if (!value) return Status::Fail(std::string("invalid NFS ") + what + " stats: " + Words(ss));
    out[i] = *value;
  }
  return Status::Ok();
}

Status ParseTransport(const std::vector<std::string_view>& ss, std::string_view version,
                      NfsTransportStats& out) {
  out.protocol = std::string(ss[1]);
  size_t expected = 0;
  if (version != "1.0" && version != "1.1") {
    return Status::Fail("unrecognized NFS transport stats version: \"" + std::string(version) +
                        "\"");
  }
  if (out.protocol == "tcp") {
    expected = version == "1.0" ? 10 : 13;
  } else if (out.protocol == "udp") {
    expected = version == "1.0" ? 7 : 10;
  } else {
    return Status::Fail("invalid NFS protocol \"" + out.protocol + "\": " + Words(ss));
  }
  if (ss.size() - 2 != expected) {
    return Status::Fail("invalid NFS transport stats " + std::string(version) +
                        " statement: " + Words(ss));
  }
  std::array<uint64_t, 13> values{};
  for (size_t i = 0; i < expected; ++i) {
    const auto value = ParseGoUint10(ss[i + 2]);
    if (!value) return Status::Fail("invalid NFS transport stats: " + Words(ss));
    values[i] = *value;
  }
  if (out.protocol == "udp") {
    // UDP has no connect, connect_idle_time nor idle_time: procfs inserts three zeros.
    out.values = {};
    out.values[0] = values[0];
    out.values[1] = values[1];
    for (size_t i = 2; i + 3 < out.values.size(); ++i) out.values[i + 3] = values[i];
  } else {
    out.values = values;
  }
  return Status::Ok();
}

Status ParseOperations(LineCursor& lines, std::vector<NfsOperationStats>& out) {
  std::vector<std::string_view> ss;
  while (lines.Next(ss)) {
    if (ss.empty()) break;
    if (ss.size() < 9) return Status::Fail("invalid NFS per-operations stats: " + Words(ss));
    std::vector<uint64_t> ns;
    for (size_t i = 1; i < ss.size(); ++i) {
      const auto value = ParseGoUint10(ss[i]);
      if (!value) return Status::Fail("invalid NFS per-operations stats: " + Words(ss));
      ns.push_back(*value);
    }
    std::string_view name = ss[0];
    if (name.ends_with(':')) name.remove_suffix(1);
    out.push_back({std::string(name), ns[0], ns[1], ns[2], ns[3], ns[4], ns[5], ns[6], ns[7]});
  }
  return Status::Ok();
}

Result<NfsMountStats> ParseNfs(LineCursor& lines, std::string_view version) {
  NfsMountStats stats;
  std::vector<std::string_view> ss;
  const auto short_line = [&] {
    return Error{"not enough information for NFS stats: " + Words(ss)};
  };
  while (lines.Next(ss)) {
    if (ss.empty()) break;
    if (ss[0] == "opts:") {
      if (ss.size() < 2) return short_line();
    } else if (ss[0] == "age:") {
      if (ss.size() < 2) return short_line();
      const auto ns = ParseGoDuration(std::string(ss[1]) + "s");
      if (!ns) return Error{"time: invalid duration \"" + std::string(ss[1]) + "s\""};
      // Duration.Seconds(): whole seconds plus the remaining nanoseconds.
      stats.age_seconds =
          static_cast<double>(*ns / 1000000000) + static_cast<double>(*ns % 1000000000) / 1e9;
    } else if (ss[0] == "bytes:") {
      if (ss.size() < 2) return short_line();
      if (const Status s = ParseCounts(ss, stats.bytes, "bytes"); !s.ok()) {
        return Error{s.message()};
      }
    } else if (ss[0] == "events:") {
      if (ss.size() < 2) return short_line();
      if (const Status s = ParseCounts(ss, stats.events, "events"); !s.ok()) {
        return Error{s.message()};
      }
    } else if (ss[0] == "xprt:") {
      if (ss.size() < 3)
        return Error{"not enough information for NFS transport stats: " + Words(ss)};
      if (const Status s = ParseTransport(ss, version, stats.transport); !s.ok()) {
        return Error{s.message()};
      }
    } else if (ss[0] == "per-op") {
      break;
    }
  }
  if (const Status s = ParseOperations(lines, stats.operations); !s.ok()) return Error{s.message()};
  return stats;
}

// strconv.Atoi: an optional sign and decimal digits that fit int64.
bool IsGoInt(std::string_view s) { return ParseGoInt(s, 10).has_value(); }

}  // namespace

Result<std::vector<MountStats>> ParseMountStats(std::string_view text) {
  std::vector<MountStats> mounts;
  LineCursor lines(text);
  std::vector<std::string_view> ss;
  while (lines.Next(ss)) {
    if (ss.empty() || ss[0] != "device") continue;
    if (ss.size() < 8 || ss[2] != "mounted" || ss[3] != "on" || ss[5] != "with" ||
        ss[6] != "fstype") {
      return Error{"invalid device entry: " + Words(ss)};
    }
    MountStats mount{std::string(ss[1]), std::string(ss[4]), std::string(ss[7]), std::nullopt};
    if (ss.size() > 8) {
      if (mount.type != "nfs" && mount.type != "nfs4") {
        return Error{"cannot parse MountStats for fstype \"" + mount.type + "\""};
      }
      std::string_view version = ss[8];
      if (version.starts_with("statvers=")) version.remove_prefix(9);
      auto nfs = ParseNfs(lines, version);
      if (!nfs.ok()) return nfs.failure();
      mount.nfs = std::move(*nfs);
    }
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

Result<std::vector<std::string>> ParseMountinfoAddrs(std::string_view text) {
  std::vector<std::string> addrs;
  for (const std::string_view line : GoLineList(text)) {
    std::vector<std::string_view> fields;  // strings.Split(line, " ")
    size_t start = 0;
    while (true) {
      const size_t space = line.find(' ', start);
      fields.push_back(line.substr(start, space - start));
      if (space == std::string_view::npos) break;
      start = space + 1;
    }
    const size_t n = fields.size();
    if (n < 10) return Error{"couldn't find enough fields in mount string: " + std::string(line)};
    if (fields[n - 4] != "-") {
      return Error{"couldn't find separator in expected field: " + std::string(fields[n - 4])};
    }
    if (!IsGoInt(fields[0])) return Error{"failed to parse mount ID"};
    if (!IsGoInt(fields[1])) return Error{"failed to parse parent ID"};
    // mountOptionsParser: the last "addr" (or "addr=v=w": "v") wins.
    std::string addr;
    std::string_view options = fields[n - 1];
    while (true) {
      const size_t comma = options.find(',');
      const std::string_view option = options.substr(0, comma);
      const size_t eq = option.find('=');
      if (option.substr(0, eq) == "addr") {
        addr = eq == std::string_view::npos
                   ? ""
                   : std::string(option.substr(eq + 1, option.find('=', eq + 1) - eq - 1));
      }
      if (comma == std::string_view::npos) break;
      options.remove_prefix(comma + 1);
    }
    addrs.push_back(std::move(addr));
  }
  return addrs;
}

std::optional<int64_t> ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  constexpr uint64_t kMax = uint64_t{1} << 63;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) return std::nullopt;
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (v > kMax / 10) return std::nullopt;
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMax) return std::nullopt;
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    bool post = false;
    uint64_t f = 0;
    double scale = 1;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      bool overflow = false;
      for (i = 0; i < s.size() && is_digit(s[i]); ++i) {
        if (overflow) continue;
        if (f > (kMax - 1) / 10) {
          overflow = true;
          continue;
        }
        const uint64_t y = f * 10 + static_cast<uint64_t>(s[i] - '0');
        if (y > kMax) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > 0;
      s.remove_prefix(i);
    }
    if (!pre && !post) return std::nullopt;
    for (i = 0; i < s.size() && s[i] != '.' && !is_digit(s[i]); ++i) {
    }
    if (i == 0) return std::nullopt;
    const std::string_view unit_name = s.substr(0, i);
    s.remove_prefix(i);
    uint64_t unit = 0;
    if (unit_name == "ns") {
      unit = 1;
    } else if (unit_name == "us" || unit_name == "\xC2\xB5s" || unit_name == "\xCE\xBCs") {
      unit = 1000;
    } else if (unit_name == "ms") {
      unit = 1000000;
    } else if (unit_name == "s") {
      unit = 1000000000;
    } else if (unit_name == "m") {
      unit = 60000000000;
    } else if (unit_name == "h") {
      unit = 3600000000000;
    } else {
      return std::nullopt;
    }
    if (v > kMax / unit) return std::nullopt;
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMax) return std::nullopt;
    }
    total += v;
    if (total > kMax) return std::nullopt;
  }
  if (negative) return static_cast<int64_t>(0 - total);
  if (total > kMax - 1) return std::nullopt;
  return static_cast<int64_t>(total);
}

}  // namespace vitals::procfs
