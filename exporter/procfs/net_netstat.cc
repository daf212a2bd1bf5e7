#include "procfs/net_netstat.h"

#include <optional>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!IsAlnum(c) && c != '_') return false;
  }
  return true;
}

// "TcpExt:" -> "TcpExt"; empty when the field is not a [A-Za-z0-9]+ word and a colon.
std::string_view Protocol(std::string_view field) {
  if (field.size() < 2 || field.back() != ':') return {};
  field.remove_suffix(1);
  for (const char c : field) {
    if (!IsAlnum(c)) return {};
  }
  return field;
}

// A decimal integer, unsigned or with a '-' sign, as a double.
std::optional<double> ParseValue(std::string_view text) {
  if (!text.empty() && text.front() == '-') {
    const auto value = ParseI64(text);
    if (!value) return std::nullopt;
    return static_cast<double>(*value);
  }
  const auto value = ParseU64(text);
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

Status Malformed(const char* what, size_t line_number, std::string_view line,
                 std::string_view why) {
  return Status::Fail("malformed " + std::string(what) + " line " + std::to_string(line_number) +
                      " (" + std::string(why) + "): '" + std::string(line) + "'");
}

}  // namespace

Status ParseNetstat(std::string_view text, std::vector<NetstatEntry>& out) {
  if (text.empty()) return Status::Fail("empty netstat");
  size_t line_number = 0;
  while (!text.empty()) {
    const std::string_view header = NextLine(text);
    const size_t header_number = ++line_number;
    std::string_view names = header;
    const std::string_view protocol = Protocol(NextField(names));
    if (protocol.empty()) return Malformed("netstat", header_number, header, "no 'Protocol:'");
    if (text.empty()) return Malformed("netstat", header_number, header, "no value line");
    const std::string_view value_line = NextLine(text);
    ++line_number;
    std::string_view values = value_line;
    if (Protocol(NextField(values)) != protocol) {
      return Malformed("netstat", line_number, value_line,
                       "not the values of " + std::string(protocol));
    }
    const size_t first = out.size();
    for (std::string_view name = NextField(names); !name.empty(); name = NextField(names)) {
      if (!ValidName(name))
        return Malformed("netstat", header_number, header, "invalid field name");
      const std::string_view value_text = NextField(values);
      if (value_text.empty())
        return Malformed("netstat", line_number, value_line, "fewer values than names");
      const auto value = ParseValue(value_text);
      if (!value) {
        return Malformed("netstat", line_number, value_line, "value is not a 64-bit integer");
      }
      out.push_back({protocol, name, *value});
    }
    if (out.size() == first) return Malformed("netstat", header_number, header, "no field names");
    if (!NextField(values).empty()) {
      return Malformed("netstat", line_number, value_line, "more values than names");
    }
  }
  return Status::Ok();
}

Status ParseSnmp6(std::string_view text, std::vector<NetstatEntry>& out) {
  if (text.empty()) return Status::Fail("empty snmp6");
  size_t line_number = 0;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    const std::string_view field = NextField(rest);
    const std::string_view value_text = NextField(rest);
    if (field.empty()) return Malformed("snmp6", line_number, line, "no field name");
    if (!ValidName(field)) return Malformed("snmp6", line_number, line, "invalid field name");
    const size_t six = field.find('6');
    if (six == std::string_view::npos || six + 1 == field.size()) {
      return Malformed("snmp6", line_number, line, "no protocol: a name with a '6' inside");
    }
    if (value_text.empty()) return Malformed("snmp6", line_number, line, "no value");
    if (!NextField(rest).empty()) return Malformed("snmp6", line_number, line, "extra field");
    const auto value = ParseValue(value_text);
    if (!value) return Malformed("snmp6", line_number, line, "value is not a 64-bit integer");
    out.push_back({field.substr(0, six + 1), field.substr(six + 1), *value});
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
