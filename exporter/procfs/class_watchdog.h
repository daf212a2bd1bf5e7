// /sys/class/watchdog: watchdog timer devices (kernel Documentation/ABI/testing/
// sysfs-class-watchdog), as prometheus/procfs's later sysfs/class_watchdog.go reads them
// (not in 0.8.0, so not in node_exporter 1.5): each attribute is optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "procfs/file_cache.h"

namespace vitals::procfs {

struct WatchdogDevice {
  std::string name;  // "watchdog0"
  // Numbers (Go's ParseInt(s, 0, 64)): absent when the file is missing, unreadable or
  // not a number.
  std::optional<int64_t> bootstatus, fw_version, nowayout, timeleft, timeout, pretimeout,
      access_cs0;
  // Text (first 128 bytes, trimmed): absent when the file is missing or unreadable.
  std::optional<std::string> options, identity, state, status, pretimeout_governor;
};

// Go's strconv.ParseInt(s, 0, 64) after trimming: optional sign, then decimal, 0x hex,
// 0o or leading-0 octal or 0b binary, '_' between digits. nullopt on anything else.
std::optional<int64_t> ParseWatchdogNumber(std::string_view text);

WatchdogDevice ReadWatchdog(FileCache& files, const std::string& class_dir, std::string name);

}  // namespace vitals::procfs
