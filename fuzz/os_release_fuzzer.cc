// os-release parser (go-envparse's rules) on arbitrary bytes.
#include "fuzz_util.h"
#include "procfs/os_release.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::AsText(data, size);
  vitals::procfs::OsRelease os;
  if (vitals::procfs::ParseOsRelease(text, os).ok()) {
    // Unescaping never lengthens a value: each one fits in the input.
    for (const std::string* value :
         {&os.name, &os.id, &os.id_like, &os.pretty_name, &os.variant, &os.variant_id, &os.version,
          &os.version_id, &os.version_codename, &os.build_id, &os.image_id, &os.image_version}) {
      if (value->size() > size) __builtin_trap();
      vitals::fuzz::Touch(*value);
    }
  }
  return 0;
}
