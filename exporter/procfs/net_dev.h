// /proc/net/dev: per-interface receive and transmit counters.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// Column names in file order; node_exporter publishes node_network_<dir>_<name>_total.
inline constexpr std::array<std::string_view, 8> kNetDevReceiveColumns = {
    "bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"};
inline constexpr std::array<std::string_view, 8> kNetDevTransmitColumns = {
    "bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"};

struct NetDevStats {
  std::string_view device;  // Points into the parsed text.
  std::array<uint64_t, 8> receive{};
  std::array<uint64_t, 8> transmit{};
};

Status ParseNetDev(std::string_view text, std::vector<NetDevStats>& out);

}  // namespace vitals::procfs
