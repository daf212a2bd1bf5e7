// udp_queues: node_udp_queues{ip,queue}, the bytes queued in UDP sockets' send and
// receive buffers, summed over /proc/net/udp (ip "v4") and /proc/net/udp6 (ip "v6").
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class UdpQueuesCollector : public Collector {
 public:
  explicit UdpQueuesCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader udp_file_, udp6_file_;
};

}  // namespace vitals::collectors
