// /sys/class/infiniband: InfiniBand (and Omni-Path, RoCE) adapters as prometheus/procfs
// 0.8.0's sysfs/class_infiniband.go reads them for node_exporter 1.5, e.g.
//   mlx4_0/{board_id,fw_ver,hca_type}
//   mlx4_0/ports/1/{state,phys_state,rate}     "4: ACTIVE", "5: LinkUp", "40 Gb/sec (4X QDR)"
//   mlx4_0/ports/1/counters/<name>             decimal counters (the PMA's)
//   mlx4_0/ports/1/counters_ext/<name>         the "legacy" 64-bit extended counters
// Where procfs fails the whole class on one bad file, these readers skip that value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "procfs/file_cache.h"

namespace vitals::procfs {

struct InfinibandDevice {
  std::string name;  // "mlx4_0"
  // board_id, fw_ver and hca_type: first 128 bytes, trimmed; empty when unreadable.
  std::string board_id, firmware_version, hca_type;
  // The entries of ports/ that are port numbers (procfs fails on any other name), by
  // number ("01" is port 1; of two names for one number the last listed, as in procfs's
  // map), to their directory name; empty when ports/ cannot be listed.
  std::map<uint32_t, std::string> ports;
};

// The id of a state or phys_state file, "ID: NAME": exactly one ':', the id a decimal
// (white space around it trimmed) that fits 32 bits. nullopt otherwise.
std::optional<uint32_t> ParseInfinibandState(std::string_view text);

// A rate file, "N Gb/sec (...)", in bytes per second as procfs computes it: exactly
// one "Gb/sec", the number before it a float rounded to 32 bits (Go's ParseFloat(s,
// 32)), times 125000000, truncated. nullopt otherwise (and for negative, infinite or
// out-of-range rates, which Go converts to meaningless integers).
std::optional<uint64_t> ParseInfinibandRate(std::string_view text);

// A counter file (its first 128 bytes, as util.SysReadFile reads them) as procfs's
// ValueParser.PUInt64 reads it; `per_lane` counters (port_rcv_data, port_xmit_data and
// their _64 variants) are in 4-byte words and multiplied by 4, wrapping as Go's uint64
// does. nullopt on anything else, "N/A (no PMA)" included (procfs skips that one and
// fails the whole class on the others).
std::optional<uint64_t> ParseInfinibandCounter(std::string_view text, bool per_lane);

// One device of `class_dir` (e.g. <sysfs>/class/infiniband).
InfinibandDevice ReadInfinibandDevice(FileCache& files, const std::string& class_dir,
                                      std::string name);

}  // namespace vitals::procfs
