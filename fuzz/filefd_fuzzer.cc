// /proc/sys/fs/file-nr parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/filefd.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto nr = vitals::procfs::ParseFileNr(vitals::fuzz::AsText(data, size));
  if (!nr.ok()) vitals::fuzz::Touch(nr.error());
  return 0;
}
