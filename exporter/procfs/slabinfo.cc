#include "procfs/slabinfo.h"

#include "procfs/go_text.h"

namespace vitals::procfs {
namespace {

// RE2's \s: [\t\n\f\r ] (not \v).
bool IsRe2Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// regexp `\s+` replaced by " ", then strings.Split(" ").
std::vector<std::string_view> SqueezeSplit(std::string_view line) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  size_t i = 0;
  while (i < line.size()) {
    if (!IsRe2Space(line[i])) {
      ++i;
      continue;
    }
    parts.push_back(line.substr(start, i - start));
    while (i < line.size() && IsRe2Space(line[i])) ++i;
    start = i;
  }
  parts.push_back(line.substr(start));
  return parts;
}

Result<Slab> ParseLine(std::string_view line) {
  const auto s = SqueezeSplit(line);
  const auto bad = [&] { return Error{"unable to parse: \"" + std::string(line) + "\""}; };
  if (s.size() != 16) return bad();
  Slab slab;
  slab.name = std::string(s[0]);
  int64_t* const fields[] = {&slab.active_objects, &slab.objects, &slab.object_size,
                             &slab.objects_per_slab, &slab.pages_per_slab};
  for (size_t i = 0; i < 5; ++i) {
    const auto value = ParseGoInt(s[i + 1], 10);
    if (!value) return bad();
    *fields[i] = *value;
  }
  // The tunables and slabdata numbers are not published but must parse.
  for (const size_t i : {8, 9, 10, 13, 14, 15}) {
    if (!ParseGoInt(s[i], 10)) return bad();
  }
  return slab;
}

}  // namespace

Result<std::vector<Slab>> ParseSlabinfo(std::string_view text) {
  std::vector<Slab> slabs;
  for (const std::string_view line : GoLineList(text)) {
    if (line.find("slabinfo -") != std::string_view::npos ||
        line.find("# name") != std::string_view::npos) {
      continue;
    }
    auto slab = ParseLine(line);
    if (!slab.ok()) return slab.failure();
    slabs.push_back(std::move(*slab));
  }
  return slabs;
}

}  // namespace vitals::procfs
