// /proc/net/arp parser on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/net_arp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  std::vector<vitals::procfs::ArpEntry> entries;
  if (vitals::procfs::ParseArp(text, entries).ok()) {
    for (const auto& entry : entries) {
      for (const std::string_view view : {entry.ip_address, entry.hw_address, entry.device}) {
        if (view.empty() || view.data() < text.data() ||
            view.data() + view.size() > text.data() + text.size()) {
          __builtin_trap();
        }
        vitals::fuzz::Touch(view);
      }
    }
  }
  return 0;
}
