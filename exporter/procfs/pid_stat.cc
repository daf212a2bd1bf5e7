#include "procfs/pid_stat.h"

#include <array>

#include "base/text.h"

namespace vitals::procfs {
namespace {

// Field numbers (1-based, proc(5)) after "pid (comm)": 3 state, 4 ppid, 10 minflt,
// 12 majflt, 14 utime, 15 stime, 20 num_threads, 22 starttime, 23 vsize, 24 rss.
constexpr int kLastField = 24;

}  // namespace

Result<PidStat> ParsePidStat(std::string_view text) {
  const size_t open = text.find('(');
  const size_t close = text.rfind(')');  // comm may itself contain ')'.
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return Error{"malformed stat: no (comm)"};
  }
  PidStat stat;
  stat.comm = text.substr(open + 1, close - open - 1);
  std::string_view rest = text.substr(close + 1);
  std::array<std::string_view, kLastField + 1> fields{};
  for (int field = 3; field <= kLastField; ++field) {
    fields[field] = NextField(rest);
    if (fields[field].empty()) return Error{"malformed stat: too few fields"};
  }
  if (fields[3].size() != 1) return Error{"malformed stat: bad state"};
  stat.state = fields[3][0];
  const auto ppid = ParseI64(fields[4]);
  const auto minflt = ParseU64(fields[10]);
  const auto majflt = ParseU64(fields[12]);
  const auto utime = ParseU64(fields[14]);
  const auto stime = ParseU64(fields[15]);
  const auto threads = ParseI64(fields[20]);
  const auto start = ParseU64(fields[22]);
  const auto vsize = ParseU64(fields[23]);
  const auto rss = ParseI64(Trim(fields[24]));
  if (!ppid || !minflt || !majflt || !utime || !stime || !threads || !start || !vsize || !rss) {
    return Error{"malformed stat: bad number"};
  }
  stat.ppid = *ppid;
  stat.minor_faults = *minflt;
  stat.major_faults = *majflt;
  stat.utime = *utime;
  stat.stime = *stime;
  stat.num_threads = *threads;
  stat.start_time = *start;
  stat.vsize = *vsize;
  stat.rss_pages = *rss;
  return stat;
}

}  // namespace vitals::procfs
