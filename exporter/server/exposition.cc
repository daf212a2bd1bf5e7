#include "server/exposition.h"

#include <prometheus/text_serializer.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string_view>

#include "base/utf8.h"

namespace vitals::server {
namespace {

using prometheus::MetricType;

// TextSerializer prints doubles with ostream precision max_digits10 - 1, i.e. "%.16g".
constexpr int kPrecision = std::numeric_limits<double>::max_digits10 - 1;
// Below this, an integral double prints the same as an integer under "%.16g".
constexpr double kIntegerLimit = 1e16;

void AppendDouble(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "Nan";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Inf" : "+Inf";
    return;
  }
  char buffer[64];
  std::to_chars_result result;
  if (value == std::trunc(value) && std::fabs(value) < kIntegerLimit && !std::signbit(value)) {
    result = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int64_t>(value));
  } else {
    result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general,
                           kPrecision);
  }
  out.append(buffer, result.ptr);
}

void AppendEscaped(std::string_view value, std::string& out) {
  for (const char c : value) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        out += c;
    }
  }
}

// The one UTF-8 chokepoint: clean text (nearly all of it) is only scanned.
void AppendLabelValue(const std::string& value, std::string& out) {
  if (IsValidUtf8(value)) {
    AppendEscaped(value, out);
  } else {
    AppendEscaped(SanitizeUtf8(value), out);
  }
}

double SampleValue(MetricType type, const prometheus::ClientMetric& metric) {
  switch (type) {
    case MetricType::Counter:
      return metric.counter.value;
    case MetricType::Gauge:
      return metric.gauge.value;
    default:
      return metric.untyped.value;
  }
}

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    default:
      return "untyped";
  }
}

void AppendSample(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric,
                  std::string& out) {
  out += family.name;
  if (!metric.label.empty()) {
    out += '{';
    const char* separator = "";
    for (const auto& label : metric.label) {
      out += separator;
      out += label.name;
      out += "=\"";
      AppendLabelValue(label.value, out);
      out += '"';
      separator = ",";
    }
    out += '}';
  }
  out += ' ';
  AppendDouble(SampleValue(family.type, metric), out);
  if (metric.timestamp_ms != 0) {
    out += ' ';
    out += std::to_string(metric.timestamp_ms);
  }
  out += '\n';
}

bool IsSimpleType(MetricType type) {
  return type == MetricType::Counter || type == MetricType::Gauge || type == MetricType::Untyped;
}

}  // namespace

void AppendExposition(const collectors::Families& families, std::string& out) {
  for (const auto& family : families) {
    if (!IsSimpleType(family.type)) {
      std::ostringstream text;
      prometheus::TextSerializer().Serialize(text, {family});
      out += text.str();
      continue;
    }
    if (!family.help.empty()) {
      out += "# HELP ";
      out += family.name;
      out += ' ';
      out += family.help;
      out += '\n';
    }
    out += "# TYPE ";
    out += family.name;
    out += ' ';
    out += TypeName(family.type);
    out += '\n';
    for (const auto& metric : family.metric) AppendSample(family, metric, out);
  }
}

}  // namespace vitals::server
