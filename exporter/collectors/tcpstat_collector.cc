#include "collectors/tcpstat_collector.h"

#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {
namespace {

// node_exporter's names for the kernel's states (include/net/tcp_states.h).
constexpr std::array<const char*, 12> kStateNames = {
    "",          "established", "syn_sent",   "syn_recv", "fin_wait1", "fin_wait2",
    "time_wait", "close",       "close_wait", "last_ack", "listen",    "closing"};

// Every state inet_diag can report in node_exporter's request: bits 1..11 (0xFFF).
constexpr uint32_t kAllStates = 0xFFF;

}  // namespace

void TcpStates::Add(const std::vector<procfs::InetSocket>& list) {
  for (const auto& socket : list) {
    if (socket.state == 0 || socket.state >= sockets.size()) continue;
    ++sockets[socket.state];
    rx_queued_bytes += socket.rx_queue;
    tx_queued_bytes += socket.tx_queue;
  }
}

TcpstatCollector::TcpstatCollector(const Paths& paths)
    : procfs_(paths.procfs), fs_(paths.procfs), netlink_(fs_.is_real()) {
  spdlog::debug("tcpstat: sockets from {}",
                netlink_ ? "sock_diag netlink" : procfs_ + "/net/{tcp,tcp6}");
}

Status TcpstatCollector::FromNetlink(TcpStates& states) {
  scratch_.clear();
  Status status = diag_.Dump(AF_INET, IPPROTO_TCP, kAllStates, scratch_);
  // As node_exporter: IPv6 only where the kernel has it (net/tcp6 exists).
  struct stat st {};
  const bool v6 = stat(procfs::JoinPath(procfs_, "net/tcp6").c_str(), &st) == 0;
  if (status.ok() && v6) status = diag_.Dump(AF_INET6, IPPROTO_TCP, kAllStates, scratch_);
  if (status.ok()) states.Add(scratch_);
  return status;
}

Status TcpstatCollector::FromProcfs(TcpStates& states) {
  for (const char* name : {"net/tcp", "net/tcp6"}) {
    auto text = fs_.ReadFile(name, buffer_);
    if (!text.ok()) {
      if (name[7] == '6' && text.sys_errno() == ENOENT) continue;  // IPv6 disabled.
      return Status::Fail(text.error());
    }
    size_t malformed = 0;
    const std::string path = procfs::JoinPath(procfs_, name);
    if (Status parsed = procfs::ParseNetInet(*text, scratch_, malformed); !parsed.ok()) {
      return Status::Fail(path + ": " + parsed.message());
    }
    if (malformed > 0) {
      return Status::Fail(path + ": " + std::to_string(malformed) + " malformed lines");
    }
    states.Add(scratch_);
  }
  return Status::Ok();
}

Status TcpstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  TcpStates states;
  bool read = false;
  if (netlink_) {
    const Status status = FromNetlink(states);
    read = status.ok();
    if (!read && !warned_fallback_) {
      spdlog::warn("tcpstat: {}; reading {}/net/tcp instead", status.message(), procfs_);
      warned_fallback_ = true;
    }
  }
  if (!read) {
    states = TcpStates{};
    if (Status status = FromProcfs(states); !status.ok()) return status;
  }
  auto& family =
      AddFamily(out, "node_tcp_connection_states", "Number of connection states.", kGauge);
  for (size_t state = 1; state < kStateNames.size(); ++state) {
    if (states.sockets[state] == 0) continue;  // node_exporter lists the states it saw.
    AddSample(family, static_cast<double>(states.sockets[state]), {{"state", kStateNames[state]}});
  }
  AddSample(family, static_cast<double>(states.rx_queued_bytes), {{"state", "rx_queued_bytes"}});
  AddSample(family, static_cast<double>(states.tx_queued_bytes), {{"state", "tx_queued_bytes"}});
  return Status::Ok();
}

extern const CollectorSpec tcpstat_spec = {
    .name = "tcpstat",
    .enabled_by_default = false,
    .description = "TCP sockets per state and their queued bytes (sock_diag netlink)",
    .make = MakeWithPaths<TcpstatCollector>,
};

}  // namespace vitals::collectors
