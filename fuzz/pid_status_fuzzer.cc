// /proc/<pid>/status parser and the CPU list counter on arbitrary bytes; the
// Cpus_allowed_list view must point into the input.
#include "fuzz_util.h"
#include "procfs/pid_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  if (const auto status = vitals::procfs::ParsePidStatus(text)) {
    vitals::fuzz::Touch(status->cpus_allowed_list);
    (void)vitals::procfs::CountCpuList(status->cpus_allowed_list);
  }
  (void)vitals::procfs::CountCpuList(text);
  return 0;
}
