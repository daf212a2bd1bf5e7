#include "collectors/tapestats_collector.h"

#include <optional>
#include <vector>

#include "collectors/metric_builder.h"
#include "procfs/class_nvme.h"
#include "procfs/class_scsi_tape.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

TapestatsCollector::TapestatsCollector(const Paths& paths, const TapestatsOptions& options)
    : sysfs_(paths.sysfs),
      class_tape_(procfs::JoinPath(paths.sysfs, "class/scsi_tape")),
      options_(options) {}

Status TapestatsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListClassDir(class_tape_);
  if (!names.ok()) {
    if (names.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(names.error());
  }
  std::vector<procfs::ScsiTapeStats> tapes;
  for (const std::string& name : *names) {
    if (!procfs::IsTapeDevice(name) || options_.devices.Ignored(name)) continue;
    tapes.push_back(procfs::ReadScsiTape(files_, class_tape_, name));
  }
  files_.Sweep();
  if (tapes.empty()) return Status::Ok();
  using Field = std::optional<uint64_t> procfs::ScsiTapeStats::*;
  struct Family {
    const char* name;
    const char* help;
    prometheus::MetricType type;
    Field field;
    double scale;
  };
  static const Family kFamilies[] = {
      {"node_tape_io_now", "The number of I/Os currently outstanding to this device.", kGauge,
       &procfs::ScsiTapeStats::in_flight, 1},
      {"node_tape_io_time_seconds_total",
       "The amount of time spent waiting for all I/O to complete (including read and write). "
       "This includes tape movement commands such as seeking between file or set marks and "
       "implicit tape movement such as when rewind on close tape devices are used.",
       kCounter, &procfs::ScsiTapeStats::io_ns, 0.000000001},
      {"node_tape_io_others_total",
       "The number of I/Os issued to the tape drive other than read or write commands. The "
       "time taken to complete these commands uses the following calculation "
       "io_time_seconds_total-read_time_seconds_total-write_time_seconds_total",
       kCounter, &procfs::ScsiTapeStats::other_cnt, 1},
      {"node_tape_read_bytes_total", "The number of bytes read from the tape drive.", kCounter,
       &procfs::ScsiTapeStats::read_byte_cnt, 1},
      {"node_tape_reads_completed_total", "The number of read requests issued to the tape drive.",
       kCounter, &procfs::ScsiTapeStats::read_cnt, 1},
      {"node_tape_read_time_seconds_total",
       "The amount of time spent waiting for read requests to complete.", kCounter,
       &procfs::ScsiTapeStats::read_ns, 0.000000001},
      {"node_tape_residual_total",
       "The number of times during a read or write we found the residual amount to be "
       "non-zero. This should mean that a program is issuing a read larger thean the block "
       "size on tape. For write not all data made it to tape.",
       kCounter, &procfs::ScsiTapeStats::resid_cnt, 1},
      {"node_tape_written_bytes_total", "The number of bytes written to the tape drive.", kCounter,
       &procfs::ScsiTapeStats::write_byte_cnt, 1},
      {"node_tape_writes_completed_total", "The number of write requests issued to the tape drive.",
       kCounter, &procfs::ScsiTapeStats::write_cnt, 1},
      {"node_tape_write_time_seconds_total",
       "The amount of time spent waiting for write requests to complete.", kCounter,
       &procfs::ScsiTapeStats::write_ns, 0.000000001},
  };
  for (const Family& spec : kFamilies) {
    auto& family = AddFamily(out, spec.name, spec.help, spec.type);
    for (const auto& tape : tapes) {
      const auto& value = tape.*spec.field;
      if (value)
        AddSample(family, static_cast<double>(*value) * spec.scale, {{"device", tape.name}});
    }
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
