// /proc/slabinfo (version 2.1, root-only readable): one line per slab cache,
//   "# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables
//    <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>"
// read as prometheus/procfs 0.8.0's SlabInfo() (slab.go), which node_exporter 1.5's
// slabinfo collector publishes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct Slab {
  std::string name;
  int64_t active_objects = 0, objects = 0, object_size = 0, objects_per_slab = 0,
          pages_per_slab = 0;
};

// Lines holding "slabinfo -" or "# name" anywhere are skipped. Every other line, its
// white-space runs squeezed to one space, must split into exactly 16 fields with base-10
// int64 numbers where procfs reads them; else the whole file is an error (procfs fails
// and node_exporter's collector with it), so a blank line or leading space is one.
Result<std::vector<Slab>> ParseSlabinfo(std::string_view text);

}  // namespace vitals::procfs
