// The InfiniBand port file parsers (state/phys_state, rate, counters) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/class_infiniband.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const auto state = vitals::procfs::ParseInfinibandState(text);
  // A state needs its one ':' and a digit before it.
  if (state && (size < 2 || text.find(':') == std::string_view::npos)) __builtin_trap();
  const auto rate = vitals::procfs::ParseInfinibandRate(text);
  if (rate && text.find("Gb/sec") == std::string_view::npos) __builtin_trap();
  const auto words = vitals::procfs::ParseInfinibandCounter(text, false);
  const auto bytes = vitals::procfs::ParseInfinibandCounter(text, true);
  // The per-lane reading is the same number times 4 (mod 2^64), or both fail.
  if (words.has_value() != bytes.has_value()) __builtin_trap();
  if (words && *bytes != *words * 4) __builtin_trap();
  return 0;
}
