// /sys/fs/xfs/<device>/stats/stats: one mounted XFS filesystem's counters (kernel
// Documentation/admin-guide/xfs.rst; the same format as the global /proc/fs/xfs/stat),
// as prometheus/procfs 0.8.0's xfs package parses them for node_exporter 1.5, e.g.
//   extent_alloc 92447 97589 92448 93751
//   blk_map 1767055 188820 184891 92447 92448 2140766 0
//   xpc 399724544 92823103 86219234
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

// The groups node_exporter 1.5 publishes (zeros for a line the file lacks).
struct XfsStats {
  std::array<uint32_t, 4>
      extent_alloc{};  // extents allocated, blocks allocated, extents freed, blocks freed
  std::array<uint32_t, 4> abt{};  // allocation B-tree: lookups, compares, inserted, deleted
  std::array<uint32_t, 7>
      blk_map{};  // reads, writes, unmaps, list insertions, deletions, lookups, compares
  std::array<uint32_t, 4> bmbt{};  // block map B-tree, as abt
  std::array<uint32_t, 4> dir{};   // lookups, creates, removes, getdents
  std::array<uint32_t, 7>
      ig{};  // attempts, found, recycle, missed, duplicate, reclaims, attr changes
  std::array<uint32_t, 2> rw{};      // write calls, read calls
  std::array<uint32_t, 8> vnodes{};  // active, allocate, get, hold, release, reclaim, remove, free
};

// prometheus/procfs's xfs.ParseStats rule for rule: lines of fewer than two
// (whitespace-separated) fields are skipped; "xpc" needs three unsigned 64-bit
// decimals; every other line, known or not, only unsigned 32-bit decimals; a known
// line needs its count of values (extent_alloc, abt, bmbt, dir, attr 4; blk_map, ig 7;
// trans, icluster 3; log 5; push_ail 10; xstrat, rw 2; vnodes 7 or 8; buf 9;
// abtb2, abtc2, bmbt2, ibt2 15; qm 8 or 9; debug 1). Any violation fails the text.
Result<XfsStats> ParseXfsStats(std::string_view text);

}  // namespace vitals::procfs
