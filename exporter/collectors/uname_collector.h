// uname: node_uname_info from the uname(2) system call.
#pragma once

#include "collectors/collector.h"

namespace vitals::collectors {

class UnameCollector : public Collector {
 public:
  Status Collect(const ScrapeContext& context, Families& out) override;
};

}  // namespace vitals::collectors
