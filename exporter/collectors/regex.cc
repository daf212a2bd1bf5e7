#include "collectors/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>

namespace vitals::collectors {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

struct MatchData {
  explicit MatchData(const pcre2_code* code)
      : data(pcre2_match_data_create_from_pattern(code, nullptr)) {}
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  pcre2_match_data* data;
};

int Match(const pcre2_code* code, std::string_view subject, pcre2_match_data* data) {
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, data,
                     nullptr);
}

}  // namespace

Result<Regex> Regex::Compile(std::string_view pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    std::array<PCRE2_UCHAR, 256> message{};
    pcre2_get_error_message(error_code, message.data(), message.size());
    return Error{"invalid regular expression '" + std::string(pattern) +
                 "': " + reinterpret_cast<const char*>(message.data()) + " at offset " +
                 std::to_string(error_offset)};
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // Optional speed-up; falls back silently.
  Regex regex;
  regex.pattern_ = std::string(pattern);
  auto owned = std::make_shared<Code>();
  owned->code = code;
  regex.code_ = std::move(owned);
  return regex;
}

bool Regex::Search(std::string_view subject) const {
  if (!code_) return false;
  const MatchData match(code_->code);
  return Match(code_->code, subject, match.data) >= 0;
}

std::optional<Regex::NamedCaptures> Regex::SearchNamed(std::string_view subject) const {
  if (!code_) return std::nullopt;
  const MatchData match(code_->code);
  if (Match(code_->code, subject, match.data) < 0) return std::nullopt;
  const PCRE2_SIZE* offsets = pcre2_get_ovector_pointer(match.data);
  uint32_t count = 0, entry_size = 0;
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMETABLE, &table);
  NamedCaptures captures;
  for (uint32_t i = 0; i < count; ++i) {
    const PCRE2_SPTR entry = table + static_cast<size_t>(i) * entry_size;
    const int group = (entry[0] << 8) | entry[1];
    const PCRE2_SIZE start = offsets[2 * group], end = offsets[2 * group + 1];
    std::string value;
    if (start != PCRE2_UNSET && end >= start)
      value = std::string(subject.substr(start, end - start));
    captures.emplace_back(reinterpret_cast<const char*>(entry + 2), std::move(value));
  }
  return captures;
}

}  // namespace vitals::collectors
