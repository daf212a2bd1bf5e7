// The systemd collector's text from the bus: the Manager's Version (node_exporter's
// version regex) and unit names turned into object paths, on arbitrary bytes.
#include <cstdlib>

#include "fuzz_util.h"
#include "procfs/systemd_bus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  if (const auto version = vitals::procfs::ParseSystemdVersion(text); version && !(*version >= 0)) {
    std::abort();  // Digits and a dot only: never negative, never NaN.
  }
  const std::string path = vitals::procfs::UnitObjectPath(text);
  for (const char c : path.substr(31)) {
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!allowed) std::abort();
  }
  return 0;
}
