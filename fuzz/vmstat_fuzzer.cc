// /proc/vmstat parser on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/vmstat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  std::vector<vitals::procfs::VmstatEntry> entries;
  if (vitals::procfs::ParseVmstat(text, entries).ok()) {
    // Every name must be a non-empty view into the input.
    for (const auto& entry : entries) {
      if (entry.name.empty() || entry.name.data() < text.data() ||
          entry.name.data() + entry.name.size() > text.data() + text.size()) {
        __builtin_trap();
      }
      vitals::fuzz::Touch(entry.name);
    }
  }
  return 0;
}
