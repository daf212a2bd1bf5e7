// bcache: node_bcache_* per cache set in /sys/fs/bcache, with its backing devices
// (backing_device label) and cache devices (cache_device label), node_exporter 1.5's
// bcache collector (prometheus/procfs 0.8.0's bcache package).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

struct BcacheOptions {
  // --collector.bcache.priorityStats: also read cache<N>/priority_stats (node_exporter
  // warns that it is expensive: the kernel walks every bucket).
  bool priority_stats = false;

  bool operator==(const BcacheOptions&) const = default;
};

class BcacheCollector : public Collector {
 public:
  BcacheCollector(const Paths& paths, const BcacheOptions& options);
  // Without bcache (no cache set under fs/bcache while --path.sysfs exists) nothing is
  // published and the collector succeeds, as in node_exporter. An attribute file that
  // is missing reads as 0, as in procfs; one that cannot be read or parsed (or is
  // empty) skips that sample, where node_exporter fails the collector (or panics).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string bcache_dir_;
  BcacheOptions options_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
