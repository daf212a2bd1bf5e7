// Prometheus text format parser (textfile collector) on arbitrary bytes.
#include <vector>

#include "base/utf8.h"
#include "fuzz_util.h"
#include "procfs/prom_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  std::vector<vitals::procfs::PromFamily> families;
  if (vitals::procfs::ParsePromText(text, families).ok()) {
    // Every name must be valid and every label value and HELP valid UTF-8.
    for (const auto& family : families) {
      if (!vitals::procfs::ValidMetricName(family.name)) __builtin_trap();
      if (family.help && !vitals::IsValidUtf8(*family.help)) __builtin_trap();
      for (const auto& metric : family.metrics) {
        for (const auto& label : metric.labels) {
          if (!vitals::procfs::ValidLabelName(label.name)) __builtin_trap();
          if (!vitals::IsValidUtf8(label.value)) __builtin_trap();
          vitals::fuzz::Touch(label.value);
        }
      }
    }
  } else if (!families.empty()) {
    __builtin_trap();  // A failed parse leaves nothing behind.
  }
  return 0;
}
