#include "procfs/edac.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vitals::procfs {

Result<std::vector<NumberedEntry>> GlobNumberedEntries(const std::string& dir,
                                                       std::string_view prefix) {
  std::vector<NumberedEntry> entries;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    // Glob reports no match for a missing directory, and for one it cannot read.
    if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) return entries;
    return Error{"open " + dir + ": " + std::strerror(errno), errno};
  }
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (!name.starts_with(prefix) || name.size() == prefix.size() || !digit(name[prefix.size()])) {
      continue;
    }
    size_t end = prefix.size();
    while (end < name.size() && digit(name[end])) ++end;
    entries.push_back({dir + "/" + std::string(name),
                       std::string(name.substr(prefix.size(), end - prefix.size()))});
  }
  closedir(d);
  std::sort(entries.begin(), entries.end(),
            [](const NumberedEntry& a, const NumberedEntry& b) { return a.path < b.path; });
  return entries;
}

std::optional<uint64_t> ParseEdacCount(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

}  // namespace vitals::procfs
