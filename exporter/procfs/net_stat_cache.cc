#include "procfs/net_stat_cache.h"

#include "procfs/go_text.h"

namespace vitals::procfs {

Result<std::vector<NetStatCounter>> ParseNetStatCache(std::string_view text) {
  std::vector<NetStatCounter> counters;
  GoLines lines(text);
  std::string_view line;
  if (!lines.Next(line)) return counters;
  // Column -> index into `counters` (names in first-seen order, each once).
  std::vector<size_t> columns;
  for (const std::string_view name : GoFields(line)) {
    size_t at = 0;
    while (at < counters.size() && counters[at].name != name) ++at;
    if (at == counters.size()) counters.push_back({std::string(name), {}});
    columns.push_back(at);
  }
  while (lines.Next(line)) {
    const auto fields = GoFields(line);
    if (fields.size() > columns.size()) {
      return Error{"more values than names in line \"" + std::string(line.substr(0, 80)) + "\""};
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      const auto value = ParseGoHex64(fields[i]);
      if (!value)
        return Error{"not a hex counter: \"" + std::string(fields[i].substr(0, 80)) + "\""};
      counters[columns[i]].values.push_back(*value);
    }
  }
  return counters;
}

}  // namespace vitals::procfs
