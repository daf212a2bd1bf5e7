// The YAML configuration file. Each top-level section belongs to one feature
// (`collectors:`, `processes:`, `ports:`, `probes:`, `thresholds:`); unknown keys, wrong types
// and invalid regexes are rejected with "file:line:column: what is wrong".
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "collectors/registry.h"

namespace vitals::server {

struct Config {
  collectors::CollectorOptions collector_options = collectors::CollectorOptions::Defaults();
  // Collectors the file switches on or off explicitly; others keep their default.
  std::map<std::string, bool, std::less<>> enabled;
  std::string source = "built-in defaults";
};

// Parses `yaml`; `name` is used in error messages (usually the file path).
Result<Config> ParseConfig(std::string_view yaml, const std::string& name);
Result<Config> LoadConfigFile(const std::string& path);

// Go-style durations: "5s", "250ms", "1m30s", "2h".
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace vitals::server
