#include "collectors/name_template.h"

#include "procfs/text.h"

namespace vitals::collectors {
namespace {

constexpr std::string_view kMatchesPrefix = "Matches.";

}  // namespace

procfs::Result<NameTemplate> NameTemplate::Parse(std::string_view text) {
  NameTemplate result;
  result.text_ = std::string(text);
  while (!text.empty()) {
    const size_t open = text.find("{{");
    if (open != 0) {
      const std::string_view literal = text.substr(0, open);
      if (literal.find("}}") != std::string_view::npos) {
        return procfs::Error{"unbalanced '}}' in name template"};
      }
      result.parts_.push_back({Field::kLiteral, std::string(literal)});
      if (open == std::string_view::npos) break;
      text.remove_prefix(open);
    }
    const size_t close = text.find("}}");
    if (close == std::string_view::npos) return procfs::Error{"unclosed '{{' in name template"};
    const std::string_view action = procfs::Trim(text.substr(2, close - 2));
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
    } else if (procfs::StartsWith(action, ".") &&
               action.substr(1, kMatchesPrefix.size()) == kMatchesPrefix &&
               action.size() > kMatchesPrefix.size() + 1) {
      part.field = Field::kMatch;
      part.text = std::string(action.substr(1 + kMatchesPrefix.size()));
    } else {
      return procfs::Error{"unsupported template action '{{" + std::string(action) +
                           "}}' (supported: .Comm, .ExeBase, .ExeFull, .Username, .PID, "
                           ".StartTime, .Matches.NAME)"};
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

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t min_code = 0;
    if (byte < 0x80) {
      length = 1;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      min_code = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      min_code = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      min_code = 0x10000;
    }
    bool valid = length > 0 && i + length <= text.size();
    uint32_t code = length == 1 ? byte : (byte & (0x7F >> length));
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    valid = valid && (length == 1 || code >= min_code) && code <= 0x10FFFF &&
            !(code >= 0xD800 && code <= 0xDFFF);
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace vitals::collectors
