// The sysctl collector's parsers (any /proc/sys file split into fields, each as Go's
// ParseInt(s, 0, 64)) and go_text.h's other number parsers on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/go_text.h"
#include "procfs/selinux.h"
#include "procfs/sysctl_values.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  for (const std::string& field : vitals::procfs::SysctlFields(text)) {
    if (field.empty() || field.size() > vitals::procfs::kSysReadFileSize) __builtin_trap();
    const auto value = vitals::procfs::ParseGoIntBase0(field);
    const auto atoi = vitals::procfs::ParseGoAtoi(field);
    // Decimal digits without a leading 0 read the same in base 0 and base 10.
    if (atoi && field.find_first_not_of("0123456789") == std::string::npos && field[0] != '0' &&
        value != atoi) {
      __builtin_trap();
    }
    (void)vitals::procfs::ParseGoHex64(field);
    (void)vitals::procfs::ParseGoUint32(field);
  }
  return 0;
}
