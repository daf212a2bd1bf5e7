// /proc/spl/kstat/zfs parsers (named kstats, pool io, objset, state) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/spl_kstat_zfs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  // Every value comes from a row of at least "n 4 0" (named) or one io field.
  if (const auto rows = vitals::procfs::ParseKstatNamed(text); rows.ok()) {
    if (rows->size() * 6 > size) __builtin_trap();
  }
  if (const auto io = vitals::procfs::ParseZpoolIo(text); io.ok()) {
    for (const auto& [name, value] : *io) vitals::fuzz::Touch(name);
  }
  if (const auto objsets = vitals::procfs::ParseZpoolObjset(text); objsets.ok()) {
    for (const auto& objset : *objsets) vitals::fuzz::Touch(objset.dataset);
  }
  vitals::fuzz::Touch(vitals::procfs::ParseZpoolState(text));
  return 0;
}
