// /sys/class/net: one directory per network interface, its attributes one file each
// (prometheus/procfs's sysfs/class_net.go).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct NetClassIface {
  std::string name, operstate, address, broadcast, duplex, ifalias;
  // The numeric attributes, each absent when its file is missing or unreadable (EINVAL
  // from some drivers); 0 when readable but not a number, as in node_exporter 1.5.
  std::optional<int64_t> addr_assign_type, carrier, carrier_changes, carrier_up_count,
      carrier_down_count, dev_id, dormant, flags, ifindex, iflink, link_mode, mtu, name_assign_type,
      netdev_group, speed /* Mbit/s; -1 from some drivers */, tx_queue_len, type;
};

// A sysfs attribute's number as prometheus/procfs reads it (strconv.ParseInt(s, 0, 64)):
// an optional sign, then decimal, "0x"/"0X" hex (flags and dev_id are "0x1003", "0x0"),
// "0b" binary, "0o" or a leading "0" octal, with Go's underscores between digits; the
// whole of `s`, within int64. nullopt on anything else.
std::optional<int64_t> ParseSysfsInt(std::string_view s);

// Interface names under `dir` (<sysfs>/class/net), sorted. Regular files are skipped
// (bonding_masters, written by the bonding driver), as prometheus/procfs does.
Result<std::vector<std::string>> ListNetClass(const std::string& dir);

// The attributes of interface `name`; those its driver does not support (EINVAL and the
// like) stay empty. Like prometheus/procfs, only an attribute's first 128 bytes are read.
// `files` keeps them open between scrapes.
NetClassIface ReadNetClassIface(FileCache& files, const std::string& dir, std::string name);

}  // namespace vitals::procfs
