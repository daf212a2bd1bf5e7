// filefd: node_filefd_allocated and node_filefd_maximum from /proc/sys/fs/file-nr.
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class FilefdCollector : public Collector {
 public:
  explicit FilefdCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader file_nr_;
};

}  // namespace vitals::collectors
