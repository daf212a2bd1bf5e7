// /sys/fs/btrfs/<uuid>/: a mounted btrfs filesystem's label, devices and space
// allocation (kernel Documentation/ABI/testing/sysfs-fs-btrfs), as prometheus/procfs
// 0.8.0's btrfs package reads them for node_exporter 1.5's btrfs collector.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct BtrfsLayout {
  uint64_t used_bytes = 0, total_bytes = 0;
  double ratio = 0;  // single, raid0: 1; dup, raid1, raid10: 2; raid5/6: n/(n-1), n/(n-2).
};

struct BtrfsAllocation {
  uint64_t reserved_bytes = 0;                 // bytes_reserved
  std::map<std::string, BtrfsLayout> layouts;  // Subdirectories ("raid1"), by name.
};

struct BtrfsStats {
  std::string uuid;   // metadata_uuid, or the directory's name when that is empty.
  std::string label;  // The first 128 bytes of `label`, trimmed.
  uint64_t global_rsv_size = 0;
  BtrfsAllocation data, metadata, system;
  std::map<std::string, uint64_t> device_sizes;  // devices/<name>/size * 512.
};

// The entries of <sysfs>/fs/btrfs whose name has a '-' (filepath.Glob("*-*")), sorted.
std::vector<std::string> ListBtrfsFilesystems(const std::string& fs_btrfs);

// prometheus/procfs's GetStats, its error handling included: a missing file is 0 (or
// empty), a value that is not an unsigned decimal is 0; any other read error and a
// missing or unreadable devices/, features/ or allocation/<type>/ directory is kept
// as the error, which zeroes every value read after it until the next allocation
// type is read, and each allocation type replaces the kept error with its own. The
// error left after allocation/system fails the filesystem.
Result<BtrfsStats> ReadBtrfs(const std::string& dir);

// How prometheus/procfs reads a btrfs number: Go's TrimSpace, then ParseUint base 10,
// 0 on failure.
uint64_t ParseBtrfsValue(std::string_view text);

}  // namespace vitals::procfs
