#include "procfs/net_ip_vs.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "base/text.h"

namespace vitals::procfs {
namespace {

// Go's strconv.ParseUint(s, base, bits) for base 10 or 16 (no prefix, sign or '_').
template <typename T>
bool ParseUnsigned(std::string_view s, int base, T& value) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool digit = c >= '0' && c <= '9';
    const bool hex = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit && !(base == 16 && hex)) return false;
  }
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Go's strings.Fields for ASCII: runs of space, \t, \v, \f, \r separate fields.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && space(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !space(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::string FormatIpv4(const uint8_t* b) {
  char out[16];
  std::snprintf(out, sizeof(out), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  return out;
}

// Go's net.IP.String() of a 16-byte address.
std::string FormatIpv6(const uint8_t* b) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(b, b + 12, kMapped)) return FormatIpv4(b + 12);
  // The longest run of two or more zero groups (the first of equal ones) becomes "::".
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && b[2 * j] == 0 && b[2 * j + 1] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char group[5];
    std::snprintf(group, sizeof(group), "%x", (b[2 * i] << 8) | b[2 * i + 1]);
    out += group;
  }
  return out;
}

}  // namespace

Result<IpvsStats> ParseIpvsStats(std::string_view text) {
  // strings.SplitN(text, "\n", 4) must give four parts.
  std::string_view rest = text;
  std::string_view lines[3];
  for (auto& line : lines) {
    const size_t end = rest.find('\n');
    if (end == std::string_view::npos) return Error{"ip_vs_stats corrupt: too short"};
    line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
  }
  const auto fields = Fields(lines[2]);
  if (fields.size() != 5) return Error{"ip_vs_stats corrupt: unexpected number of fields"};
  IpvsStats stats;
  uint64_t* const values[] = {&stats.connections, &stats.incoming_packets, &stats.outgoing_packets,
                              &stats.incoming_bytes, &stats.outgoing_bytes};
  for (size_t i = 0; i < 5; ++i) {
    if (!ParseUnsigned(fields[i], 16, *values[i])) {
      return Error{"ip_vs_stats: not a hexadecimal counter: " + std::string(fields[i])};
    }
  }
  return stats;
}

bool ParseIpvsAddress(std::string_view text, std::string& address, uint16_t& port) {
  if (text.size() == 13) {
    uint8_t bytes[4];
    for (int i = 0; i < 4; ++i) {
      if (!ParseUnsigned(text.substr(2 * i, 2), 16, bytes[i])) return false;
    }
    address = FormatIpv4(bytes);
  } else if (text.size() == 46) {
    const std::string ip(text.substr(1, 39));
    uint8_t bytes[16];
    if (inet_pton(AF_INET6, ip.c_str(), bytes) != 1) return false;
    address = FormatIpv6(bytes);
  } else {
    return false;
  }
  return ParseUnsigned(text.substr(text.size() - 4), 16, port);
}

Result<std::vector<IpvsBackend>> ParseIpvsBackends(std::string_view text) {
  std::vector<IpvsBackend> backends;
  std::string proto, local_mark, local_address;
  uint16_t local_port = 0;
  for (size_t number = 1; !text.empty(); ++number) {
    const std::string_view line = NextLine(text);
    const auto fields = Fields(line);
    if (fields.size() < 2) continue;
    const auto fail = [&](std::string_view what) {
      return Error{"line " + std::to_string(number) + ": " + std::string(what) + ": " +
                   std::string(line)};
    };
    if (fields[0] == "IP" || fields[0] == "Prot" || fields[1] == "RemoteAddress:Port") continue;
    if (fields[0] == "TCP" || fields[0] == "UDP") {
      proto = fields[0];
      local_mark.clear();
      if (!ParseIpvsAddress(fields[1], local_address, local_port)) return fail("bad address");
    } else if (fields[0] == "FWM") {
      proto = fields[0];
      local_mark = fields[1];
      local_address.clear();
      local_port = 0;
    } else if (fields[0] == "->" && fields.size() >= 6) {
      IpvsBackend backend;
      if (!ParseIpvsAddress(fields[1], backend.remote_address, backend.remote_port)) {
        return fail("bad address");
      }
      if (!ParseUnsigned(fields[3], 10, backend.weight) ||
          !ParseUnsigned(fields[4], 10, backend.active_connections) ||
          !ParseUnsigned(fields[5], 10, backend.inactive_connections)) {
        return fail("not a decimal");
      }
      backend.local_address = local_address;
      backend.local_port = local_port;
      backend.local_mark = local_mark;
      backend.proto = proto;
      backends.push_back(std::move(backend));
    }
  }
  return backends;
}

}  // namespace vitals::procfs
