// tcpstat: node_tcp_connection_states{state}, TCP sockets per state plus the bytes in
// their queues, as node_exporter 1.5's tcpstat collector (off by default there and
// here). Like node_exporter, from the kernel's sock_diag netlink interface (all states,
// IPv4, and IPv6 when <procfs>/net/tcp6 exists); from <procfs>/net/tcp and tcp6 on a
// procfs that is not the kernel's (a fixture tree) or when netlink fails.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "procfs/net_tcp.h"
#include "procfs/proc_fs.h"
#include "procfs/sock_diag.h"

namespace vitals::collectors {

// Sockets per kernel state (1 ESTABLISHED ... 11 CLOSING; index 0 unused) and the
// bytes in their queues.
struct TcpStates {
  std::array<uint64_t, 12> sockets{};
  uint64_t rx_queued_bytes = 0;
  uint64_t tx_queued_bytes = 0;

  // Adds the sockets in states 1..11 (node_exporter's dump asks for exactly these:
  // TCPF_ALL 0xFFF); others (12 NEW_SYN_RECV, 13 BOUND_INACTIVE) are not counted.
  void Add(const std::vector<procfs::InetSocket>& sockets);
};

class TcpstatCollector : public Collector {
 public:
  explicit TcpstatCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  Status FromNetlink(TcpStates& states);
  Status FromProcfs(TcpStates& states);

  std::string procfs_;
  procfs::ProcFs fs_;
  bool netlink_ = false;
  bool warned_fallback_ = false;
  procfs::SockDiag diag_;
  std::vector<procfs::InetSocket> scratch_;
  std::string buffer_;
};

}  // namespace vitals::collectors
