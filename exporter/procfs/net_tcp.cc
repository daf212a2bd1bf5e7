#include "procfs/net_tcp.h"

#include <charconv>

#include "base/text.h"

namespace vitals::procfs {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// The whole of `s` as hex, at most `max_digits` digits; nullopt on anything else.
std::optional<uint32_t> ParseHex(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  uint32_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

// "ADDR:PORT" with ADDR as DecodeHexAddress expects and PORT as 4 hex digits.
bool ParseEndpoint(std::string_view field, std::endian order, InetAddress& address,
                   uint16_t& port) {
  const size_t colon = field.find(':');
  if (colon == std::string_view::npos) return false;
  auto decoded = DecodeHexAddress(field.substr(0, colon), order);
  auto value = ParseHex(field.substr(colon + 1), 4);
  if (!decoded || !value) return false;
  address = *decoded;
  port = static_cast<uint16_t>(*value);
  return true;
}

bool ParseLine(std::string_view line, std::endian order, InetSocket& socket) {
  // "  12: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000
  //  0 34567 1 ..." : sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode.
  const std::string_view slot = NextField(line);
  if (slot.size() < 2 || slot.back() != ':' || !ParseU64(slot.substr(0, slot.size() - 1))) {
    return false;
  }
  InetAddress remote;
  uint16_t remote_port = 0;
  if (!ParseEndpoint(NextField(line), order, socket.local, socket.local_port) ||
      !ParseEndpoint(NextField(line), order, remote, remote_port) || remote.v6 != socket.local.v6) {
    return false;
  }
  const auto state = ParseHex(NextField(line), 2);
  if (!state) return false;
  socket.state = static_cast<uint8_t>(*state);
  const std::string_view queues = NextField(line);  // "00000000:00000000", tx:rx.
  const size_t colon = queues.find(':');
  if (colon == std::string_view::npos) return false;
  const auto tx = ParseHex(queues.substr(0, colon), 8);
  const auto rx = ParseHex(queues.substr(colon + 1), 8);
  if (!tx || !rx) return false;
  socket.tx_queue = *tx;
  socket.rx_queue = *rx;
  for (int skipped = 0; skipped < 2; ++skipped) {  // timer, retransmits.
    if (NextField(line).empty()) return false;
  }
  const auto uid = ParseU64(NextField(line));
  const auto timeout = ParseI64(NextField(line));  // Printed with %d: may be negative.
  const auto inode = ParseU64(NextField(line));
  if (!uid || *uid > UINT32_MAX || !timeout || !inode) return false;
  socket.uid = static_cast<uint32_t>(*uid);
  socket.inode = *inode;
  return true;
}

}  // namespace

bool IsUnspecified(const InetAddress& address) {
  const size_t size = address.v6 ? 16 : 4;
  for (size_t i = 0; i < size; ++i) {
    if (address.bytes[i] != 0) return false;
  }
  return true;
}

InetAddress Unmapped(const InetAddress& address) {
  if (!address.v6) return address;
  for (size_t i = 0; i < kMappedPrefix.size(); ++i) {
    if (address.bytes[i] != kMappedPrefix[i]) return address;
  }
  InetAddress v4;
  for (size_t i = 0; i < 4; ++i) v4.bytes[i] = address.bytes[12 + i];
  return v4;
}

std::string FormatAddress(const InetAddress& address) {
  std::string out;
  if (!address.v6) {
    for (size_t i = 0; i < 4; ++i) {
      if (i > 0) out += '.';
      out += std::to_string(address.bytes[i]);
    }
    return out;
  }
  // RFC 5952: lower-case hex, the longest run (>= 2) of zero groups becomes "::".
  std::array<uint16_t, 8> groups{};
  for (size_t i = 0; i < 8; ++i) {
    groups[i] = static_cast<uint16_t>(address.bytes[2 * i] << 8 | address.bytes[2 * i + 1]);
  }
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  const bool mapped = Unmapped(address) != address;
  const int hex_groups = mapped ? 6 : 8;
  char hex[8];
  for (int i = 0; i < hex_groups; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    const auto [end, ec] = std::to_chars(hex, hex + sizeof hex, groups[i], 16);
    out.append(hex, end);
  }
  if (mapped) {
    if (out.back() != ':') out += ':';
    out += FormatAddress(Unmapped(address));
  }
  return out;
}

std::optional<InetAddress> DecodeHexAddress(std::string_view hex, std::endian order) {
  if (hex.size() != 8 && hex.size() != 32) return std::nullopt;
  InetAddress address;
  address.v6 = hex.size() == 32;
  for (size_t word = 0; word < hex.size() / 8; ++word) {
    const auto value = ParseHex(hex.substr(word * 8, 8), 8);
    if (!value) return std::nullopt;
    for (size_t i = 0; i < 4; ++i) {
      // Little-endian: the word's lowest byte was first in memory.
      const size_t shift = order == std::endian::little ? 8 * i : 8 * (3 - i);
      address.bytes[word * 4 + i] = static_cast<uint8_t>(*value >> shift);
    }
  }
  return address;
}

Status ParseNetInet(std::string_view text, std::vector<InetSocket>& out, size_t& malformed,
                    std::endian order) {
  out.clear();
  malformed = 0;
  const std::string_view header = Trim(NextLine(text));
  if (!StartsWith(header, "sl ") || header.find("local_address") == std::string_view::npos) {
    return Status::Fail("not a socket table: no 'sl local_address' header");
  }
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    if (Trim(line).empty()) continue;
    InetSocket socket;
    if (ParseLine(line, order, socket)) {
      out.push_back(socket);
    } else {
      ++malformed;
    }
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
