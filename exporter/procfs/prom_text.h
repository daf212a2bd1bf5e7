// The Prometheus text exposition format 0.0.4 (what node_exporter's textfile collector
// reads from *.prom files), parsed as strictly as prometheus/common's expfmt.TextParser
// and stricter where expfmt silently drops data. A pure parser: text in, typed families
// out, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

enum class PromType { kUntyped, kCounter, kGauge, kSummary, kHistogram };

struct PromLabel {
  std::string name;
  std::string value;  // Unescaped; always valid UTF-8.

  bool operator==(const PromLabel&) const = default;
};

// One series. For counter, gauge and untyped families, `value`; for a summary,
// `points` are (quantile, value) and `sum`/`count`; for a histogram, `points` are
// (le, cumulative count) and `sum`/`count`. The quantile and le labels are not in
// `labels`.
struct PromMetric {
  std::vector<PromLabel> labels;  // In the order written.
  double value = 0;
  std::vector<std::pair<double, double>> points;
  double sum = 0;
  double count = 0;
  bool has_timestamp = false;  // Any of its samples carried a timestamp.
};

struct PromFamily {
  std::string name;
  std::optional<std::string> help;  // Unescaped; nullopt when the text has no HELP.
  PromType type = PromType::kUntyped;
  std::vector<PromMetric> metrics;
};

// Parses a whole text. Fails, naming the line, on anything expfmt rejects: a bad
// metric or label name, a bad escape, a label value that is not UTF-8, a reserved
// (__name__) or repeated label name, a value that is not a float (Go's ParseFloat
// spellings of NaN and Inf included), a bad timestamp, a second HELP or TYPE for a
// family, a TYPE after its samples or of an unknown kind (any case is accepted), a
// carriage return before a newline (expfmt reads it as part of the value), a last line
// without its newline (a torn write). Stricter than expfmt: a NUL byte anywhere, HELP
// text that is not UTF-8, a summary sample without a quantile label or a histogram
// bucket without le (expfmt drops them), a NaN quantile or le, a quantile or le given
// twice for one series, a histogram sample without _bucket/_sum/_count, le or quantile
// on _sum/_count, and a summary or histogram count that is not a non-negative integer.
// An empty text is a valid file with no families. Families are in order of first
// appearance; samples of a summary or histogram are grouped by their other labels.
Status ParsePromText(std::string_view text, std::vector<PromFamily>& out);

bool ValidMetricName(std::string_view name);
bool ValidLabelName(std::string_view name);

}  // namespace vitals::procfs
