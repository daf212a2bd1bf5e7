// /sys/devices/system/node/node<N>/{meminfo,numastat} parsers on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/node_meminfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto text = vitals::fuzz::AsText(data, size);
  if (const auto meminfo = vitals::procfs::ParseNodeMeminfo(text); meminfo.ok()) {
    for (const auto& v : *meminfo) {
      // Name and node come from the text (the name one byte longer at most: '(' -> '_').
      if (v.name.size() + v.node.size() > size + 1) __builtin_trap();
    }
  }
  if (const auto numastat = vitals::procfs::ParseNodeNumastat(text, "0"); numastat.ok()) {
    for (const auto& v : *numastat) vitals::fuzz::Touch(v.name);
  }
  return 0;
}
