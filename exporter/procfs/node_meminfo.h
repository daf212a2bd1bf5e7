// /sys/devices/system/node/node<N>/{meminfo,numastat}: per-NUMA-node memory, read the way
// node_exporter 1.5's meminfo_numa collector (collector/meminfo_numa_linux.go) reads it:
//   meminfo:  "Node 0 Active(anon):   120 kB"   -> Active_anon, node "0", 122880 (bytes)
//   numastat: "numa_hit 981038779"              -> numa_hit_total (a counter)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct NumaMemValue {
  std::string name;  // "Active_anon", "HugePages_Total", "numa_hit_total"
  std::string node;  // meminfo: the line's second field; numastat: the directory's number
  double value = 0;
};

// Every non-blank line must have at least 4 fields: "Node", the node, the key and its
// value (Go's ParseFloat), with "kB" (value * 1024) or nothing after it. The key loses
// its trailing colons and "(x)" becomes "_x". Anything else fails the whole file, as it
// fails node_exporter's collector.
Result<std::vector<NumaMemValue>> ParseNodeMeminfo(std::string_view text);

// Every non-blank line must be exactly "name value" (Go's ParseFloat); name + "_total".
Result<std::vector<NumaMemValue>> ParseNodeNumastat(std::string_view text, std::string_view node);

// The directories node_exporter globs as <sysfs>/devices/system/node/node[0-9]*, in Go's
// sorted order, with the digits after "node" (the numastat node label). Fails when the
// directory cannot be listed for another reason than its absence.
struct NumaNodeDir {
  std::string path;
  std::string number;
};
Result<std::vector<NumaNodeDir>> ListNumaNodes(const std::string& sysfs);

}  // namespace vitals::procfs
