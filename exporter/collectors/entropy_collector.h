// entropy: node_entropy_available_bits and node_entropy_pool_size_bits from
// /proc/sys/kernel/random/{entropy_avail,poolsize}.
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class EntropyCollector : public Collector {
 public:
  explicit EntropyCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader available_file_;
  procfs::FileReader pool_size_file_;
};

}  // namespace vitals::collectors
