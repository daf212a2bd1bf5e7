#include "procfs/pid_status.h"

#include <climits>
#include <cstdint>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool ParseKb(std::string_view value, uint64_t& out) {
  const auto kb = ParseU64(NextField(value));
  if (!kb || *kb > UINT64_MAX / 1024) return false;  // Bytes must not wrap around.
  out = *kb * 1024;
  return true;
}

bool ParseCount(std::string_view value, uint64_t& out) {
  const auto count = ParseU64(Trim(value));
  if (!count) return false;
  out = *count;
  return true;
}

}  // namespace

Result<PidStatus> ParsePidStatus(std::string_view text) {
  PidStatus status;
  bool saw_uid = false;
  bool ok = true;
  while (!text.empty() && ok) {
    const std::string_view line = NextLine(text);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, colon);
    const std::string_view value = line.substr(colon + 1);
    if (key == "Uid") {
      std::string_view rest = value;
      const auto real = ParseU64(NextField(rest));
      const auto effective = ParseU64(NextField(rest));
      // uid_t is 32 bits: a larger value must not wrap around (4294967296 would read as 0).
      ok = real && effective && *real <= UINT32_MAX && *effective <= UINT32_MAX;
      if (ok) {
        status.real_uid = static_cast<uint32_t>(*real);
        status.effective_uid = static_cast<uint32_t>(*effective);
      }
      saw_uid = true;
    } else if (key == "RssAnon") {
      ok = ParseKb(value, status.rss_anon);
    } else if (key == "RssFile") {
      ok = ParseKb(value, status.rss_file);
    } else if (key == "RssShmem") {
      ok = ParseKb(value, status.rss_shmem);
    } else if (key == "VmSwap") {
      ok = ParseKb(value, status.vm_swap);
    } else if (key == "Cpus_allowed_list") {
      status.cpus_allowed_list = Trim(value);
    } else if (key == "voluntary_ctxt_switches") {
      ok = ParseCount(value, status.voluntary_ctxt_switches);
    } else if (key == "nonvoluntary_ctxt_switches") {
      ok = ParseCount(value, status.nonvoluntary_ctxt_switches);
    }
  }
  if (!ok) return Error{"malformed status value"};
  if (!saw_uid) return Error{"malformed status: no Uid line"};
  return status;
}

std::optional<int> CountCpuList(std::string_view list) {
  list = Trim(list);
  if (list.empty()) return std::nullopt;
  int count = 0;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view range = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    const size_t dash = range.find('-');
    const auto first = ParseU64(range.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : ParseU64(range.substr(dash + 1));
    if (!first || !last || *last < *first) return std::nullopt;
    // More CPUs than an int holds is no CPU list (and must not overflow the count).
    if (*last - *first >= static_cast<uint64_t>(INT_MAX - count)) return std::nullopt;
    count += static_cast<int>(*last - *first + 1);
  }
  return count;
}

}  // namespace vitals::procfs
