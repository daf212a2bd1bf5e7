// Socket tables from the kernel's sock_diag netlink interface (NETLINK_SOCK_DIAG,
// inet_diag_req_v2): the kernel filters by state, so asking for listening TCP sockets
// costs the same on a host with thousands of TIME_WAIT sockets as on an idle one,
// unlike /proc/net/tcp, which prints every socket in the hash tables.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/net_tcp.h"

namespace vitals::procfs {

class SockDiag {
 public:
  SockDiag() = default;
  ~SockDiag();
  SockDiag(const SockDiag&) = delete;
  SockDiag& operator=(const SockDiag&) = delete;

  // Appends the sockets of `family` (AF_INET or AF_INET6) and `protocol` (IPPROTO_TCP
  // or IPPROTO_UDP) whose state bit is set in `states` (1 << kTcpListen...).
  // On failure `out` may hold part of the dump; the caller should not trust it.
  Status Dump(int family, int protocol, uint32_t states, std::vector<InetSocket>& out);

 private:
  Status Receive(uint32_t seq, std::vector<InetSocket>& out);
  void Close();

  int fd_ = -1;
  uint32_t seq_ = 0;
  std::vector<char> buffer_;
};

// One datagram of the kernel's answer to request `seq` (nlmsghdr-aligned): appends its
// sockets to `out` and sets `done` at the end of the dump (NLMSG_DONE). An error
// message, a dump that failed midway or an unknown message type is an error.
Status ParseSockDiag(std::string_view datagram, uint32_t seq, std::vector<InetSocket>& out,
                     bool& done);

}  // namespace vitals::procfs
