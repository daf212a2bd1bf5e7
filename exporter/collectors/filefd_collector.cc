#include "collectors/filefd_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/filefd.h"

namespace vitals::collectors {

FilefdCollector::FilefdCollector(const Paths& paths)
    : file_nr_(procfs::JoinPath(paths.procfs, "sys/fs/file-nr"), procfs::ReadMode::kOneRecord) {}

Status FilefdCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = file_nr_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto nr = procfs::ParseFileNr(*text);
  if (!nr.ok()) return Status::Fail(file_nr_.path() + ": " + nr.error());
  // The second number (allocated but unused handles) is always 0 since Linux 2.6;
  // node_exporter does not publish it either.
  AddSingle(out, "node_filefd_allocated", "File descriptor statistics: allocated.", kGauge,
            static_cast<double>(nr->allocated));
  AddSingle(out, "node_filefd_maximum", "File descriptor statistics: maximum.", kGauge,
            static_cast<double>(nr->maximum));
  return Status::Ok();
}

extern const CollectorSpec filefd_spec = {
    .name = "filefd",
    .enabled_by_default = true,
    .description = "File handle statistics (/proc/sys/fs/file-nr)",
    .make = MakeWithPaths<FilefdCollector>,
};

}  // namespace vitals::collectors
