#include "procfs/sysctl.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

Result<uint64_t> ParseSysctlUint(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty()) return Error{"empty value"};
  const auto value = ParseU64(text);
  if (!value) {
    // Quote at most a line's worth of whatever the file held.
    return Error{"not an unsigned 64-bit integer: '" + std::string(text.substr(0, 64)) + "'"};
  }
  return *value;
}

}  // namespace vitals::procfs
