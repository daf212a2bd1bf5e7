// nfsd: node_nfsd_* from /proc/net/rpc/nfsd, the NFS server's RPC statistics;
// node_exporter 1.5's nfsd collector.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class NfsdCollector : public Collector {
 public:
  explicit NfsdCollector(const Paths& paths);
  // Without the NFS server (no net/rpc/nfsd while --path.procfs exists) nothing is
  // published and the collector succeeds (node_exporter: "no data", unsuccessful). A
  // missing --path.procfs, an unreadable or malformed file fails, publishing nothing,
  // as node_exporter does; lines the file lacks are published as zeros (as there).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader file_;
};

}  // namespace vitals::collectors
