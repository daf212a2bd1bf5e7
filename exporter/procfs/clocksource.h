// /sys/devices/system/clocksource/clocksource<N>: the clock sources the kernel may use
// and the one it uses.
#pragma once

#include <string>
#include <vector>

#include "procfs/file_cache.h"

namespace vitals::procfs {

struct Clocksource {
  std::string device;                  // "0" for clocksource0.
  std::vector<std::string> available;  // available_clocksource, in the kernel's order.
  std::string current;                 // current_clocksource; empty when unreadable.
};

// Every clocksource<N> under `dir`, sorted by name; none when `dir` cannot be read.
// `files` keeps the attribute files open between scrapes.
std::vector<Clocksource> ReadClocksources(FileCache& files, const std::string& dir);

}  // namespace vitals::procfs
