// /proc/mdstat: the md (software RAID) arrays, as prometheus/procfs 0.8.0 reads them
// for node_exporter 1.5's mdadm collector, e.g.
//   Personalities : [raid1] [raid6]
//   md6 : active raid1 sdb2[2](F) sdc[1](S) sda2[0]
//         195310144 blocks [2/1] [U_]
//         [=>......]  recovery =  8.5% (16775552/195310144) finish=17.0min speed=259783K/sec
// Each array is a line "name : state ..." followed by a status line, an optional
// "bitmap:" line and an optional sync line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct MdStat {
  std::string name;            // "md6"
  std::string activity_state;  // "active", "inactive", "recovering", "resyncing", "checking"
  int64_t disks_active = 0;    // The second number of "[total/active]".
  int64_t disks_total = 0;     // Disks the array requires.
  int64_t disks_failed = 0;    // Members marked "(F)".
  int64_t disks_spare = 0;     // Members marked "(S)".
  int64_t disks_down = 0;      // "_" in "[UU_U]".
  int64_t blocks_total = 0;
  int64_t blocks_synced = 0;  // blocks_total unless a sync runs; 0 while it is PENDING/DELAYED.
};

// prometheus/procfs 0.8.0's parseMDStat, rule for rule (its quirks included, so that
// what node_exporter rejects is rejected here too): blank lines, lines starting with a
// space and the "Personalities"/"unused" lines are skipped; every other line starts an
// array and needs at least 3 fields and 3 more lines after it (the text's final
// newline counts as an empty line); raid0 and linear arrays count their members from
// the "[" of the device line; inactive ones report no disks; the others need
// "N blocks ... [total/active] [U_...]". A sync line ("recovery", "resync", "check")
// changes the state and must carry "(synced/total)", "= pct%", "finish=Xmin" and
// "speed=Y<letter>" with numbers, unless it says PENDING or DELAYED. Any violation
// fails the whole text, naming the line. Empty text is no arrays.
Result<std::vector<MdStat>> ParseMdStat(std::string_view text);

}  // namespace vitals::procfs
