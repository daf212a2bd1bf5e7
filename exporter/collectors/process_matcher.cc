#include "collectors/process_matcher.h"

#include <algorithm>

namespace vitals::collectors {
namespace {

bool MatchesComm(const ProcessGroupSpec& spec, std::string_view comm) {
  return std::find(spec.comm.begin(), spec.comm.end(), comm) != spec.comm.end();
}

bool MatchesExe(const ProcessGroupSpec& spec, const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  const std::string_view base = BaseName(argv[0]);
  for (const auto& exe : spec.exe) {
    const bool full_path = exe.find('/') != std::string::npos;
    if (full_path ? exe == argv[0] : exe == base) return true;
  }
  return false;
}

std::string JoinArgv(const std::vector<std::string>& argv) {
  std::string joined;
  for (const auto& arg : argv) {
    if (!joined.empty()) joined += ' ';
    joined += arg;
  }
  return joined;
}

// All regexes must match; their named captures are merged (later ones win).
bool MatchesCmdline(const ProcessGroupSpec& spec, const std::string& joined,
                    Regex::NamedCaptures& captures) {
  for (const auto& regex : spec.cmdline) {
    auto found = regex.SearchNamed(joined);
    if (!found) return false;
    for (auto& capture : *found) captures.push_back(std::move(capture));
  }
  return true;
}

}  // namespace

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<GroupMatch> MatchGroup(const std::vector<ProcessGroupSpec>& specs,
                                     const ProcessFacts& facts) {
  static const std::vector<std::string> kNoArgv;
  const std::vector<std::string>& argv = facts.argv != nullptr ? *facts.argv : kNoArgv;
  const std::string joined = JoinArgv(argv);
  for (size_t i = 0; i < specs.size(); ++i) {
    const ProcessGroupSpec& spec = specs[i];
    if (!spec.comm.empty() && !MatchesComm(spec, facts.comm)) continue;
    if (!spec.exe.empty() && !MatchesExe(spec, argv)) continue;
    Regex::NamedCaptures captures;
    if (!spec.cmdline.empty() && !MatchesCmdline(spec, joined, captures)) continue;
    TemplateValues values;
    values.comm = facts.comm;
    values.exe_full = argv.empty() ? std::string_view() : std::string_view(argv[0]);
    values.exe_base = BaseName(values.exe_full);
    values.username = facts.username;
    values.matches = &captures;
    values.pid = facts.pid;
    values.start_time_ticks = facts.start_time_ticks;
    std::string name = spec.name.Expand(values);
    // An empty name (e.g. {{.ExeBase}} of a kernel thread) cannot be a label: no match.
    if (name.empty()) continue;
    return GroupMatch{i, std::move(name)};
  }
  return std::nullopt;
}

}  // namespace vitals::collectors
