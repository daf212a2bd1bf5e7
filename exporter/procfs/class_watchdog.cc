#include "procfs/class_watchdog.h"

#include "base/text.h"
#include "procfs/class_nvme.h"
#include "procfs/class_scsi_tape.h"

namespace vitals::procfs {

std::optional<int64_t> ParseWatchdogNumber(std::string_view text) {
  text = TrimGoSpace(text.substr(0, 128));
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
    // ParseSysfsCounter trims again: a space after the sign must not pass.
    if (text.empty() || text.front() == ' ' || (text.front() >= '\t' && text.front() <= '\r')) {
      return std::nullopt;
    }
  }
  const auto magnitude = ParseSysfsCounter(text);
  if (!magnitude) return std::nullopt;
  constexpr uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
  if (negative) {
    if (*magnitude > kMax + 1) return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude > kMax) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

WatchdogDevice ReadWatchdog(FileCache& files, const std::string& class_dir, std::string name) {
  const std::string dir = class_dir + "/" + name + "/";
  const auto text = [&](const char* file) { return ReadSysAttribute(files, dir + file); };
  const auto number = [&](const char* file) -> std::optional<int64_t> {
    const auto value = text(file);
    if (!value) return std::nullopt;
    return ParseWatchdogNumber(*value);
  };
  WatchdogDevice device;
  device.name = std::move(name);
  device.bootstatus = number("bootstatus");
  device.fw_version = number("fw_version");
  device.nowayout = number("nowayout");
  device.timeleft = number("timeleft");
  device.timeout = number("timeout");
  device.pretimeout = number("pretimeout");
  device.access_cs0 = number("access_cs0");
  device.options = text("options");
  device.identity = text("identity");
  device.state = text("state");
  device.status = text("status");
  device.pretimeout_governor = text("pretimeout_governor");
  return device;
}

}  // namespace vitals::procfs
