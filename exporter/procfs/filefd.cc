#include "procfs/filefd.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {

Result<FileNr> ParseFileNr(std::string_view text) {
  const std::string_view whole = text;
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.find('\n') != std::string_view::npos) {
    return Error{"malformed file-nr (more than one line): '" + std::string(whole.substr(0, 80)) +
                 "'"};
  }
  FileNr nr;
  uint64_t* fields[] = {&nr.allocated, &nr.unused, &nr.maximum};
  for (uint64_t* field : fields) {
    const auto value = ParseU64(NextField(text));
    if (!value) return Error{"malformed file-nr: '" + std::string(whole.substr(0, 80)) + "'"};
    *field = *value;
  }
  if (!NextField(text).empty()) {
    return Error{"malformed file-nr (extra field): '" + std::string(whole.substr(0, 80)) + "'"};
  }
  return nr;
}

}  // namespace vitals::procfs
