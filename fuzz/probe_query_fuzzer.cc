// The /probe query string (target=...&module=..., URL-encoded) on arbitrary bytes, as
// civetweb hands it over: NUL-terminated. The decoded target then goes through the
// allowed_targets check, as ServeProbe does.
#include <string>

#include "collectors/probes_collector.h"
#include "fuzz_util.h"
#include "server/probe_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string query(vitals::fuzz::AsText(data, size));
  const auto parsed = vitals::server::ParseProbeQuery(query.c_str());
  if (!parsed) return 0;
  vitals::fuzz::Touch(parsed->module);
  static const vitals::collectors::ProbesOptions* options = [] {
    auto* o = new vitals::collectors::ProbesOptions;
    o->allowed_targets.emplace_back(*vitals::collectors::Regex::Compile(
        "https?://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?(/.*)?"));
    return o;
  }();
  (void)vitals::collectors::ProbeTargetAllowed(*options, parsed->target);
  return 0;
}
