// Regular expressions through PCRE2: the syntax node_exporter and process-exporter
// users already write for Go's RE2 (\d, (?i), (?P<name>...) named captures) works
// unchanged. Compiled once at configuration time; copies share the compiled code.
// A match is bounded (a match limit, a JIT stack of at most 16 MiB): when the engine
// gives up, the subject counts as not matching, the error is counted by reason
// (RegexErrorCounts, published as vitals_regex_match_errors_total) and logged once per
// pattern and reason.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vitals::collectors {

// Why the engine gave up on a match, as the reason label.
inline constexpr std::array<std::string_view, 5> kRegexErrorReasons = {
    "match_limit", "depth_limit", "heap_limit", "jit_stack_limit", "other"};

// Engine errors since start, by kRegexErrorReasons index, over every Regex.
std::array<uint64_t, kRegexErrorReasons.size()> RegexErrorCounts();

class Regex {
 public:
  using NamedCaptures = std::vector<std::pair<std::string, std::string>>;

  Regex() = default;
  static Result<Regex> Compile(std::string_view pattern);

  // True when the pattern matches anywhere in `subject` (unanchored, like Go's MatchString).
  bool Search(std::string_view subject) const;
  // Named groups of the first match (unset groups give ""), or nullopt without a match.
  std::optional<NamedCaptures> SearchNamed(std::string_view subject) const;
  const std::string& pattern() const { return pattern_; }
  bool empty() const { return code_ == nullptr; }
  // Two regexes are equal when compiled from the same pattern.
  bool operator==(const Regex& other) const { return pattern_ == other.pattern_; }

 private:
  struct Code;
  std::string pattern_;
  std::shared_ptr<const Code> code_;
};

}  // namespace vitals::collectors
