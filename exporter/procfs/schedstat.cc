#include "procfs/schedstat.h"

#include <array>
#include <optional>

#include "base/text.h"

namespace vitals::procfs {
namespace {

constexpr size_t kMaxLine = 64 * 1024;  // bufio.MaxScanTokenSize.

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The digits at `pos` (at least one), advancing it past them.
std::optional<std::string_view> Digits(std::string_view line, size_t& pos) {
  const size_t start = pos;
  while (pos < line.size() && IsDigit(line[pos])) ++pos;
  if (pos == start) return std::nullopt;
  return line.substr(start, pos - start);
}

// `cpu(\d+)( \d+){9}` at `pos`: the CPU digits and the nine numbers. The digit runs are
// greedy and each but the last is followed by a space, so there is nothing to backtrack.
std::optional<std::array<std::string_view, 10>> MatchAt(std::string_view line, size_t pos) {
  std::array<std::string_view, 10> groups;
  pos += 3;  // "cpu"
  auto cpu = Digits(line, pos);
  if (!cpu) return std::nullopt;
  groups[0] = *cpu;
  for (size_t i = 1; i < groups.size(); ++i) {
    if (pos >= line.size() || line[pos] != ' ') return std::nullopt;
    ++pos;
    auto number = Digits(line, pos);
    if (!number) return std::nullopt;
    groups[i] = *number;
  }
  return groups;
}

// The leftmost match in `line`, as regexp.FindStringSubmatch finds it.
std::optional<std::array<std::string_view, 10>> FindCpuLine(std::string_view line) {
  for (size_t pos = line.find("cpu"); pos != std::string_view::npos;
       pos = line.find("cpu", pos + 1)) {
    if (auto groups = MatchAt(line, pos)) return groups;
  }
  return std::nullopt;
}

}  // namespace

std::vector<SchedstatCpu> ParseSchedstat(std::string_view text) {
  std::vector<SchedstatCpu> cpus;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (line.size() >= kMaxLine) break;
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const auto groups = FindCpuLine(line);
    if (!groups) continue;
    const auto running = ParseU64((*groups)[7]);
    const auto waiting = ParseU64((*groups)[8]);
    const auto timeslices = ParseU64((*groups)[9]);
    if (!running || !waiting || !timeslices) continue;  // Past uint64.
    cpus.push_back({std::string((*groups)[0]), *running, *waiting, *timeslices});
  }
  return cpus;
}

}  // namespace vitals::procfs
