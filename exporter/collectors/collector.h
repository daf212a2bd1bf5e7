// The collector interface: each collector turns kernel data into metric families,
// fresh on every scrape. Collect() runs under the scrape lock, so implementations
// may keep reusable buffers without their own locking.
#pragma once

#include <prometheus/metric_family.h>

#include <deque>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/scrape_context.h"

namespace vitals::collectors {

// A deque, so a family reference stays valid while more families are added after it.
using Families = std::deque<prometheus::MetricFamily>;

// Where the kernel's files are: live paths by default, a fixture tree in tests.
struct Paths {
  std::string procfs = "/proc";
  std::string sysfs = "/sys";
  std::string rootfs = "/";
  std::string udev_data = "/run/udev/data";

  bool operator==(const Paths&) const = default;
};

class Collector {
 public:
  virtual ~Collector() = default;
  // Appends this collector's families to `out`. A failed status marks the collector
  // unsuccessful for this scrape; whatever it appended is still published. A collector
  // that can wait (network, drivers, long /proc walks) stops at `context.deadline`.
  virtual Status Collect(const ScrapeContext& context, Families& out) = 0;
};

}  // namespace vitals::collectors
