// nfs: node_nfs_* from /proc/net/rpc/nfs, the NFS client's RPC statistics;
// node_exporter 1.5's nfs collector.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class NfsCollector : public Collector {
 public:
  explicit NfsCollector(const Paths& paths);
  // Without the NFS client (no net/rpc/nfs while --path.procfs exists) nothing is
  // published and the collector succeeds (node_exporter: "no data", unsuccessful). A
  // missing --path.procfs, an unreadable or malformed file fails, publishing nothing,
  // as node_exporter does. Every family is published once the file parses, zeros for
  // the lines it lacks (as node_exporter).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader file_;
};

}  // namespace vitals::collectors
