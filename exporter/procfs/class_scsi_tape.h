// /sys/class/scsi_tape: SCSI tape drives' I/O statistics (kernel
// Documentation/scsi/st.rst, "sysfs and statistics"), as prometheus/procfs 0.8.0's
// sysfs/class_scsitape.go reads them: the devices named st<N> (the nst*, *a, *l, *m
// names are the same drive's other modes), each with stats/<counter> files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

// Each absent when its file is missing, unreadable or not a number.
struct ScsiTapeStats {
  std::string name;  // "st0"
  std::optional<uint64_t> in_flight, io_ns, other_cnt, read_byte_cnt, read_cnt, read_ns, resid_cnt,
      write_byte_cnt, write_cnt, write_ns;
};

// Whether `name` is ^st[0-9]+$.
bool IsTapeDevice(std::string_view name);

// A sysfs counter as procfs's ValueParser.PUInt64 reads it (strconv.ParseUint(s,
// 0, 64) after trimming): decimal, 0x hex, 0o or leading-0 octal, 0b binary, with Go's
// underscores between digits; no sign. nullopt on anything else (node_exporter 1.5
// dereferences the nil and the process exits).
std::optional<uint64_t> ParseSysfsCounter(std::string_view text);

ScsiTapeStats ReadScsiTape(FileCache& files, const std::string& dir, std::string name);

}  // namespace vitals::procfs
