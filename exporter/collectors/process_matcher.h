// Deciding which group a process belongs to, with process-exporter's rules: groups are
// tried in order and the first match wins; within a group every given selector must
// match (comm: any of the names; exe: any of the names, compared with argv[0]'s base
// name unless the name contains '/'; cmdline: every regex, searched in the
// space-joined argv, with named captures available to the name template).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/name_template.h"
#include "collectors/regex.h"

namespace vitals::collectors {

struct ProcessGroupSpec {
  NameTemplate name;  // process-exporter's default is "{{.ExeBase}}".
  std::vector<std::string> comm;
  std::vector<std::string> exe;
  std::vector<Regex> cmdline;
  bool per_pid = false;  // Publish per-PID detail for this group's top processes.
  int max_pids = 10;

  bool operator==(const ProcessGroupSpec&) const = default;
};

// What matching needs to know about one process.
struct ProcessFacts {
  std::string_view comm;
  const std::vector<std::string>* argv = nullptr;  // Empty for kernel threads.
  std::string_view username;
  int64_t pid = 0;
  uint64_t start_time_ticks = 0;
  std::string_view cgroups;  // "[/a /b]", read only when a name template uses it.
};

struct GroupMatch {
  size_t spec_index = 0;
  std::string name;  // Expanded template; never empty.
};

std::optional<GroupMatch> MatchGroup(const std::vector<ProcessGroupSpec>& specs,
                                     const ProcessFacts& facts);

std::string_view BaseName(std::string_view path);

}  // namespace vitals::collectors
