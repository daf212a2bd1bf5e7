// /proc/<pid>/mountstats and mountinfo parsers on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/mountstats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  if (const auto mounts = vitals::procfs::ParseMountStats(text); mounts.ok()) {
    for (const auto& mount : *mounts) {
      // "device X mounted on Y with fstype Z": the three names are in the text.
      if (mount.device.size() + mount.mount_point.size() + mount.type.size() > size) {
        __builtin_trap();
      }
      if (mount.nfs) {
        for (const auto& op : mount.nfs->operations) vitals::fuzz::Touch(op.operation);
      }
    }
  }
  if (const auto addrs = vitals::procfs::ParseMountinfoAddrs(text); addrs.ok()) {
    for (const auto& addr : *addrs) {
      if (addr.size() > size) __builtin_trap();
    }
  }
  (void)vitals::procfs::ParseGoDuration(text);
  return 0;
}
