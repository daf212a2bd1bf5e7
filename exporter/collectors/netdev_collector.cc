#include "collectors/netdev_collector.h"

#include <array>

#include "base/text.h"
#include "collectors/metric_builder.h"

namespace vitals::collectors {
namespace {

prometheus::MetricFamily& AddStatFamily(Families& out, std::string_view direction,
                                        std::string_view column) {
  std::string stat = std::string(direction) + "_" + std::string(column);
  return AddFamily(out, "node_network_" + stat + "_total", "Network device statistic " + stat + ".",
                   kCounter);
}

}  // namespace

NetdevCollector::NetdevCollector(const Paths& paths, const NetdevOptions& options)
    : paths_(paths), options_(options), net_dev_file_(procfs::JoinPath(paths.procfs, "net/dev")) {}

Status NetdevCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = net_dev_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseNetDev(*text, devices_); !parsed.ok()) {
    return Status::Fail(net_dev_file_.path() + ": " + parsed.message());
  }

  constexpr size_t kColumns = procfs::kNetDevReceiveColumns.size();
  std::array<prometheus::MetricFamily*, kColumns> receive{}, transmit{};
  for (size_t i = 0; i < kColumns; ++i) {
    receive[i] = &AddStatFamily(out, "receive", procfs::kNetDevReceiveColumns[i]);
    transmit[i] = &AddStatFamily(out, "transmit", procfs::kNetDevTransmitColumns[i]);
  }
  auto& nohandler = AddStatFamily(out, "receive", "nohandler");

  for (const auto& dev : devices_) {
    if (options_.devices.Ignored(dev.device)) continue;
    for (size_t i = 0; i < kColumns; ++i) {
      AddSample(*receive[i], static_cast<double>(dev.receive[i]), {{"device", dev.device}});
      AddSample(*transmit[i], static_cast<double>(dev.transmit[i]), {{"device", dev.device}});
    }
    const std::string path = procfs::JoinPath(
        paths_.sysfs, "class/net/" + std::string(dev.device) + "/statistics/rx_nohandler");
    if (auto count = ParseU64(sysfs_files_.ReadTrimmed(path))) {
      AddSample(nohandler, static_cast<double>(*count), {{"device", dev.device}});
    }
  }
  sysfs_files_.Sweep();
  return Status::Ok();
}

}  // namespace vitals::collectors
