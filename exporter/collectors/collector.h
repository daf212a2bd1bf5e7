// The collector interface: each collector turns kernel data into metric families,
// fresh on every scrape. Collect() runs under the scrape lock, so implementations
// may keep reusable buffers without their own locking.
#pragma once

#include <prometheus/metric_family.h>

#include <memory>
#include <string>
#include <vector>

#include "procfs/result.h"

namespace vitals::collectors {

using procfs::Status;
using Families = std::vector<prometheus::MetricFamily>;

// Where the kernel's files are: live paths by default, a fixture tree in tests.
struct Paths {
  std::string procfs = "/proc";
  std::string sysfs = "/sys";
  std::string rootfs = "/";
  std::string udev_data = "/run/udev/data";
};

class Collector {
 public:
  virtual ~Collector() = default;
  // Appends this collector's families to `out`. A failed status marks the collector
  // unsuccessful for this scrape; whatever it appended is still published.
  virtual Status Collect(Families& out) = 0;
};

}  // namespace vitals::collectors
