#include "collectors/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <mutex>
#include <set>
#include <utility>

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

// Bounds on one match, so a pathological pattern costs milliseconds, not seconds:
// PCRE2's default match limit (10 million) let one catastrophic pattern take over
// 100 ms per process.
constexpr uint32_t kMatchLimit = 1'000'000;
// The JIT's stack: 32 KiB on the machine stack by default, which a long subject (a
// 166 KB command line against "^(.)*$") overflows. Such a match is retried once on a
// stack of its own, unmapped right after, so it costs no resident memory afterwards;
// 16 MiB is enough for about 700 KB of subject with the worst patterns.
constexpr size_t kLargeJitStack = size_t{16} * 1024 * 1024;

// Per thread: a match context is not safe to share between threads.
class MatchContext {
 public:
  MatchContext() : context_(pcre2_match_context_create(nullptr)) {
    if (context_ != nullptr) pcre2_set_match_limit(context_, kMatchLimit);
  }
  ~MatchContext() { pcre2_match_context_free(context_); }
  MatchContext(const MatchContext&) = delete;
  MatchContext& operator=(const MatchContext&) = delete;
  pcre2_match_context* get() const { return context_; }

 private:
  pcre2_match_context* context_;
};

int MatchWithLargeStack(const pcre2_code* code, std::string_view subject, pcre2_match_data* data,
                        pcre2_match_context* base) {
  pcre2_match_context* context = pcre2_match_context_copy(base);
  pcre2_jit_stack* stack = pcre2_jit_stack_create(size_t{32} * 1024, kLargeJitStack, nullptr);
  int rc = PCRE2_ERROR_JIT_STACKLIMIT;
  if (context != nullptr && stack != nullptr) {
    pcre2_jit_stack_assign(context, nullptr, stack);
    rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, data,
                     context);
  }
  pcre2_jit_stack_free(stack);
  pcre2_match_context_free(context);
  return rc;
}

std::array<std::atomic<uint64_t>, kRegexErrorReasons.size()> error_counts{};

size_t ReasonIndex(int rc) {
  switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
      return 0;
    case PCRE2_ERROR_DEPTHLIMIT:
      return 1;
    case PCRE2_ERROR_HEAPLIMIT:
      return 2;
    case PCRE2_ERROR_JIT_STACKLIMIT:
      return 3;
    default:
      return 4;
  }
}

// Counts every engine error and logs each (pattern, reason) once: a limit hit on every
// scrape must not flood the log, and must not look like a plain "no match" either.
void RecordError(const std::string& pattern, int rc, size_t subject_size) {
  const size_t reason = ReasonIndex(rc);
  error_counts[reason].fetch_add(1, std::memory_order_relaxed);
  static std::mutex mutex;
  static std::set<std::pair<std::string, size_t>> logged;
  {
    std::lock_guard lock(mutex);
    if (!logged.emplace(pattern, reason).second) return;
  }
  std::array<PCRE2_UCHAR, 256> message{};
  pcre2_get_error_message(rc, message.data(), message.size());
  spdlog::warn(
      "regular expression '{}' gave up on a {}-byte text ({}); treated as no match, counted "
      "in vitals_regex_match_errors_total{{reason=\"{}\"}}",
      pattern, subject_size, reinterpret_cast<const char*>(message.data()),
      kRegexErrorReasons[reason]);
}

// pcre2_match's result: >= 0 matched, PCRE2_ERROR_NOMATCH, or an error (recorded).
int Match(const pcre2_code* code, const std::string& pattern, std::string_view subject,
          pcre2_match_data* data) {
  thread_local const MatchContext context;
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                       data, context.get());
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
    rc = MatchWithLargeStack(code, subject, data, context.get());
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) RecordError(pattern, rc, subject.size());
  return rc;
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
  return Match(code_->code, pattern_, subject, match.data) >= 0;
}

std::optional<Regex::NamedCaptures> Regex::SearchNamed(std::string_view subject) const {
  if (!code_) return std::nullopt;
  const MatchData match(code_->code);
  if (Match(code_->code, pattern_, subject, match.data) < 0) return std::nullopt;
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

std::array<uint64_t, kRegexErrorReasons.size()> RegexErrorCounts() {
  std::array<uint64_t, kRegexErrorReasons.size()> counts{};
  for (size_t i = 0; i < counts.size(); ++i) {
    counts[i] = error_counts[i].load(std::memory_order_relaxed);
  }
  return counts;
}

}  // namespace vitals::collectors
