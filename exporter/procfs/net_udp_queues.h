// /proc/net/udp and /proc/net/udp6, read for the bytes queued in the kernel: the sum of
// the tx_queue and rx_queue columns ("00000000:00000A00", hex) over every socket, as
// prometheus/procfs's NetUDPSummary computes it for node_exporter's udp_queues.
// (net_tcp.h reads the same tables for the ports collector, without the queues.)
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct UdpQueues {
  uint64_t tx_queue = 0;  // Bytes, summed over the sockets.
  uint64_t rx_queue = 0;
  uint64_t sockets = 0;
};

// Sums a whole table into `out` (reset first). The first line must be the
// "sl local_address" header; every other line a socket: "N:", two "ADDRESS:PORT" hex
// endpoints (8 or 32 address digits), a hex state, "TX:RX" hex queues, two columns,
// a decimal uid, a column and a decimal inode, then anything. A line that is not fails
// the whole text, naming the line (as in prometheus/procfs), and so does a text without
// the header. A header alone is a table without sockets.
Status ParseUdpQueues(std::string_view text, UdpQueues& out);

}  // namespace vitals::procfs
