#include "procfs/loadavg.h"

#include "procfs/text.h"

namespace vitals::procfs {

Result<LoadAvg> ParseLoadavg(std::string_view text) {
  LoadAvg load;
  double* fields[] = {&load.load1, &load.load5, &load.load15};
  for (double* field : fields) {
    const auto value = ParseDouble(NextField(text));
    if (!value) return Error{"malformed loadavg"};
    *field = *value;
  }
  return load;
}

}  // namespace vitals::procfs
