// The watchdog attribute number parser (Go's ParseInt base 0) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/class_scsi_tape.h"
#include "procfs/class_watchdog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  const auto number = vitals::procfs::ParseWatchdogNumber(text);
  // Unsigned text reads the same through the sysfs counter parser while it fits.
  const auto counter = vitals::procfs::ParseSysfsCounter(text.substr(0, 128));
  if (number && *number >= 0 && text.find_first_of("+-") == text.npos &&
      counter != static_cast<uint64_t>(*number)) {
    __builtin_trap();
  }
  return 0;
}
