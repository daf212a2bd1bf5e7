#include "procfs/fs_xfs.h"

#include <charconv>
#include <string>
#include <vector>

#include "procfs/go_text.h"

namespace vitals::procfs {
namespace {

// The value count each known line must have (0: any of two counts, below).
struct Known {
  std::string_view label;
  size_t count, alternative;
};
constexpr Known kKnown[] = {{"extent_alloc", 4, 4}, {"abt", 4, 4},     {"blk_map", 7, 7},
                            {"bmbt", 4, 4},         {"dir", 4, 4},     {"trans", 3, 3},
                            {"ig", 7, 7},           {"log", 5, 5},     {"push_ail", 10, 10},
                            {"xstrat", 2, 2},       {"rw", 2, 2},      {"attr", 4, 4},
                            {"icluster", 3, 3},     {"vnodes", 7, 8},  {"buf", 9, 9},
                            {"abtb2", 15, 15},      {"abtc2", 15, 15}, {"bmbt2", 15, 15},
                            {"ibt2", 15, 15},       {"qm", 8, 9},      {"debug", 1, 1}};

template <typename T>
bool ParseDecimal(std::string_view s, T& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

template <size_t N>
void Copy(const std::vector<uint32_t>& values, std::array<uint32_t, N>& out) {
  out = {};
  for (size_t i = 0; i < N && i < values.size(); ++i) out[i] = values[i];
}

void Keep(std::string_view label, const std::vector<uint32_t>& v, XfsStats& stats) {
  if (label == "extent_alloc") Copy(v, stats.extent_alloc);
  if (label == "abt") Copy(v, stats.abt);
  if (label == "blk_map") Copy(v, stats.blk_map);
  if (label == "bmbt") Copy(v, stats.bmbt);
  if (label == "dir") Copy(v, stats.dir);
  if (label == "ig") Copy(v, stats.ig);
  if (label == "rw") Copy(v, stats.rw);
  if (label == "vnodes") Copy(v, stats.vnodes);  // 7 values: free is 0.
}

Error Bad(std::string_view why, std::string_view line) {
  return Error{std::string(why) + ": \"" + std::string(line) + "\""};
}

}  // namespace

Result<XfsStats> ParseXfsStats(std::string_view text) {
  XfsStats stats;
  for (const std::string_view line : GoLineList(text)) {
    const auto fields = GoFields(line);
    if (fields.size() < 2) continue;
    const std::string_view label = fields[0];
    if (label == "xpc") {  // Byte counts: 64 bits.
      uint64_t value = 0;
      for (size_t i = 1; i < fields.size(); ++i) {
        if (!ParseDecimal(fields[i], value)) return Bad("XFS value not a uint64", line);
      }
      if (fields.size() != 4) return Bad("XFS xpc needs 3 values", line);
      continue;
    }
    std::vector<uint32_t> values(fields.size() - 1);
    for (size_t i = 1; i < fields.size(); ++i) {
      if (!ParseDecimal(fields[i], values[i - 1])) return Bad("XFS value not a uint32", line);
    }
    for (const Known& known : kKnown) {
      if (known.label != label) continue;
      if (values.size() != known.count && values.size() != known.alternative) {
        return Bad("incorrect number of values for XFS " + std::string(label), line);
      }
      Keep(label, values, stats);
    }
  }
  return stats;
}

}  // namespace vitals::procfs
