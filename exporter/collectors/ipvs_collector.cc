#include "collectors/ipvs_collector.h"

#include <map>
#include <set>

#include "base/text.h"
#include "collectors/metric_builder.h"
#include "procfs/net_ip_vs.h"

namespace vitals::collectors {
namespace {

std::string LabelValue(const procfs::IpvsBackend& backend, std::string_view label) {
  if (label == "local_address") return backend.local_address;
  if (label == "local_port") return std::to_string(backend.local_port);
  if (label == "remote_address") return backend.remote_address;
  if (label == "remote_port") return std::to_string(backend.remote_port);
  if (label == "proto") return backend.proto;
  return backend.local_mark;
}

struct Sum {
  std::vector<std::string> values;
  uint64_t active = 0, inactive = 0, weight = 0;
};

}  // namespace

Result<std::vector<std::string>> ParseIpvsBackendLabels(std::string_view list) {
  std::set<std::string, std::less<>> given;
  while (true) {
    const size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    if (!item.empty()) given.emplace(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  std::vector<std::string> labels;
  for (const std::string_view known : kIpvsBackendLabels) {
    if (const auto it = given.find(known); it != given.end()) {
      labels.emplace_back(known);
      given.erase(it);
    }
  }
  if (!given.empty()) {
    return Error{"unknown IPVS backend labels: \"" +
                 Join(std::vector<std::string>(given.begin(), given.end()), ", ") + "\""};
  }
  return labels;
}

IpvsCollector::IpvsCollector(const Paths& paths, const IpvsOptions& options)
    : procfs_(paths.procfs),
      options_(options),
      stats_file_(procfs::JoinPath(paths.procfs, "net/ip_vs_stats")),
      backends_file_(procfs::JoinPath(paths.procfs, "net/ip_vs")) {}

Status IpvsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto stats_text = stats_file_.Read();
  if (!stats_text.ok()) {
    if (stats_text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(stats_text.error());
  }
  const auto stats = procfs::ParseIpvsStats(*stats_text);
  if (!stats.ok()) return Status::Fail(stats_file_.path() + ": " + stats.error());
  const auto total = [&out](const char* name, const char* help, uint64_t value) {
    AddSingle(out, name, help, kCounter, static_cast<double>(value));
  };
  total("node_ipvs_connections_total", "The total number of connections made.", stats->connections);
  total("node_ipvs_incoming_packets_total", "The total number of incoming packets.",
        stats->incoming_packets);
  total("node_ipvs_outgoing_packets_total", "The total number of outgoing packets.",
        stats->outgoing_packets);
  total("node_ipvs_incoming_bytes_total", "The total amount of incoming data.",
        stats->incoming_bytes);
  total("node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.",
        stats->outgoing_bytes);

  const auto backends_text = backends_file_.Read();
  if (!backends_text.ok())
    return Status::Fail("could not get backend status: " + backends_text.error());
  const auto backends = procfs::ParseIpvsBackends(*backends_text);
  if (!backends.ok()) return Status::Fail(backends_file_.path() + ": " + backends.error());
  // Summed by the selected labels' values joined with "-", node_exporter's key.
  std::map<std::string, Sum> sums;
  for (const auto& backend : *backends) {
    std::vector<std::string> values;
    for (const std::string& label : options_.backend_labels) {
      values.push_back(LabelValue(backend, label));
    }
    Sum& sum = sums[Join(values, "-")];
    sum.values = std::move(values);
    sum.active += backend.active_connections;
    sum.inactive += backend.inactive_connections;
    sum.weight += backend.weight;
  }
  auto& active = AddFamily(out, "node_ipvs_backend_connections_active",
                           "The current active connections by local and remote address.", kGauge);
  auto& inactive =
      AddFamily(out, "node_ipvs_backend_connections_inactive",
                "The current inactive connections by local and remote address.", kGauge);
  auto& weight = AddFamily(out, "node_ipvs_backend_weight",
                           "The current backend weight by local and remote address.", kGauge);
  for (const auto& entry : sums) {
    const Sum& sum = entry.second;
    const auto add = [&](prometheus::MetricFamily& family, uint64_t value) {
      AddSample(family, static_cast<double>(value));
      auto& labels = family.metric.back().label;
      for (size_t i = 0; i < sum.values.size(); ++i) {
        labels.push_back({options_.backend_labels[i], sum.values[i]});
      }
    };
    add(active, sum.active);
    add(inactive, sum.inactive);
    add(weight, sum.weight);
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
