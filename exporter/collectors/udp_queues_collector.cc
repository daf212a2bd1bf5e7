#include "collectors/udp_queues_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/net_udp_queues.h"

namespace vitals::collectors {

UdpQueuesCollector::UdpQueuesCollector(const Paths& paths)
    : udp_file_(procfs::JoinPath(paths.procfs, "net/udp")),
      udp6_file_(procfs::JoinPath(paths.procfs, "net/udp6")) {}

Status UdpQueuesCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  prometheus::MetricFamily* family = nullptr;
  size_t missing = 0;
  for (procfs::FileReader* file : {&udp_file_, &udp6_file_}) {
    const auto text = file->Read();
    if (!text.ok()) {
      // As node_exporter: a kernel without IPv4 or IPv6 lacks that file.
      if (text.failure().Vanished()) {
        ++missing;
        continue;
      }
      return Status::Fail(text.error());
    }
    procfs::UdpQueues queues;
    if (Status parsed = procfs::ParseUdpQueues(*text, queues); !parsed.ok()) {
      return Status::Fail(file->path() + ": " + parsed.message());
    }
    if (family == nullptr) {
      family = &AddFamily(out, "node_udp_queues",
                          "Number of allocated memory in the kernel for UDP datagrams in bytes.",
                          kGauge);
    }
    const char* ip = file == &udp_file_ ? "v4" : "v6";
    AddSample(*family, static_cast<double>(queues.tx_queue), {{"ip", ip}, {"queue", "tx"}});
    AddSample(*family, static_cast<double>(queues.rx_queue), {{"ip", ip}, {"queue", "rx"}});
  }
  // node_exporter reports "no data" (success 0) when both are missing.
  if (missing == 2) {
    return Status::Fail(udp_file_.path() + " and " + udp6_file_.path() + ": neither exists");
  }
  return Status::Ok();
}

extern const CollectorSpec udp_queues_spec = {
    .name = "udp_queues",
    .enabled_by_default = true,
    .description = "Bytes queued in UDP sockets (/proc/net/udp, udp6)",
    .make = MakeWithPaths<UdpQueuesCollector>,
};

}  // namespace vitals::collectors
