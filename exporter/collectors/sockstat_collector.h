// sockstat: node_sockstat_sockets_used and node_sockstat_<PROTOCOL>_<key> gauges from
// /proc/net/sockstat and /proc/net/sockstat6, named as node_exporter 1.5 names them, plus
// node_sockstat_<PROTOCOL>_mem_bytes (mem is in pages).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"
#include "procfs/net_sockstat.h"

namespace vitals::collectors {

class SockstatCollector : public Collector {
 public:
  explicit SockstatCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader sockstat_file_, sockstat6_file_;
  procfs::Sockstat stat_;
  long page_size_;
};

}  // namespace vitals::collectors
