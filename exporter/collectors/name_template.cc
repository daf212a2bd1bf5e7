#include "collectors/name_template.h"

#include "base/text.h"

namespace vitals::collectors {
namespace {

constexpr std::string_view kMatchesPrefix = "Matches.";

}  // namespace

Result<NameTemplate> NameTemplate::Parse(std::string_view text) {
  NameTemplate result;
  result.text_ = std::string(text);
  while (!text.empty()) {
    const size_t open = text.find("{{");
    if (open != 0) {
      const std::string_view literal = text.substr(0, open);
      if (literal.find("}}") != std::string_view::npos) {
        return Error{"unbalanced '}}' in name template"};
      }
      result.parts_.push_back({Field::kLiteral, std::string(literal)});
      if (open == std::string_view::npos) break;
      text.remove_prefix(open);
    }
    const size_t close = text.find("}}");
    if (close == std::string_view::npos) return Error{"unclosed '{{' in name template"};
    const std::string_view action = Trim(text.substr(2, close - 2));
    text.remove_prefix(close + 2);
    Part part;
    if (action == ".Comm") {
      part.field = Field::kComm;
    } else if (action == ".ExeBase") {
      part.field = Field::kExeBase;
    } else if (action == ".ExeFull") {
      part.field = Field::kExeFull;
    } else if (action == ".Username") {
      part.field = Field::kUsername;
    } else if (action == ".PID") {
      part.field = Field::kPid;
    } else if (action == ".StartTime") {
      part.field = Field::kStartTime;
    } else if (action == ".Cgroups") {
      part.field = Field::kCgroups;
    } else if (StartsWith(action, ".") &&
               action.substr(1, kMatchesPrefix.size()) == kMatchesPrefix &&
               action.size() > kMatchesPrefix.size() + 1) {
      part.field = Field::kMatch;
      part.text = std::string(action.substr(1 + kMatchesPrefix.size()));
    } else {
      return Error{"unsupported template action '{{" + std::string(action) +
                   "}}' (supported: .Comm, .ExeBase, .ExeFull, .Username, .PID, "
                   ".StartTime, .Cgroups, .Matches.NAME)"};
    }
    result.parts_.push_back(std::move(part));
  }
  return result;
}

bool NameTemplate::IsStatic() const {
  for (const auto& part : parts_) {
    if (part.field != Field::kLiteral) return false;
  }
  return true;
}

bool NameTemplate::UsesCgroups() const {
  for (const auto& part : parts_) {
    if (part.field == Field::kCgroups) return true;
  }
  return false;
}

std::string NameTemplate::Expand(const TemplateValues& values) const {
  std::string out;
  for (const auto& part : parts_) {
    switch (part.field) {
      case Field::kLiteral:
        out += part.text;
        break;
      case Field::kComm:
        out += values.comm;
        break;
      case Field::kExeBase:
        out += values.exe_base;
        break;
      case Field::kExeFull:
        out += values.exe_full;
        break;
      case Field::kUsername:
        out += values.username;
        break;
      case Field::kPid:
        out += std::to_string(values.pid);
        break;
      case Field::kStartTime:
        out += std::to_string(values.start_time_ticks);
        break;
      case Field::kCgroups:
        out += values.cgroups;
        break;
      case Field::kMatch:
        if (values.matches != nullptr) {
          for (const auto& [name, value] : *values.matches) {
            if (name == part.text) out += value;
          }
        }
        break;
    }
  }
  return SanitizeUtf8(out);
}

}  // namespace vitals::collectors
