#include "procfs/net_sockstat.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool ValidKey(std::string_view key) {
  if (key.empty()) return false;
  for (const char c : key) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

Status Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Status::Fail("malformed sockstat line " + std::to_string(line_number) + " (" +
                      std::string(why) + "): '" + std::string(line) + "'");
}

// The slot of `key` in `protocol`, or null for a key node_exporter does not publish.
std::optional<int64_t>* Slot(SockstatProtocol& protocol, std::string_view key) {
  if (key == "inuse") return &protocol.inuse;
  if (key == "orphan") return &protocol.orphan;
  if (key == "tw") return &protocol.tw;
  if (key == "alloc") return &protocol.alloc;
  if (key == "mem") return &protocol.mem;
  if (key == "memory") return &protocol.memory;
  return nullptr;
}

}  // namespace

Status ParseSockstat(std::string_view text, Sockstat& out) {
  out.sockets_used.reset();
  out.protocols.clear();
  if (text.empty()) return Status::Fail("empty sockstat");
  size_t line_number = 0;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    std::string_view protocol = NextField(rest);
    if (protocol.size() < 2 || protocol.back() != ':') {
      return Malformed(line_number, line, "no 'PROTOCOL:'");
    }
    protocol.remove_suffix(1);
    for (const char c : protocol) {
      if (!IsAlnum(c)) return Malformed(line_number, line, "invalid protocol");
    }
    const bool sockets = protocol == "sockets";
    if (sockets && out.sockets_used.has_value()) {
      return Malformed(line_number, line, "repeated protocol");
    }
    for (const auto& seen : out.protocols) {
      if (seen.protocol == protocol) return Malformed(line_number, line, "repeated protocol");
    }
    SockstatProtocol parsed;
    parsed.protocol = protocol;
    std::optional<int64_t> used;
    size_t pairs = 0;
    const std::string_view pairs_text = rest;  // To look back for a repeated key.
    for (std::string_view key = NextField(rest); !key.empty(); key = NextField(rest)) {
      const std::string_view value_text = NextField(rest);
      if (value_text.empty()) return Malformed(line_number, line, "a key without a value");
      if (!ValidKey(key)) return Malformed(line_number, line, "invalid key");
      const auto value = ParseI64(value_text);
      if (!value) return Malformed(line_number, line, "value is not a 64-bit integer");
      // Repeated key: look for it among the pairs before this one.
      std::string_view before = pairs_text;
      for (size_t i = 0; i < pairs; ++i) {
        if (NextField(before) == key) return Malformed(line_number, line, "repeated key");
        NextField(before);
      }
      ++pairs;
      if (sockets) {
        if (key == "used") used = *value;
      } else if (auto* slot = Slot(parsed, key)) {
        *slot = *value;
      }
    }
    if (pairs == 0) return Malformed(line_number, line, "no key/value pair");
    if (sockets) {
      if (!used) return Malformed(line_number, line, "no 'used'");
      out.sockets_used = used;
    } else {
      out.protocols.push_back(parsed);
    }
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
