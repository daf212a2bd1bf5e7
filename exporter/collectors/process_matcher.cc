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
    for (auto& capture : *found) {
      auto same = std::find_if(captures.begin(), captures.end(),
                               [&](const auto& kept) { return kept.first == capture.first; });
      if (same != captures.end()) {
        same->second = std::move(capture.second);
      } else {
        captures.push_back(std::move(capture));
      }
    }
  }
  return true;
}

}  // namespace

// Go's filepath.Base, which process-exporter applies to argv[0]: trailing slashes are
// dropped, "" gives "." and a path of only slashes gives "/".
std::string_view BaseName(std::string_view path) {
  if (path.empty()) return ".";
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return "/";
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<GroupMatch> MatchGroup(const std::vector<ProcessGroupSpec>& specs,
                                     const ProcessFacts& facts) {
  static const std::vector<std::string> kNoArgv;
  const std::vector<std::string>& argv = facts.argv != nullptr ? *facts.argv : kNoArgv;
  // Go's regexp (process-exporter) reads an invalid UTF-8 byte as U+FFFD, which '.' and
  // [^x] match; PCRE2_MATCH_INVALID_UTF instead lets no match span such a byte. Matching
  // the sanitised text gives Go's results, captures included.
  const std::string joined = SanitizeUtf8(JoinArgv(argv));
  for (size_t i = 0; i < specs.size(); ++i) {
    const ProcessGroupSpec& spec = specs[i];
    if (!spec.comm.empty() && !MatchesComm(spec, facts.comm)) continue;
    if (!spec.exe.empty() && !MatchesExe(spec, argv)) continue;
    Regex::NamedCaptures captures;
    if (!spec.cmdline.empty() && !MatchesCmdline(spec, joined, captures)) continue;
    TemplateValues values;
    values.comm = facts.comm;
    // Like process-exporter: without a command line (kernel threads, zombies) both are
    // the comm.
    values.exe_full = argv.empty() ? facts.comm : std::string_view(argv[0]);
    values.exe_base = argv.empty() ? facts.comm : BaseName(values.exe_full);
    values.username = facts.username;
    values.matches = &captures;
    values.pid = facts.pid;
    values.start_time_ticks = facts.start_time_ticks;
    values.cgroups = facts.cgroups;
    std::string name = spec.name.Expand(values);
    // An empty name (e.g. an empty {{.Matches.NAME}}) cannot be a label: no match.
    if (name.empty()) continue;
    return GroupMatch{i, std::move(name)};
  }
  return std::nullopt;
}

}  // namespace vitals::collectors
