#include "procfs/net_udp_queues.h"

#include <charconv>
#include <optional>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

std::optional<uint64_t> ParseHex(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

bool ValidEndpoint(std::string_view field) {
  const size_t colon = field.find(':');
  if (colon != 8 && colon != 32) return false;
  for (size_t word = 0; word < colon; word += 8) {
    if (!ParseHex(field.substr(word, 8), 8)) return false;
  }
  return ParseHex(field.substr(colon + 1), 4).has_value();
}

Status Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Status::Fail("malformed socket line " + std::to_string(line_number) + " (" +
                      std::string(why) + "): '" + std::string(line) + "'");
}

}  // namespace

Status ParseUdpQueues(std::string_view text, UdpQueues& out) {
  out = {};
  const std::string_view header = Trim(NextLine(text));
  if (!StartsWith(header, "sl ") || header.find("local_address") == std::string_view::npos) {
    return Status::Fail("not a socket table: no 'sl local_address' header");
  }
  size_t line_number = 1;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    std::string_view fields[10];
    for (auto& field : fields) field = NextField(rest);
    if (fields[9].empty()) return Malformed(line_number, line, "fewer than 10 columns");
    const std::string_view slot = fields[0];
    if (slot.size() < 2 || slot.back() != ':' || !ParseU64(slot.substr(0, slot.size() - 1))) {
      return Malformed(line_number, line, "invalid slot");
    }
    if (!ValidEndpoint(fields[1]) || !ValidEndpoint(fields[2])) {
      return Malformed(line_number, line, "invalid address");
    }
    if (!ParseHex(fields[3], 2)) return Malformed(line_number, line, "invalid state");
    const size_t colon = fields[4].find(':');
    if (colon == std::string_view::npos) {
      return Malformed(line_number, line, "invalid tx_queue:rx_queue");
    }
    const auto tx = ParseHex(fields[4].substr(0, colon), 16);
    const auto rx = ParseHex(fields[4].substr(colon + 1), 16);
    if (!tx || !rx) return Malformed(line_number, line, "invalid tx_queue:rx_queue");
    if (!ParseU64(fields[7])) return Malformed(line_number, line, "invalid uid");
    if (!ParseU64(fields[9])) return Malformed(line_number, line, "invalid inode");
    out.tx_queue += *tx;
    out.rx_queue += *rx;
    ++out.sockets;
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
