#include "collectors/sockstat_collector.h"

#include <unistd.h>

#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

void AddProtocolGauge(Families& out, std::string_view protocol, std::string_view key,
                      double value) {
  std::string name = "node_sockstat_";
  name += protocol;
  name += '_';
  name += key;
  std::string help = "Number of ";
  help += protocol;
  help += " sockets in state ";
  help += key;
  help += '.';
  AddSingle(out, std::move(name), std::move(help), kGauge, value);
}

}  // namespace

SockstatCollector::SockstatCollector(const Paths& paths)
    : sockstat_file_(procfs::JoinPath(paths.procfs, "net/sockstat"), procfs::ReadMode::kOneRecord),
      sockstat6_file_(procfs::JoinPath(paths.procfs, "net/sockstat6"),
                      procfs::ReadMode::kOneRecord),
      page_size_(sysconf(_SC_PAGESIZE)) {}

Status SockstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  size_t missing = 0;
  for (procfs::FileReader* file : {&sockstat_file_, &sockstat6_file_}) {
    const auto text = file->Read();
    if (!text.ok()) {
      // As node_exporter: a kernel without IPv4 or IPv6 lacks that file.
      if (text.failure().Vanished()) {
        ++missing;
        continue;
      }
      return Status::Fail(text.error());
    }
    if (Status parsed = procfs::ParseSockstat(*text, stat_); !parsed.ok()) {
      return Status::Fail(file->path() + ": " + parsed.message());
    }
    // node_exporter publishes "used" from the IPv4 file only.
    if (file == &sockstat_file_ && stat_.sockets_used) {
      AddSingle(out, "node_sockstat_sockets_used", "Number of IPv4 sockets in use.", kGauge,
                static_cast<double>(*stat_.sockets_used));
    }
    for (const auto& protocol : stat_.protocols) {
      // "inuse" always, as 0 when the line lacks it; the others when present.
      AddProtocolGauge(out, protocol.protocol, "inuse",
                       static_cast<double>(protocol.inuse.value_or(0)));
      const std::pair<const char*, const std::optional<int64_t>&> optional[] = {
          {"orphan", protocol.orphan}, {"tw", protocol.tw},         {"alloc", protocol.alloc},
          {"mem", protocol.mem},       {"memory", protocol.memory},
      };
      for (const auto& [key, value] : optional) {
        if (value) AddProtocolGauge(out, protocol.protocol, key, static_cast<double>(*value));
      }
      if (protocol.mem) {
        AddProtocolGauge(out, protocol.protocol, "mem_bytes",
                         static_cast<double>(*protocol.mem) * static_cast<double>(page_size_));
      }
    }
  }
  // node_exporter succeeds with nothing to say; a --path.procfs without either file is
  // more likely a mistake.
  if (missing == 2) {
    return Status::Fail(sockstat_file_.path() + " and " + sockstat6_file_.path() +
                        ": neither exists");
  }
  return Status::Ok();
}

extern const CollectorSpec sockstat_spec = {
    .name = "sockstat",
    .enabled_by_default = true,
    .description = "Socket counts and memory per protocol (/proc/net/sockstat, sockstat6)",
    .make = MakeWithPaths<SockstatCollector>,
};

}  // namespace vitals::collectors
