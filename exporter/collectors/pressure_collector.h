// pressure: node_pressure_{cpu,io,memory}_*_seconds_total from the kernel's pressure
// stall information, /proc/pressure/{cpu,io,memory} (node_exporter 1.5 reads no other
// resource: /proc/pressure/irq is not published).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class PressureCollector : public Collector {
 public:
  explicit PressureCollector(const Paths& paths);
  // A kernel without PSI (no /proc/pressure files, while --path.procfs exists)
  // publishes nothing and succeeds; a missing --path.procfs, an unreadable or malformed
  // file fails.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader cpu_file_;
  procfs::FileReader io_file_;
  procfs::FileReader memory_file_;
};

}  // namespace vitals::collectors
