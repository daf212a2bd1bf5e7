#include "server/logging.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

namespace vitals::server {
namespace {

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    default:
      return "error";
  }
}

void AppendTimestamp(std::chrono::system_clock::time_point time, spdlog::memory_buf_t& dest) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() % 1000;
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  char text[40];
  const size_t n = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  fmt::format_to(std::back_inserter(dest), "{}.{:03}Z", std::string_view(text, n), millis);
}

// Escapes for a double-quoted logfmt or JSON string (the rules coincide for what we emit).
void AppendQuoted(std::string_view text, spdlog::memory_buf_t& dest) {
  dest.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        dest.append(std::string_view("\\\""));
        break;
      case '\\':
        dest.append(std::string_view("\\\\"));
        break;
      case '\n':
        dest.append(std::string_view("\\n"));
        break;
      case '\t':
        dest.append(std::string_view("\\t"));
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(dest), "\\u{:04x}", static_cast<int>(c));
        } else {
          dest.push_back(c);
        }
    }
  }
  dest.push_back('"');
}

class StructuredFormatter : public spdlog::formatter {
 public:
  explicit StructuredFormatter(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (json_) {
      dest.append(std::string_view("{\"ts\":\""));
      AppendTimestamp(msg.time, dest);
      fmt::format_to(std::back_inserter(dest),
                     "\",\"level\":\"{}\",\"msg\":", LevelName(msg.level));
      AppendQuoted(payload, dest);
      dest.append(std::string_view("}\n"));
    } else {
      dest.append(std::string_view("ts="));
      AppendTimestamp(msg.time, dest);
      fmt::format_to(std::back_inserter(dest), " level={} msg=", LevelName(msg.level));
      AppendQuoted(payload, dest);
      dest.push_back('\n');
    }
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<StructuredFormatter>(json_);
  }

 private:
  bool json_;
};

}  // namespace

void SetupLogging(const std::string& level, const std::string& format) {
  spdlog::drop("vitals");  // Allows calling this again (tests, reload).
  auto logger = spdlog::stderr_logger_mt("vitals");
  logger->set_formatter(std::make_unique<StructuredFormatter>(format == "json"));
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace vitals::server
