// timex: node_timex_* from adjtimex(2), the kernel's NTP clock discipline, with
// node_exporter 1.5's unit conversions.
#pragma once

#include "collectors/collector.h"
#include "procfs/timex.h"

namespace vitals::collectors {

class TimexCollector : public Collector {
 public:
  using Reader = Result<procfs::Timex> (*)();

  // `read` is procfs::ReadTimex; tests pass a fake.
  explicit TimexCollector(Reader read = procfs::ReadTimex) : read_(read) {}
  // Where adjtimex is forbidden (EPERM/EACCES from a seccomp filter) nothing is
  // published and the collector succeeds; any other error fails it.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  Reader read_;
};

}  // namespace vitals::collectors
