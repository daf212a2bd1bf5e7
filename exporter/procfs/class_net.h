// /sys/class/net: one directory per network interface, its attributes one file each
// (prometheus/procfs's sysfs/class_net.go).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct NetClassIface {
  std::string name, operstate, address, broadcast, duplex, ifalias;
  std::optional<int64_t> mtu, speed;  // speed in Mbit/s; -1 from some drivers.
};

// Interface names under `dir` (<sysfs>/class/net), sorted.
Result<std::vector<std::string>> ListNetClass(const std::string& dir);

// The attributes of interface `name`; those its driver does not support (EINVAL and the
// like) stay empty. `files` keeps them open between scrapes.
NetClassIface ReadNetClassIface(FileCache& files, const std::string& dir, std::string name);

}  // namespace vitals::procfs
