#include "procfs/spl_kstat_zfs.h"

#include "base/text.h"
#include "procfs/go_text.h"

namespace vitals::procfs {
namespace {

bool IsNamedHeader(const std::vector<std::string_view>& f) {
  return f.size() == 3 && f[0] == "name" && f[1] == "type" && f[2] == "data";
}

Error NotInteger(std::string_view name) {
  return Error{"could not parse expected integer value for \"" + std::string(name) + "\""};
}

}  // namespace

Result<KstatValues> ParseKstatNamed(std::string_view text) {
  KstatValues values;
  bool header = false;
  for (const std::string_view line : GoLineList(text)) {
    const auto fields = GoFields(line);
    if (!header) {
      header = IsNamedHeader(fields);
      continue;
    }
    if (fields.size() < 3 || fields[1] != "4") continue;
    const auto value = ParseU64(fields[2]);
    if (!value) return NotInteger(fields[0]);
    values.emplace_back(std::string(fields[0]), *value);
  }
  if (!header) return Error{"no \"name type data\" line"};
  return values;
}

Result<KstatValues> ParseZpoolIo(std::string_view text) {
  KstatValues values;
  std::vector<std::string> names;
  for (const std::string_view line : GoLineList(text)) {
    const auto fields = GoFields(line);
    if (names.empty()) {
      if (fields.size() >= 12 && fields[0] == "nread") names.assign(fields.begin(), fields.end());
      continue;
    }
    if (fields.size() < names.size()) return Error{"io line shorter than its header"};
    for (size_t i = 0; i < names.size(); ++i) {
      const auto value = ParseU64(fields[i]);
      if (!value) return NotInteger(names[i]);
      values.emplace_back(names[i], *value);
    }
  }
  return values;
}

Result<std::vector<ZpoolObjset>> ParseZpoolObjset(std::string_view text) {
  std::vector<ZpoolObjset> objsets;
  bool header = false;
  for (const std::string_view line : GoLineList(text)) {
    const auto fields = GoFields(line);
    if (!header) {
      header = IsNamedHeader(fields);
      continue;
    }
    if (fields.size() < 3) continue;
    if (fields[0] == "dataset_name") {
      objsets.push_back({true, std::string(fields[2]), {}});
      continue;
    }
    if (fields[1] != "4") continue;
    const auto value = ParseU64(fields[2]);
    if (!value) return NotInteger(fields[0]);
    if (objsets.empty()) objsets.push_back({});
    objsets.back().values.emplace_back(std::string(fields[0]), *value);
  }
  if (!header) return Error{"no \"name type data\" line"};
  return objsets;
}

std::string ParseZpoolState(std::string_view text) {
  const auto lines = GoLineList(text);
  std::string state(lines.empty() ? std::string_view() : lines.front());
  for (char& c : state) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return state;
}

}  // namespace vitals::procfs
