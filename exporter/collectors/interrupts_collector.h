// interrupts: node_interrupts_total{cpu,type,info,devices} from /proc/interrupts, as
// node_exporter 1.5's interrupts collector (off by default there and here).
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class InterruptsCollector : public Collector {
 public:
  explicit InterruptsCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader interrupts_file_;  // A seq_file: one line per source, read to EOF.
};

}  // namespace vitals::collectors
