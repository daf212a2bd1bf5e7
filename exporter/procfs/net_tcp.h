// /proc/net/tcp, tcp6, udp, udp6: the kernel's socket tables as text, one socket per
// line after a header. Only the columns the ports collector needs are kept: local
// address and port, state, uid and inode.
//
// Addresses are printed as the raw 32-bit words of the network-order address, each
// formatted with %08X as a host-order integer (net/ipv4/tcp_ipv4.c, net/ipv6/
// tcp_ipv6.c): 127.0.0.1 is "0100007F" on little-endian hosts. IPv6 is four such
// words. Ports are printed with %04X after ntohs, so they read as plain hex.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// Socket states as the kernel numbers them (include/net/tcp_states.h).
inline constexpr uint8_t kTcpEstablished = 0x01;
inline constexpr uint8_t kTcpClose = 0x07;  // UDP: bound but not connected.
inline constexpr uint8_t kTcpListen = 0x0A;

// An IPv4 or IPv6 address in network byte order; IPv4 uses the first 4 bytes.
struct InetAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  bool operator==(const InetAddress&) const = default;
};

// 0.0.0.0 or ::.
bool IsUnspecified(const InetAddress& address);
// ::ffff:a.b.c.d becomes the IPv4 address a.b.c.d; anything else is returned as is.
InetAddress Unmapped(const InetAddress& address);
// "127.0.0.1", "::1", "::ffff:10.0.0.1" (std only, for messages and tests).
std::string FormatAddress(const InetAddress& address);

struct InetSocket {
  InetAddress local;
  uint16_t local_port = 0;
  uint8_t state = 0;
  uint32_t uid = 0;
  uint64_t inode = 0;  // 0 for TIME_WAIT and request sockets, which have no file.
  // Bytes queued. /proc/net/tcp and sock_diag agree, except for a listener: its
  // rx_queue is the accept backlog in both, its tx_queue 0 in /proc/net/tcp but the
  // backlog limit (listen(2)'s argument, capped by somaxconn) in sock_diag.
  uint32_t tx_queue = 0;
  uint32_t rx_queue = 0;
};

// Decodes one address column ("0100007F" or 32 hex digits) written on a host of byte
// order `order`; nullopt for any other length or a non-hex digit.
std::optional<InetAddress> DecodeHexAddress(std::string_view hex,
                                            std::endian order = std::endian::native);

// Parses a whole file; the family of each line follows from its address length (8 or
// 32 hex digits). Appends to `out` (which is cleared first). Lines that do not parse
// are skipped and counted in `malformed`, so one odd line does not hide every other
// socket; a text without the "sl local_address" header is an error. `order` is the
// byte order of the host that produced the text (the local one unless the text was
// captured elsewhere).
Status ParseNetInet(std::string_view text, std::vector<InetSocket>& out, size_t& malformed,
                    std::endian order = std::endian::native);

}  // namespace vitals::procfs
