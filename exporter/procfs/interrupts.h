// /proc/interrupts: a header naming the CPUs, then one line per interrupt source,
//   "           CPU0       CPU1"
//   "  1:          9          0   IO-APIC   1-edge      i8042"
//   "LOC:      86508      89642   Local timer interrupts"
// read the way node_exporter 1.5 reads it (collector/interrupts_linux.go).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct Interrupt {
  std::string name;     // "1", "LOC".
  std::string info;     // Numbered ones: the chip ("IO-APIC"); named ones: the description.
  std::string devices;  // Numbered ones: the rest, blank-joined ("1-edge i8042"); else "".
  std::vector<uint64_t> per_cpu;  // One count per header column.
};

// As node_exporter 1.5: the CPU count is the number of header fields; a line with
// fewer than CPU count + 2 fields (ERR and MIS, which have one total) is skipped; the
// name is the first field without its last character (the colon; 1.5 does not split
// at the colon, so "IPI0:0" of some arm64 kernels is not understood there either); a
// name given twice keeps its last line, in the place of its first. An empty text, or
// a count column that is not an unsigned 64-bit decimal, is an error naming the line.
Result<std::vector<Interrupt>> ParseInterrupts(std::string_view text);

}  // namespace vitals::procfs
