// The btrfs sysfs value parser (TrimSpace, then a decimal or 0) on arbitrary bytes.
#include <charconv>

#include "fuzz_util.h"
#include "procfs/fs_btrfs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const uint64_t value = vitals::procfs::ParseBtrfsValue(text);
  // A nonzero value needs its digits in the input.
  if (value != 0) {
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
    if (text.find(std::string_view(digits, end - digits)) == std::string_view::npos) {
      __builtin_trap();
    }
  }
  return 0;
}
