#include "collectors/ports_collector.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "base/text.h"
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

bool Denied(int err) { return err == EACCES || err == EPERM; }

// "socket:[12345]" -> 12345.
std::optional<uint64_t> SocketInode(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!StartsWith(link, kPrefix) || link.size() < kPrefix.size() + 2 || link.back() != ']') {
    return std::nullopt;
  }
  return ParseU64(link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1));
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
    : paths_(paths), options_(options) {
  proc_fd_ = open(paths.procfs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct statfs fs {};
  const bool real_procfs =
      proc_fd_ >= 0 && fstatfs(proc_fd_, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
  netlink_ = options_.source == SocketSource::kNetlink ||
             (options_.source == SocketSource::kAuto && real_procfs);
  spdlog::debug("ports: sockets from {}",
                netlink_ ? "sock_diag netlink" : paths.procfs + "/net/{tcp,tcp6,udp,udp6}");
}

PortsCollector::~PortsCollector() {
  if (proc_fd_ >= 0) close(proc_fd_);
}

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
    const std::string path = procfs::JoinPath(paths_.procfs, name);
    int err = 0;
    // A seq_file of many lines: read to EOF (ReadMode::kUntilEof, the default).
    auto text = procfs::ReadFileAt(AT_FDCWD, path.c_str(), table_buffer_, &err);
    if (!text.ok()) {
      if (name.back() == '6' && err == ENOENT) continue;  // IPv6 disabled: no such file.
      return Status::Fail("ports: " + text.error());
    }
    size_t malformed = 0;
    if (Status status = procfs::ParseNetInet(*text, scratch_, malformed); !status.ok()) {
      return Status::Fail("ports: " + path + ": " + status.message());
    }
    malformed_lines_ += malformed;
    Keep(scratch_, protocol, options_.ports, table.sockets);
  }
  table.ok = true;
  return Status::Ok();
}

std::optional<std::string> PortsCollector::ReadComm(int64_t pid) {
  std::array<char, 32> path{};
  std::snprintf(path.data(), path.size(), "%lld/comm", static_cast<long long>(pid));
  auto text = procfs::ReadFileAt(proc_fd_, path.data(), buffer_);
  if (!text.ok()) return std::nullopt;
  std::string_view comm = *text;
  if (!comm.empty() && comm.back() == '\n') comm.remove_suffix(1);
  return std::string(comm);
}

bool PortsCollector::StillOwns(Owner& owner, uint64_t inode) {
  std::array<char, 64> path{};
  std::snprintf(path.data(), path.size(), "%lld/fd/%d", static_cast<long long>(owner.pid),
                owner.fd);
  std::array<char, 64> link{};
  const ssize_t length = readlinkat(proc_fd_, path.data(), link.data(), link.size());
  if (length <= 0 || static_cast<size_t>(length) >= link.size() ||
      SocketInode(std::string_view(link.data(), static_cast<size_t>(length))) != inode) {
    return false;
  }
  auto comm = ReadComm(owner.pid);  // Re-read: a process may rename itself.
  if (!comm) return false;
  owner.comm = std::move(*comm);
  return true;
}

void PortsCollector::ScanProcesses(std::unordered_map<uint64_t, Owner*>& pending) {
  DIR* proc = fdopendir(dup(proc_fd_));
  if (proc == nullptr) return;
  rewinddir(proc);
  while (!pending.empty()) {
    const dirent* entry = readdir(proc);
    if (entry == nullptr) break;
    const auto pid = ParseU64(entry->d_name);
    if (!pid) continue;
    std::array<char, 32> fd_path{};
    std::snprintf(fd_path.data(), fd_path.size(), "%llu/fd", static_cast<unsigned long long>(*pid));
    const int fd_dir = openat(proc_fd_, fd_path.data(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_dir < 0) {
      if (Denied(errno)) ++permission_errors_;  // Another user's process without privileges.
      continue;
    }
    DIR* fds = fdopendir(fd_dir);
    if (fds == nullptr) {
      close(fd_dir);
      continue;
    }
    while (const dirent* fd_entry = readdir(fds)) {
      std::array<char, 64> link{};
      const ssize_t length = readlinkat(fd_dir, fd_entry->d_name, link.data(), link.size());
      if (length <= 0 || static_cast<size_t>(length) >= link.size()) continue;
      const auto inode = SocketInode(std::string_view(link.data(), static_cast<size_t>(length)));
      const auto fd_number = ParseU64(fd_entry->d_name);
      if (!inode || !fd_number) continue;
      auto it = pending.find(*inode);
      if (it == pending.end()) continue;
      auto comm = ReadComm(static_cast<int64_t>(*pid));
      if (!comm) break;  // Exited meanwhile.
      it->second->pid = static_cast<int64_t>(*pid);
      it->second->fd = static_cast<int>(*fd_number);
      it->second->comm = std::move(*comm);
      pending.erase(it);
      if (pending.empty()) break;
    }
    closedir(fds);
  }
  closedir(proc);
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
  if (pending.empty() || proc_fd_ < 0) return;
  ScanProcesses(pending);
  for (auto& [inode, owner] : pending) owner->searched = now;
}

Status PortsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  std::array<Table, 2> tables;  // Indexed by PortProtocol.
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

  // Which sockets each configured port matches.
  std::vector<std::vector<const procfs::InetSocket*>> matches(options_.ports.size());
  std::vector<uint64_t> inodes;
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
  ResolveOwners(inodes);

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
  return result;
}

}  // namespace vitals::collectors
