#include "procfs/prom_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "base/utf8.h"

namespace vitals::procfs {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlankChar(char c) { return c == ' ' || c == '\t'; }

void SkipBlanks(std::string_view& s) {
  while (!s.empty() && IsBlankChar(s.front())) s.remove_prefix(1);
}

std::string_view TakeToken(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && !IsBlankChar(s[n])) ++n;
  const std::string_view token = s.substr(0, n);
  s.remove_prefix(n);
  return token;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return IsDigit(c); });
}

// Go's strconv.ParseFloat, minus hexadecimal floats and underscores (which it refuses
// without a base prefix anyway): inf, infinity and nan in any case, a sign only before
// inf; an overflow fails, an underflow gives 0 or a subnormal as in Go.
std::optional<double> ParseGoFloat(std::string_view s) {
  if (EqualsNoCase(s, "nan")) return std::numeric_limits<double>::quiet_NaN();
  bool negative = false;
  std::string_view body = s;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (EqualsNoCase(body, "inf") || EqualsNoCase(body, "infinity")) {
    const double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  // from_chars would take "nan(...)", "infin" and the like, which Go refuses.
  if (body.empty() || !(IsDigit(body.front()) || body.front() == '.') || !HasDigit(body)) {
    return std::nullopt;
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ptr != body.data() + body.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Tell an underflow (Go: the nearest value, no error) from an overflow (an error).
    const double nearest = std::strtod(std::string(body).c_str(), nullptr);
    if (std::isinf(nearest)) return std::nullopt;
    value = nearest;
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

// Go's strconv.ParseInt(s, 10, 64): one optional sign, then digits.
std::optional<int64_t> ParseGoInt(std::string_view s) {
  std::string_view digits = s;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), IsDigit)) return std::nullopt;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

// Takes [a-zA-Z_:][a-zA-Z0-9_:]* (or without ':' for a label name) off the front.
std::string_view TakeName(std::string_view& s, bool allow_colon) {
  size_t n = 0;
  while (n < s.size()) {
    const char c = s[n];
    const bool ok =
        IsAsciiLetter(c) || c == '_' || (allow_colon && c == ':') || (n > 0 && IsDigit(c));
    if (!ok) break;
    ++n;
  }
  const std::string_view name = s.substr(0, n);
  s.remove_prefix(n);
  return name;
}

bool IsCountOrFraction(double v) {
  return std::isfinite(v) && v >= 0 && v == std::trunc(v) && v < 18446744073709551616.0;
}

struct LineError {
  std::string what;
};

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s.substr(0, 64)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  if (s.size() > 64) out += "...";
  out += '"';
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<PromFamily>& out) : out_(out) {}

  Status Parse(std::string_view text) {
    out_.clear();
    if (text.find('\0') != std::string_view::npos) return Status::Fail("NUL byte in text");
    if (!text.empty() && text.back() != '\n') {
      const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
      return Fail(lines + 1, "unexpected end of input stream (last line has no newline)");
    }
    size_t line_number = 0;
    while (!text.empty()) {
      const size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end + 1);
      ++line_number;
      std::string error;
      if (!ParseLine(line, error)) return Fail(line_number, error);
    }
    return Status::Ok();
  }

 private:
  struct Index {
    std::map<std::string, size_t> series;  // Grouping key -> metric, summary/histogram.
    bool has_samples = false;
    bool has_type = false;
  };

  static Status Fail(size_t line_number, std::string_view what) {
    return Status::Fail("text format parsing error in line " + std::to_string(line_number) + ": " +
                        std::string(what));
  }

  size_t FindOrAdd(std::string_view name) {
    if (const auto it = by_name_.find(std::string(name)); it != by_name_.end()) return it->second;
    PromFamily family;
    family.name = std::string(name);
    out_.push_back(std::move(family));
    index_.emplace_back();
    by_name_.emplace(std::string(name), out_.size() - 1);
    return out_.size() - 1;
  }

  // expfmt's setOrCreateCurrentMF: the exact name first, then a summary's or
  // histogram's _sum/_count, then a histogram's _bucket.
  size_t Resolve(std::string_view name, std::string_view& suffix) {
    suffix = {};
    if (by_name_.count(std::string(name)) != 0) return by_name_[std::string(name)];
    for (const std::string_view s : {"_sum", "_count", "_bucket"}) {
      if (name.size() <= s.size() || name.substr(name.size() - s.size()) != s) continue;
      const auto it = by_name_.find(std::string(name.substr(0, name.size() - s.size())));
      if (it == by_name_.end()) continue;
      const PromType type = out_[it->second].type;
      if (type == PromType::kHistogram || (type == PromType::kSummary && s != "_bucket")) {
        suffix = s;
        return it->second;
      }
    }
    return FindOrAdd(name);
  }

  bool ParseLine(std::string_view line, std::string& error) {
    SkipBlanks(line);
    if (line.empty()) return true;
    if (line.front() == '#') return ParseComment(line.substr(1), error);
    return ParseSample(line, error);
  }

  bool ParseComment(std::string_view line, std::string& error) {
    SkipBlanks(line);
    const std::string_view keyword = TakeToken(line);
    if (keyword != "HELP" && keyword != "TYPE") return true;  // A plain comment.
    SkipBlanks(line);
    const std::string_view name = TakeName(line, true);
    // expfmt ignores a HELP or TYPE line that ends after the keyword or the name.
    if (line.empty()) return true;
    if (name.empty() || !IsBlankChar(line.front())) {
      error = "invalid metric name in comment";
      return false;
    }
    std::string_view suffix;
    const size_t f = Resolve(name, suffix);
    PromFamily& family = out_[f];
    SkipBlanks(line);
    if (line.empty()) return true;  // Family created (as expfmt does), nothing set.
    if (keyword == "HELP") {
      if (family.help) {
        error = "second HELP line for metric name " + Quoted(family.name);
        return false;
      }
      std::string help;
      for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\') {
          help += line[i];
          continue;
        }
        if (i + 1 < line.size() && line[i + 1] == '\\') {
          help += '\\';
        } else if (i + 1 < line.size() && line[i + 1] == 'n') {
          help += '\n';
        } else {
          error = "invalid escape sequence in HELP";
          return false;
        }
        ++i;
      }
      if (!IsValidUtf8(help)) {
        error = "HELP text is not valid UTF-8";
        return false;
      }
      family.help = std::move(help);
      return true;
    }
    if (index_[f].has_type || index_[f].has_samples) {
      error = "second TYPE line for metric name " + Quoted(family.name) +
              ", or TYPE reported after samples";
      return false;
    }
    // The rest of the line, in any case (expfmt upper-cases it): trailing blanks fail.
    const std::string_view type = line;
    if (EqualsNoCase(type, "counter")) {
      family.type = PromType::kCounter;
    } else if (EqualsNoCase(type, "gauge")) {
      family.type = PromType::kGauge;
    } else if (EqualsNoCase(type, "untyped")) {
      family.type = PromType::kUntyped;
    } else if (EqualsNoCase(type, "summary")) {
      family.type = PromType::kSummary;
    } else if (EqualsNoCase(type, "histogram")) {
      family.type = PromType::kHistogram;
    } else {
      error = "unknown metric type " + Quoted(type);
      return false;
    }
    index_[f].has_type = true;
    return true;
  }

  bool ParseLabels(std::string_view& line, std::vector<PromLabel>& labels, std::string& error) {
    line.remove_prefix(1);  // '{'
    while (true) {
      SkipBlanks(line);
      if (line.empty()) {
        error = "unexpected end of label set";
        return false;
      }
      if (line.front() == '}') {
        line.remove_prefix(1);
        return true;
      }
      const std::string_view name = TakeName(line, false);
      if (name.empty()) {
        error = "invalid label name";
        return false;
      }
      if (name == "__name__") {
        error = "label name \"__name__\" is reserved";
        return false;
      }
      for (const auto& label : labels) {
        if (label.name == name) {
          error = "duplicate label names for metric";
          return false;
        }
      }
      SkipBlanks(line);
      if (line.empty() || line.front() != '=') {
        error = "expected '=' after label name " + Quoted(name);
        return false;
      }
      line.remove_prefix(1);
      SkipBlanks(line);
      if (line.empty() || line.front() != '"') {
        error = "expected '\"' at start of label value";
        return false;
      }
      line.remove_prefix(1);
      std::string value;
      bool closed = false;
      while (!line.empty()) {
        const char c = line.front();
        line.remove_prefix(1);
        if (c == '"') {
          closed = true;
          break;
        }
        if (c != '\\') {
          value += c;
          continue;
        }
        if (line.empty()) break;
        const char e = line.front();
        line.remove_prefix(1);
        if (e == '\\' || e == '"') {
          value += e;
        } else if (e == 'n') {
          value += '\n';
        } else {
          error = "invalid escape sequence in label value";
          return false;
        }
      }
      if (!closed) {
        error = "unterminated label value";
        return false;
      }
      if (!IsValidUtf8(value)) {
        error = "invalid label value (not UTF-8) for label " + Quoted(name);
        return false;
      }
      labels.push_back({std::string(name), std::move(value)});
      SkipBlanks(line);
      if (!line.empty() && line.front() == ',') {
        line.remove_prefix(1);
      } else if (line.empty() || line.front() != '}') {
        error = "expected ',' or '}' after label value";
        return false;
      }
    }
  }

  // Removes the label `name` from `labels` and parses its value as a float.
  static bool TakeSpecial(std::vector<PromLabel>& labels, std::string_view name, double& out,
                          std::string& error) {
    const auto it = std::find_if(labels.begin(), labels.end(),
                                 [&](const PromLabel& l) { return l.name == name; });
    if (it == labels.end()) {
      error = "missing " + std::string(name) + " label";
      return false;
    }
    const auto value = ParseGoFloat(it->value);
    // Stricter than expfmt: a NaN bound or quantile cannot be ordered.
    if (!value || std::isnan(*value)) {
      error =
          "expected float as value for " + std::string(name) + " label, got " + Quoted(it->value);
      return false;
    }
    out = *value;
    labels.erase(it);
    return true;
  }

  bool ParseSample(std::string_view line, std::string& error) {
    const std::string_view name = TakeName(line, true);
    if (name.empty()) {
      error = "invalid metric name";
      return false;
    }
    std::vector<PromLabel> labels;
    SkipBlanks(line);
    if (!line.empty() && line.front() == '{' && !ParseLabels(line, labels, error)) return false;
    SkipBlanks(line);
    const std::string_view value_text = TakeToken(line);
    const auto value = ParseGoFloat(value_text);
    if (!value) {
      error = "expected float as value, got " + Quoted(value_text);
      return false;
    }
    SkipBlanks(line);
    bool has_timestamp = false;
    if (!line.empty()) {
      const std::string_view ts = TakeToken(line);
      if (!ParseGoInt(ts)) {
        error = "expected integer as timestamp, got " + Quoted(ts);
        return false;
      }
      has_timestamp = true;
      SkipBlanks(line);
      if (!line.empty()) {
        error = "spurious string after timestamp: " + Quoted(line);
        return false;
      }
    }
    std::string_view suffix;
    const size_t f = Resolve(name, suffix);
    PromFamily& family = out_[f];
    index_[f].has_samples = true;
    if (family.type != PromType::kSummary && family.type != PromType::kHistogram) {
      PromMetric metric;
      metric.labels = std::move(labels);
      metric.value = *value;
      metric.has_timestamp = has_timestamp;
      family.metrics.push_back(std::move(metric));
      return true;
    }
    const bool summary = family.type == PromType::kSummary;
    double point = 0;
    const bool is_point = summary ? suffix.empty() : suffix == "_bucket";
    if (!summary && suffix.empty()) {
      error = "histogram sample " + Quoted(name) + " without _bucket, _sum or _count";
      return false;
    }
    if (is_point && !TakeSpecial(labels, summary ? "quantile" : "le", point, error)) return false;
    if (!is_point && !summary) {
      for (const auto& label : labels) {
        if (label.name == "le") {
          error = "le label on a histogram's _sum or _count";
          return false;
        }
      }
    }
    if (!is_point && summary) {
      for (const auto& label : labels) {
        if (label.name == "quantile") {
          error = "quantile label on a summary's _sum or _count";
          return false;
        }
      }
    }
    std::vector<PromLabel> sorted = labels;
    std::sort(sorted.begin(), sorted.end(),
              [](const PromLabel& a, const PromLabel& b) { return a.name < b.name; });
    std::string key;
    for (const auto& label : sorted) {
      key += label.name;
      key += '\0';
      key += label.value;
      key += '\0';
    }
    auto [it, added] = index_[f].series.emplace(std::move(key), family.metrics.size());
    if (added) {
      PromMetric metric;
      metric.labels = std::move(labels);
      family.metrics.push_back(std::move(metric));
    }
    PromMetric& metric = family.metrics[it->second];
    metric.has_timestamp = metric.has_timestamp || has_timestamp;
    const bool histogram_count = !summary && (is_point || suffix == "_count");
    if ((histogram_count || suffix == "_count") && !IsCountOrFraction(*value)) {
      error = "count " + Quoted(value_text) + " is not a non-negative integer";
      return false;
    }
    if (is_point) {
      for (const auto& [p, v] : metric.points) {
        if (p == point) {
          error = std::string(summary ? "quantile" : "le") + " given twice for one series";
          return false;
        }
      }
      metric.points.emplace_back(point, *value);
    } else if (suffix == "_sum") {
      metric.sum = *value;
    } else {
      metric.count = *value;
    }
    return true;
  }

  std::vector<PromFamily>& out_;
  std::vector<Index> index_;
  std::map<std::string, size_t> by_name_;
};

}  // namespace

bool ValidMetricName(std::string_view name) {
  std::string_view rest = name;
  return !TakeName(rest, true).empty() && rest.empty();
}

bool ValidLabelName(std::string_view name) {
  std::string_view rest = name;
  return !TakeName(rest, false).empty() && rest.empty();
}

Status ParsePromText(std::string_view text, std::vector<PromFamily>& out) {
  Status status = Parser(out).Parse(text);
  if (!status.ok()) out.clear();
  return status;
}

}  // namespace vitals::procfs
