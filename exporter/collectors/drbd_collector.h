// drbd: node_drbd_* per DRBD device from /proc/drbd, node_exporter 1.5's drbd collector
// (off by default there and here).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class DrbdCollector : public Collector {
 public:
  explicit DrbdCollector(const Paths& paths);
  // Without DRBD (no /proc/drbd while --path.procfs exists) nothing is published and the
  // collector succeeds (node_exporter: "no data", unsuccessful). A numeric value that is
  // not a number fails it after what came before was published, as node_exporter; a
  // role or disk state without "/remote" publishes only "local" (node_exporter panics).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  procfs::FileReader drbd_file_;
};

}  // namespace vitals::collectors
