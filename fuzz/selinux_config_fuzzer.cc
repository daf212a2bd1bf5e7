// /etc/selinux/config (go-selinux readConfig) and the enforce file (strconv.Atoi) on
// arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/selinux.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  vitals::fuzz::Touch(vitals::procfs::SelinuxConfigValue(text, "SELINUX"));
  volatile int mode = vitals::procfs::SelinuxConfigMode(text);
  volatile int64_t enforce = vitals::procfs::ParseGoAtoi(text).value_or(-1);
  (void)mode;
  (void)enforce;
  return 0;
}
