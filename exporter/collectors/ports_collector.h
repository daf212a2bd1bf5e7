// ports: whether something on this host listens on the configured TCP ports or has
// the configured UDP ports bound, and which process owns the socket.
//
// Sockets come from the kernel's sock_diag netlink interface, filtered by state in
// the kernel (LISTEN for TCP, unconnected for UDP), when --path.procfs is a real
// procfs; from <procfs>/net/{tcp,tcp6,udp,udp6} otherwise (fixture trees) or when
// netlink fails. Owners are found by socket inode in /proc/PID/fd/* ("socket:[N]"),
// cached per inode: a full /proc walk happens only for sockets not seen before.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/collector.h"
#include "procfs/net_tcp.h"
#include "procfs/proc_fs.h"
#include "procfs/sock_diag.h"

namespace vitals::collectors {

enum class PortProtocol { kTcp, kUdp };
std::string_view ProtocolName(PortProtocol protocol);

struct PortSpec {
  uint16_t port = 0;
  PortProtocol protocol = PortProtocol::kTcp;
  // Only sockets on this address (or on 0.0.0.0 / ::) count; IPv4-mapped IPv6
  // addresses are stored as IPv4.
  std::optional<procfs::InetAddress> address;
  std::string name;                   // The `name` label; may be empty.
  std::optional<bool> listener_info;  // Unset: the section's default.

  bool operator==(const PortSpec&) const = default;
};

// Where the socket tables come from; the config file always says kAuto.
enum class SocketSource { kAuto, kNetlink, kProcfs };

struct PortsOptions {
  std::vector<PortSpec> ports;
  bool listener_info = true;
  SocketSource source = SocketSource::kAuto;

  bool operator==(const PortsOptions&) const = default;
};

// inet_pton for IPv4 or IPv6 literals; IPv4-mapped IPv6 becomes IPv4.
std::optional<procfs::InetAddress> ParseInetAddress(const std::string& text);

class PortsCollector : public Collector {
 public:
  PortsCollector(const Paths& paths, const PortsOptions& options);
  ~PortsCollector() override;
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  struct Owner;
  struct Table;
  using Tables = std::array<Table, 2>;                                  // Indexed by PortProtocol.
  using Matches = std::vector<std::vector<const procfs::InetSocket*>>;  // By configured port.

  Status ReadTables(Tables& tables);
  Status ReadSockets(PortProtocol protocol, Table& table);
  Status ReadProcfs(PortProtocol protocol, Table& table);
  Matches MatchPorts(const Tables& tables, std::vector<uint64_t>& inodes) const;
  void ResolveOwners(const std::vector<uint64_t>& inodes);
  bool StillOwns(Owner& owner, uint64_t inode);
  void ScanProcesses(std::unordered_map<uint64_t, Owner*>& pending);
  void Emit(const Tables& tables, const Matches& matches, Families& out) const;

  Paths paths_;
  PortsOptions options_;
  procfs::ProcFs fs_;
  bool netlink_ = false;  // Whether to try sock_diag at all (a real procfs).
  bool warned_fallback_ = false;
  procfs::SockDiag diag_;
  std::vector<procfs::InetSocket> scratch_;
  std::string buffer_;                          // comm files.
  std::string table_buffer_;                    // /proc/net/* in the fallback.
  std::unordered_map<uint64_t, Owner> owners_;  // By socket inode.
  uint64_t permission_errors_ = 0;
  uint64_t malformed_lines_ = 0;
  uint64_t netlink_errors_ = 0;
};

}  // namespace vitals::collectors
