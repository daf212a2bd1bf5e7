#include "procfs/pid_io.h"

#include "base/text.h"

namespace vitals::procfs {

Result<PidIo> ParsePidIo(std::string_view text) {
  PidIo io;
  bool saw_read = false, saw_write = false;
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    const std::string_view key = NextField(line);
    if (key != "read_bytes:" && key != "write_bytes:") continue;
    const auto value = ParseU64(NextField(line));
    if (!value) return Error{"malformed io value for " + std::string(key)};
    if (key == "read_bytes:") {
      io.read_bytes = *value;
      saw_read = true;
    } else {
      io.write_bytes = *value;
      saw_write = true;
    }
  }
  if (!saw_read || !saw_write) return Error{"malformed io: missing read_bytes or write_bytes"};
  return io;
}

Result<std::optional<uint64_t>> ParseMaxOpenFiles(std::string_view limits_text) {
  constexpr std::string_view kKey = "Max open files";
  while (!limits_text.empty()) {
    std::string_view line = NextLine(limits_text);
    if (!StartsWith(line, kKey)) continue;
    line.remove_prefix(kKey.size());
    const std::string_view soft = NextField(line);
    if (soft == "unlimited") return std::optional<uint64_t>();
    const auto value = ParseU64(soft);
    if (!value) return Error{"malformed Max open files"};
    return std::optional<uint64_t>(*value);
  }
  return std::optional<uint64_t>();
}

}  // namespace vitals::procfs
