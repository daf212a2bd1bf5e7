// The collector interface: each collector turns kernel data into metric families,
// fresh on every scrape. Collect() runs under the scrape lock, so implementations
// may keep reusable buffers without their own locking.
#pragma once

#include <prometheus/metric_family.h>

#include <chrono>
#include <memory>
#include <optional>
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
  // When the current scrape must be answered by (Prometheus's scrape timeout minus a
  // margin); set before each Collect(). Only collectors that wait on the network use it.
  virtual void SetDeadline(std::optional<std::chrono::steady_clock::time_point> /*deadline*/) {}
};

}  // namespace vitals::collectors
