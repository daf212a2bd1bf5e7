// /proc/net/netstat, snmp (ParseNetstat) and snmp6 (ParseSnmp6) parsers on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/net_netstat.h"

namespace {

// Every protocol and name must be a non-empty view into the input.
void Check(std::string_view text, const std::vector<vitals::procfs::NetstatEntry>& entries) {
  for (const auto& entry : entries) {
    for (const std::string_view view : {entry.protocol, entry.name}) {
      if (view.empty() || view.data() < text.data() ||
          view.data() + view.size() > text.data() + text.size()) {
        __builtin_trap();
      }
      vitals::fuzz::Touch(view);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  std::vector<vitals::procfs::NetstatEntry> entries;
  if (vitals::procfs::ParseNetstat(text, entries).ok()) Check(text, entries);
  entries.clear();
  if (vitals::procfs::ParseSnmp6(text, entries).ok()) Check(text, entries);
  return 0;
}
