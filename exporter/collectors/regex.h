// Regular expressions through PCRE2: the syntax node_exporter and process-exporter
// users already write for Go's RE2 (\d, (?i), (?P<name>...) named captures) works
// unchanged. Compiled once at configuration time; copies share the compiled code.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vitals::collectors {

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
