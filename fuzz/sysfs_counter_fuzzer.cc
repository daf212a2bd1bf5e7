// The sysfs counter parsers (tapestats and fibrechannel's ParseSysfsCounter, edac's
// ParseEdacCount) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/class_scsi_tape.h"
#include "procfs/edac.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const auto counter = vitals::procfs::ParseSysfsCounter(text);
  const auto count = vitals::procfs::ParseEdacCount(text);
  // A decimal without a leading 0 reads the same in base 0 (a leading 0 is octal there).
  const size_t first = text.find_first_not_of(" \t\n\v\f\r");
  if (count && text[first] != '0' && counter != count) __builtin_trap();
  return 0;
}
