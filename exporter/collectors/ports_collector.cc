#include "collectors/ports_collector.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "collectors/metric_builder.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {
namespace {

// How long an inode whose owner could not be found waits before the next /proc walk
// (kernel sockets, such as NFS's, have no owner; unreadable fd dirs stay unreadable).
constexpr std::chrono::seconds kRetryUnowned{60};

uint8_t WantedState(PortProtocol protocol) {
  return protocol == PortProtocol::kTcp ? procfs::kTcpListen : procfs::kTcpClose;
}

// Keeps the sockets in the wanted state on a configured port of `protocol`.
void Keep(const std::vector<procfs::InetSocket>& all, PortProtocol protocol,
          const std::vector<PortSpec>& specs, std::vector<procfs::InetSocket>& kept) {
  const uint8_t state = WantedState(protocol);
  for (const auto& socket : all) {
    if (socket.state != state) continue;
    const bool configured = std::any_of(specs.begin(), specs.end(), [&](const PortSpec& spec) {
      return spec.protocol == protocol && spec.port == socket.local_port;
    });
    if (!configured) continue;
    procfs::InetSocket& copy = kept.emplace_back(socket);
    copy.local = procfs::Unmapped(socket.local);
  }
}

}  // namespace

std::string_view ProtocolName(PortProtocol protocol) {
  return protocol == PortProtocol::kTcp ? "tcp" : "udp";
}

std::optional<procfs::InetAddress> ParseInetAddress(const std::string& text) {
  procfs::InetAddress address;
  if (inet_pton(AF_INET, text.c_str(), address.bytes.data()) == 1) return address;
  address.v6 = true;
  if (inet_pton(AF_INET6, text.c_str(), address.bytes.data()) == 1) {
    return procfs::Unmapped(address);
  }
  return std::nullopt;
}

struct PortsCollector::Owner {
  int64_t pid = 0;  // 0: not found (yet).
  int fd = -1;
  std::string comm;
  std::optional<std::chrono::steady_clock::time_point> searched;  // Last walk that missed.
  bool wanted = false;
};

struct PortsCollector::Table {
  bool ok = false;
  std::vector<procfs::InetSocket> sockets;  // Configured ports only; addresses unmapped.
};

PortsCollector::PortsCollector(const Paths& paths, const PortsOptions& options)
    : paths_(paths), options_(options), fs_(paths.procfs) {
  netlink_ = options_.source == SocketSource::kNetlink ||
             (options_.source == SocketSource::kAuto && fs_.is_real());
  spdlog::debug("ports: sockets from {}",
                netlink_ ? "sock_diag netlink" : paths.procfs + "/net/{tcp,tcp6,udp,udp6}");
}

PortsCollector::~PortsCollector() = default;

Status PortsCollector::ReadSockets(PortProtocol protocol, Table& table) {
  if (netlink_) {
    const int ip = protocol == PortProtocol::kTcp ? IPPROTO_TCP : IPPROTO_UDP;
    const uint32_t states = 1u << WantedState(protocol);
    scratch_.clear();
    Status status = diag_.Dump(AF_INET, ip, states, scratch_);
    if (status.ok()) status = diag_.Dump(AF_INET6, ip, states, scratch_);
    if (status.ok()) {
      Keep(scratch_, protocol, options_.ports, table.sockets);
      table.ok = true;
      return status;
    }
    ++netlink_errors_;
    if (options_.source == SocketSource::kNetlink) return status;
    if (!warned_fallback_) {
      spdlog::warn("ports: {} ({}); reading {}/net instead", status.message(),
                   ProtocolName(protocol), paths_.procfs);
      warned_fallback_ = true;
    }
  }
  return ReadProcfs(protocol, table);
}

Status PortsCollector::ReadProcfs(PortProtocol protocol, Table& table) {
  const std::string base = protocol == PortProtocol::kTcp ? "net/tcp" : "net/udp";
  for (const std::string& name : {base, base + "6"}) {
    // A seq_file of many lines: read to EOF.
    auto text = fs_.ReadFile(name, table_buffer_);
    if (!text.ok()) {
      if (name.back() == '6' && text.sys_errno() == ENOENT) continue;  // IPv6 disabled.
      return Status::Fail("ports: " + text.error());
    }
    size_t malformed = 0;
    if (Status status = procfs::ParseNetInet(*text, scratch_, malformed); !status.ok()) {
      return Status::Fail("ports: " + procfs::JoinPath(paths_.procfs, name) + ": " +
                          status.message());
    }
    malformed_lines_ += malformed;
    Keep(scratch_, protocol, options_.ports, table.sockets);
  }
  table.ok = true;
  return Status::Ok();
}

bool PortsCollector::StillOwns(Owner& owner, uint64_t inode) {
  const procfs::Pid process(fs_, owner.pid);
  if (auto link = process.SocketInode(owner.fd); !link.ok() || *link != inode) return false;
  auto comm = process.Comm(buffer_);  // Re-read: a process may rename itself.
  if (!comm.ok()) return false;
  owner.comm = std::move(*comm);
  return true;
}

void PortsCollector::ScanProcesses(std::unordered_map<uint64_t, Owner*>& pending) {
  (void)fs_.ForEachPid([&](int64_t pid) {
    const procfs::Pid process(fs_, pid);
    auto sockets = process.ForEachSocket([&](int fd, uint64_t inode) {
      auto it = pending.find(inode);
      if (it == pending.end()) return true;
      auto comm = process.Comm(buffer_);
      if (!comm.ok()) return false;  // Exited meanwhile.
      it->second->pid = pid;
      it->second->fd = fd;
      it->second->comm = std::move(*comm);
      pending.erase(it);
      return !pending.empty();
    });
    // Another user's process without privileges.
    if (!sockets.ok() && sockets.failure().Denied()) ++permission_errors_;
    return !pending.empty();
  });
}

void PortsCollector::ResolveOwners(const std::vector<uint64_t>& inodes) {
  for (auto& [inode, owner] : owners_) owner.wanted = false;
  const auto now = std::chrono::steady_clock::now();
  std::unordered_map<uint64_t, Owner*> pending;
  for (const uint64_t inode : inodes) {
    Owner& owner = owners_[inode];
    owner.wanted = true;
    if (owner.pid > 0) {
      if (StillOwns(owner, inode)) continue;
      owner = Owner{};
      owner.wanted = true;
    } else if (owner.searched && now - *owner.searched < kRetryUnowned) {
      continue;
    }
    pending[inode] = &owner;
  }
  std::erase_if(owners_, [](const auto& item) { return !item.second.wanted; });
  if (pending.empty() || !fs_.ok()) return;
  ScanProcesses(pending);
  for (auto& [inode, owner] : pending) owner->searched = now;
}

Status PortsCollector::ReadTables(Tables& tables) {
  Status result;
  for (const PortProtocol protocol : {PortProtocol::kTcp, PortProtocol::kUdp}) {
    const bool configured =
        std::any_of(options_.ports.begin(), options_.ports.end(),
                    [protocol](const PortSpec& spec) { return spec.protocol == protocol; });
    if (!configured) continue;
    Table& table = tables[static_cast<size_t>(protocol)];
    if (Status status = ReadSockets(protocol, table); !status.ok() && result.ok()) {
      result = status;
    }
  }
  return result;
}

// Which sockets each configured port matches; `inodes` gets those whose owner is wanted.
PortsCollector::Matches PortsCollector::MatchPorts(const Tables& tables,
                                                   std::vector<uint64_t>& inodes) const {
  Matches matches(options_.ports.size());
  for (size_t i = 0; i < options_.ports.size(); ++i) {
    const PortSpec& spec = options_.ports[i];
    const Table& table = tables[static_cast<size_t>(spec.protocol)];
    for (const auto& socket : table.sockets) {
      if (socket.local_port != spec.port) continue;
      if (spec.address && !procfs::IsUnspecified(socket.local) && socket.local != *spec.address) {
        continue;
      }
      matches[i].push_back(&socket);
      if (socket.inode != 0 && spec.listener_info.value_or(options_.listener_info)) {
        inodes.push_back(socket.inode);
      }
    }
  }
  std::sort(inodes.begin(), inodes.end());
  inodes.erase(std::unique(inodes.begin(), inodes.end()), inodes.end());
  return matches;
}

Status PortsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  Tables tables;
  const Status result = ReadTables(tables);
  std::vector<uint64_t> inodes;
  const Matches matches = MatchPorts(tables, inodes);
  ResolveOwners(inodes);
  Emit(tables, matches, out);
  return result;
}

void PortsCollector::Emit(const Tables& tables, const Matches& matches, Families& out) const {
  auto& listening = AddFamily(out, "vitals_port_listening",
                              "1 when a socket on this host listens on the configured TCP port "
                              "or has the configured UDP port bound, else 0.",
                              kGauge);
  prometheus::MetricFamily info;
  info.name = "vitals_port_listener_info";
  info.help = "The process (comm) owning a socket that listens on a configured port, value 1.";
  info.type = kGauge;
  for (size_t i = 0; i < options_.ports.size(); ++i) {
    const PortSpec& spec = options_.ports[i];
    if (!tables[static_cast<size_t>(spec.protocol)].ok) continue;  // Unknown, not 0.
    const std::string port = std::to_string(spec.port);
    const std::string_view protocol = ProtocolName(spec.protocol);
    AddSample(listening, matches[i].empty() ? 0 : 1,
              {{"name", spec.name}, {"port", port}, {"protocol", protocol}});
    if (!spec.listener_info.value_or(options_.listener_info)) continue;
    std::set<std::string> processes;
    for (const auto* socket : matches[i]) {
      auto it = owners_.find(socket->inode);
      if (it != owners_.end() && it->second.pid > 0) processes.insert(it->second.comm);
    }
    for (const auto& process : processes) {
      AddSample(
          info, 1,
          {{"name", spec.name}, {"port", port}, {"process", process}, {"protocol", protocol}});
    }
  }
  if (!info.metric.empty()) out.push_back(std::move(info));
  auto& errors = AddFamily(out, "vitals_port_read_errors_total",
                           "Problems reading socket tables or socket owners, by reason: "
                           "permission (a /proc/PID/fd directory), malformed (a line of "
                           "/proc/net/{tcp,udp}*), netlink (sock_diag failed; procfs was read).",
                           kCounter);
  AddSample(errors, static_cast<double>(malformed_lines_), {{"reason", "malformed"}});
  AddSample(errors, static_cast<double>(netlink_errors_), {{"reason", "netlink"}});
  AddSample(errors, static_cast<double>(permission_errors_), {{"reason", "permission"}});
}

}  // namespace vitals::collectors
