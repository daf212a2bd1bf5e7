// Shared by the config error tests: a bad YAML document, the token it should be
// blamed on, and a fragment of the message. The expected line and column are found
// from the token, so a case cannot drift from its own text.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <regex>
#include <string>
#include <utility>

#include "server/config.h"

namespace vitals::test {

struct ErrorCase {
  const char* name;
  const char* yaml;
  const char* at;    // The offending token, found in `yaml` for the expected line:column.
  const char* says;  // A fragment the message must contain.
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }
};

// Line and column (1-based) of the first occurrence of `token` in `text`.
inline std::pair<int, int> Position(const std::string& text, const std::string& token) {
  const size_t at = text.find(token);
  EXPECT_NE(at, std::string::npos) << token;
  int line = 1, column = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// The document is rejected with "etc/vitals.yml:<line>:<column>: ..." pointing at
// `c.at`, and the message says `c.says`.
inline void ExpectErrorAtToken(const ErrorCase& c) {
  const auto config = server::ParseConfig(c.yaml, "etc/vitals.yml");
  ASSERT_FALSE(config.ok()) << "accepted:\n" << c.yaml;
  const auto [line, column] = Position(c.yaml, c.at);
  const std::string prefix =
      "etc/vitals.yml:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_TRUE(std::regex_search(config.error(), std::regex("^etc/vitals\\.yml:[0-9]+:[0-9]+: ")))
      << config.error();
  EXPECT_EQ(config.error().substr(0, prefix.size()), prefix) << config.error();
  EXPECT_NE(config.error().find(c.says), std::string::npos) << config.error();
}

}  // namespace vitals::test
