#include "procfs/net_dev.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool ParseCounters(std::string_view& rest, std::array<uint64_t, 8>& out) {
  for (uint64_t& counter : out) {
    const auto value = ParseU64(NextField(rest));
    if (!value) return false;
    counter = *value;
  }
  return true;
}

}  // namespace

Status ParseNetDev(std::string_view text, std::vector<NetDevStats>& out) {
  out.clear();
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    if (line.find('|') != std::string_view::npos || Trim(line).empty()) continue;  // Headers.
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return Status::Fail("malformed net/dev line: " + std::string(Trim(line)));
    }
    NetDevStats stats;
    stats.device = Trim(line.substr(0, colon));
    std::string_view rest = line.substr(colon + 1);
    if (stats.device.empty() || !ParseCounters(rest, stats.receive) ||
        !ParseCounters(rest, stats.transmit)) {
      return Status::Fail("malformed net/dev counters for " + std::string(stats.device));
    }
    out.push_back(stats);
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
