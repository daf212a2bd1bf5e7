// exporter-toolkit's web config loader (--web.config.file) on arbitrary bytes: a
// WebConfig or a one-line error, never a crash, throw or hang.
#include <string>

#include "fuzz_util.h"
#include "server/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto config =
      vitals::server::ParseWebConfig(vitals::fuzz::AsText(data, size), "fuzz-web.yml");
  if (!config) vitals::fuzz::Touch(config.error());
  return 0;
}
