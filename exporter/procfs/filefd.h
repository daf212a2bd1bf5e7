// /proc/sys/fs/file-nr: "968\t0\t2466097\n", the number of allocated file handles, of
// allocated but unused ones (always 0 since Linux 2.6) and the maximum (fs.file-max).
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct FileNr {
  uint64_t allocated = 0;
  uint64_t unused = 0;
  uint64_t maximum = 0;
};

// Exactly three unsigned 64-bit decimals separated by blanks (the kernel prints tabs),
// with an optional final newline; anything else fails.
Result<FileNr> ParseFileNr(std::string_view text);

}  // namespace vitals::procfs
