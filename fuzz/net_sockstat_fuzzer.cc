// /proc/net/sockstat{,6} parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/net_sockstat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  vitals::procfs::Sockstat stat;
  if (vitals::procfs::ParseSockstat(text, stat).ok()) {
    for (const auto& protocol : stat.protocols) {
      const std::string_view name = protocol.protocol;
      if (name.empty() || name.data() < text.data() ||
          name.data() + name.size() > text.data() + text.size()) {
        __builtin_trap();
      }
      vitals::fuzz::Touch(name);
    }
  }
  return 0;
}
