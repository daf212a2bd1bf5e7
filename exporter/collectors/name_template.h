// Group names as process-exporter writes them: Go-template placeholders such as
// "{{.Comm}}", "{{.ExeBase}}", "{{.ExeFull}}", "{{.Username}}", "{{.Matches.NAME}}",
// "{{.PID}}", "{{.StartTime}}" and "{{.Cgroups}}" between literal text. Only these field references
// are supported; anything else is rejected when the configuration is loaded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/utf8.h"
#include "collectors/regex.h"

namespace vitals::collectors {

// What a template can refer to, for one process.
struct TemplateValues {
  std::string_view comm;
  std::string_view exe_base;
  std::string_view exe_full;
  std::string_view username;
  const Regex::NamedCaptures* matches = nullptr;
  int64_t pid = 0;
  uint64_t start_time_ticks = 0;
  // process-exporter's rendering of the process's cgroup paths: Go's fmt of a
  // []string, "[/a /b]" in /proc/PID/cgroup's order ("[]" when none could be read).
  std::string_view cgroups;
};

class NameTemplate {
 public:
  NameTemplate() = default;
  static Result<NameTemplate> Parse(std::string_view text);

  std::string Expand(const TemplateValues& values) const;
  // True when the expansion is the same for every process (no placeholder).
  bool IsStatic() const;
  // True when the template needs /proc/PID/cgroup.
  bool UsesCgroups() const;
  const std::string& text() const { return text_; }
  bool operator==(const NameTemplate& other) const { return text_ == other.text_; }

 private:
  enum class Field {
    kLiteral,
    kComm,
    kExeBase,
    kExeFull,
    kUsername,
    kMatch,
    kPid,
    kStartTime,
    kCgroups
  };
  struct Part {
    Field field = Field::kLiteral;
    std::string text;  // Literal text, or the capture name for kMatch.
  };
  std::string text_;
  std::vector<Part> parts_;
};

}  // namespace vitals::collectors
