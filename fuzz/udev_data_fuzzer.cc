// /run/udev/data/b<major>:<minor> parser on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/udev_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto properties = vitals::procfs::ParseUdevData(vitals::fuzz::AsText(data, size));
  vitals::fuzz::Touch(vitals::procfs::UdevProperty(properties, "ID_FS_TYPE"));
  return 0;
}
