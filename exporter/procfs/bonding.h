// Linux bonding driver state under /sys/class/net (kernel Documentation/networking/
// bonding.rst), as node_exporter 1.5's bonding collector reads it: the masters listed
// in bonding_masters, each one's bonding/slaves, and each slave's
// lower_<slave>/bonding_slave/mii_status (slave_<slave>/... on older kernels).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct BondingMaster {
  std::string name;
  int64_t slaves = 0;  // Listed in bonding/slaves.
  int64_t active = 0;  // Of those, with mii_status "up".
};

struct BondingState {
  std::vector<BondingMaster> masters;  // In bonding_masters' order.
  // Masters left out because their slaves file or a slave's mii_status could not be
  // read (node_exporter fails the whole collector then), with the reason.
  std::vector<std::string> skipped;
};

// `class_net` is <sysfs>/class/net. Fails with the errno when bonding_masters cannot
// be read (ENOENT: the bonding driver is not loaded).
Result<BondingState> ReadBonding(const std::string& class_net);

}  // namespace vitals::procfs
