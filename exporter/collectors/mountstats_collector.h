// mountstats: node_mountstats_nfs_* per NFS mount (and per RPC operation) from
// /proc/self/mountstats, with the server address from /proc/self/mountinfo, as
// node_exporter 1.5's mountstats collector (off by default there and here).
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class MountstatsCollector : public Collector {
 public:
  explicit MountstatsCollector(const Paths& paths);
  // As node_exporter, an unreadable or malformed mountstats or mountinfo fails the
  // collector and publishes nothing; without NFS mounts it publishes nothing and
  // succeeds. Mounts of the same export, protocol and address are published once (the
  // first), as node_exporter skips the duplicates.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader mountstats_file_;  // seq_files, read to EOF.
  procfs::FileReader mountinfo_file_;
};

}  // namespace vitals::collectors
