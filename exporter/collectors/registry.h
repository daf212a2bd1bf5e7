// The explicit list of collectors: name, default state and factory. No
// self-registering globals, so the set is visible in one place.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "collectors/collector.h"
#include "collectors/diskstats_collector.h"
#include "collectors/filesystem_collector.h"
#include "collectors/gpu_collector.h"
#include "collectors/netclass_collector.h"
#include "collectors/netdev_collector.h"
#include "collectors/ports_collector.h"
#include "collectors/probes_collector.h"
#include "collectors/processes_collector.h"
#include "collectors/thresholds_collector.h"

namespace vitals::collectors {

// Per-collector options; collectors without options need no entry.
struct CollectorOptions {
  FilesystemOptions filesystem;
  DiskstatsOptions diskstats;
  NetdevOptions netdev;
  NetclassOptions netclass;
  ProcessesOptions processes;
  PortsOptions ports;
  ProbesOptions probes;
  ThresholdsOptions thresholds;
  GpuOptions gpu;

  // node_exporter's default filters.
  static CollectorOptions Defaults();
};

struct CollectorSpec {
  std::string_view name;
  bool enabled_by_default;
  std::string_view description;
  std::unique_ptr<Collector> (*make)(const Paths& paths, const CollectorOptions& options);
};

std::span<const CollectorSpec> AllCollectors();
const CollectorSpec* FindCollector(std::string_view name);

}  // namespace vitals::collectors
