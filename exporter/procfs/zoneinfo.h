// /proc/zoneinfo: per node and memory zone, page counts and watermarks,
//   "Node 0, zone   Normal"
//   "  pages free     18553"
//   "        min      11176"
//   "        protection: (0, 0, 0, 0, 0)"
// read as prometheus/procfs 0.8.0's Zoneinfo() (zoneinfo.go), which node_exporter 1.5's
// zoneinfo collector publishes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::procfs {

// The keys procfs reads, in its struct's order (the order node_exporter publishes).
inline constexpr std::array<std::string_view, 34> kZoneinfoKeys = {
    "nr_free_pages",
    "min",
    "low",
    "high",
    "scanned",
    "spanned",
    "present",
    "managed",
    "nr_active_anon",
    "nr_inactive_anon",
    "nr_isolated_anon",
    "nr_anon_pages",
    "nr_anon_transparent_hugepages",
    "nr_active_file",
    "nr_inactive_file",
    "nr_isolated_file",
    "nr_file_pages",
    "nr_slab_reclaimable",
    "nr_slab_unreclaimable",
    "nr_mlock_stack",
    "nr_kernel_stack",
    "nr_mapped",
    "nr_dirty",
    "nr_writeback",
    "nr_unevictable",
    "nr_shmem",
    "nr_dirtied",
    "nr_written",
    "numa_hit",
    "numa_miss",
    "numa_foreign",
    "numa_interleave",
    "numa_local",
    "numa_other",
};

struct Zoneinfo {
  std::string node;  // "" when the block has no "<N>, zone <name>" line
  std::string zone;
  // Indexed like kZoneinfoKeys. A key that is present but not a number (Go's
  // ParseInt base 0) is 0, as procfs's ValueParser.PInt64 leaves it.
  std::array<std::optional<int64_t>, kZoneinfoKeys.size()> values;
  std::vector<int64_t> protection;  // Only when every entry parses.
};

// The text is split at each "\nNode" (as procfs does), one Zoneinfo per piece; the
// per-node stats printed under a node's first zone belong to that zone. Never fails:
// lines it does not know are skipped.
std::vector<Zoneinfo> ParseZoneinfo(std::string_view text);

}  // namespace vitals::procfs
