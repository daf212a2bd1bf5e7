// /proc/<pid>/mountinfo (Documentation/filesystems/proc.rst, section 3.5).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct MountInfo {
  std::string mount_point;  // Octal escapes (\040 etc.) decoded.
  std::string fs_type;
  std::string source;      // "device" in node_exporter's labels.
  bool read_only = false;  // "ro" in the per-mount or the super-block options.
};

Status ParseMountinfo(std::string_view text, std::vector<MountInfo>& out);

// Decodes the kernel's octal escapes ("\040" for space) used in mount paths.
std::string UnescapeOctal(std::string_view s);

}  // namespace vitals::procfs
