// The YAML configuration loader on arbitrary bytes: it must answer with a Config or a
// one-line error, never crash, throw or hang.
#include <string>

#include "fuzz_util.h"
#include "server/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto config = vitals::server::ParseConfig(vitals::fuzz::AsText(data, size), "fuzz.yml");
  if (!config) vitals::fuzz::Touch(config.error());
  return 0;
}
