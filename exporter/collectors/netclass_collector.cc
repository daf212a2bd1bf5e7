#include "collectors/netclass_collector.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "base/text.h"
#include "collectors/metric_builder.h"

namespace vitals::collectors {
namespace {

struct Interface {
  std::string name, operstate, address, broadcast, duplex, ifalias;
  std::optional<int64_t> mtu, speed;
};

std::vector<std::string> ListInterfaces(const std::string& dir, std::string& error) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    error = "open " + dir + ": " + std::strerror(errno);
    return names;
  }
  while (const dirent* entry = readdir(d)) {
    if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// Attributes a driver does not support fail with EINVAL and the like: left empty.
Interface ReadInterface(procfs::FileCache& files, const std::string& dir, std::string name) {
  auto read = [&](const char* attribute) {
    return std::string(files.ReadTrimmed(dir + attribute));
  };
  Interface iface;
  iface.name = std::move(name);
  iface.operstate = read("operstate");
  iface.address = read("address");
  iface.broadcast = read("broadcast");
  iface.duplex = read("duplex");
  iface.ifalias = read("ifalias");
  iface.mtu = ParseI64(read("mtu"));
  iface.speed = ParseI64(read("speed"));
  return iface;
}

}  // namespace

NetclassCollector::NetclassCollector(const Paths& paths, const NetclassOptions& options)
    : class_net_(procfs::JoinPath(paths.sysfs, "class/net")), options_(options) {}

Status NetclassCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  std::string error;
  const auto names = ListInterfaces(class_net_, error);
  if (!error.empty()) return Status::Fail(error);

  auto& up =
      AddFamily(out, "node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", kGauge);
  auto& info =
      AddFamily(out, "node_network_info",
                "Non-numeric data from /sys/class/net/<iface>, value is always 1.", kGauge);
  auto& mtu =
      AddFamily(out, "node_network_mtu_bytes", "Network device property: mtu_bytes", kGauge);
  auto& speed =
      AddFamily(out, "node_network_speed_bytes", "Network device property: speed_bytes", kGauge);

  for (const auto& name : names) {
    if (options_.devices.Ignored(name)) continue;
    const Interface iface = ReadInterface(files_, class_net_ + "/" + name + "/", name);

    AddSample(up, iface.operstate == "up" ? 1 : 0, {{"device", iface.name}});
    AddSample(info, 1,
              {{"address", iface.address},
               {"broadcast", iface.broadcast},
               {"device", iface.name},
               {"duplex", iface.duplex},
               {"ifalias", iface.ifalias},
               {"operstate", iface.operstate}});
    if (iface.mtu) AddSample(mtu, static_cast<double>(*iface.mtu), {{"device", iface.name}});
    // Mbit/s beyond this would overflow the byte conversion: no driver reports that.
    constexpr int64_t kMaxSpeed = INT64_MAX / 1000000;
    if (iface.speed && std::abs(*iface.speed) <= kMaxSpeed &&
        (*iface.speed >= 0 || !options_.ignore_invalid_speed)) {
      // Mbit/s to bytes/s, integer arithmetic as node_exporter does it.
      AddSample(
          speed,
          static_cast<double>(*iface.speed * 1000 * 1000 / 8),  // NOLINT(bugprone-integer-division)
          {{"device", iface.name}});
    }
  }
  files_.Sweep();
  return Status::Ok();
}

}  // namespace vitals::collectors
