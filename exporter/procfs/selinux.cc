#include "procfs/selinux.h"

#include <charconv>

namespace vitals::procfs {
namespace {

constexpr size_t kMaxLine = 64 * 1024;  // bufio.MaxScanTokenSize.

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string SelinuxConfigValue(std::string_view text, std::string_view key) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.size() >= kMaxLine) return "";
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    line = TrimSpace(line);
    if (line.empty() || line.front() == ';' || line.front() == '#') continue;
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos || line.substr(0, equals) != key) continue;
    std::string_view value = line.substr(equals + 1);
    while (!value.empty() && value.front() == '"') value.remove_prefix(1);
    while (!value.empty() && value.back() == '"') value.remove_suffix(1);
    return std::string(value);
  }
  return "";
}

int SelinuxConfigMode(std::string_view config_text) {
  const std::string mode = SelinuxConfigValue(config_text, "SELINUX");
  if (mode == "enforcing") return 1;
  if (mode == "permissive") return 0;
  return -1;
}

std::optional<int64_t> ParseGoAtoi(std::string_view s) {
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s.front() == '-') return std::nullopt;  // "+-1"
  }
  if (s.empty() || (s.front() == '-' && s.size() == 1)) return std::nullopt;
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace vitals::procfs
