// /proc/schedstat: per-CPU scheduler statistics. Each "cpu<N>" line carries nine
// numbers; the last three are the time spent running and waiting (ns since CFS, 2.6.23,
// whatever Documentation/scheduler/sched-stats.rst says about jiffies) and the number
// of timeslices run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::procfs {

struct SchedstatCpu {
  std::string cpu;  // The digits after "cpu", as written ("007" stays "007").
  uint64_t running_ns = 0;
  uint64_t waiting_ns = 0;
  uint64_t timeslices = 0;
};

// As prometheus/procfs 0.8.0 (node_exporter 1.5) reads it: per line, the leftmost match
// of `cpu(\d+)( \d+){9}` anywhere in the line; a line without one (version, timestamp,
// domain lines, anything malformed) or whose last three numbers overflow uint64 is
// skipped. A line of 64 KiB or more ends the parse (bufio.Scanner's limit), keeping what
// came before. Never fails: the file's content cannot make node_exporter fail either.
std::vector<SchedstatCpu> ParseSchedstat(std::string_view text);

}  // namespace vitals::procfs
