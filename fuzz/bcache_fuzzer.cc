// The bcache readers (dehumanize, writeback_rate_debug, priority_stats) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/bcache.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const auto value = vitals::procfs::BcacheDehumanize(text);
  const auto file = vitals::procfs::ParseBcacheValue(text);
  // The file reading is the text without its last byte.
  if (size > 0 && file != vitals::procfs::BcacheDehumanize(text.substr(0, size - 1))) {
    __builtin_trap();
  }
  // A signed reading of unsigned text is the same number while it fits.
  const auto signed_value = vitals::procfs::BcacheDehumanizeSigned(text);
  if (value.has_value() != signed_value.has_value() && !text.starts_with('-')) __builtin_trap();
  const auto debug = vitals::procfs::ParseBcacheWritebackRateDebug(text);
  const auto stats = vitals::procfs::ParseBcachePriorityStats(text);
  if (stats.unused_percent && *stats.unused_percent != 0 && text.find("Unused:") == text.npos) {
    __builtin_trap();
  }
  (void)debug;
  return 0;
}
