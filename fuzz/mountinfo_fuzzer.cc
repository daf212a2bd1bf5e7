// /proc/<pid>/mountinfo parser (and its octal unescaping) on arbitrary bytes.
#include <vector>

#include "fuzz_util.h"
#include "procfs/mountinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  std::vector<vitals::procfs::MountInfo> mounts;
  (void)vitals::procfs::ParseMountinfo(text, mounts);
  vitals::fuzz::Touch(vitals::procfs::UnescapeOctal(text));
  return 0;
}
