// The /proc/net/ip_vs and ip_vs_stats parsers on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/net_ip_vs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const auto stats = vitals::procfs::ParseIpvsStats(text);
  // Three lines and five numbers of at least one digit.
  if (stats.ok() && size < 3 + 9) __builtin_trap();
  const auto backends = vitals::procfs::ParseIpvsBackends(text);
  if (!backends.ok()) return 0;
  // Each backend has its own "->" line of at least "-> A:P x 1 2 3" (13 + 11 bytes).
  if (backends->size() * 24 > size + 1) __builtin_trap();
  for (const auto& backend : *backends) {
    vitals::fuzz::Touch(backend.proto);
    vitals::fuzz::Touch(backend.local_mark);
    if (backend.remote_address.empty()) __builtin_trap();
    if (backend.proto == "FWM" && (!backend.local_address.empty() || backend.local_port != 0)) {
      __builtin_trap();
    }
  }
  return 0;
}
