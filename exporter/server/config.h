// The YAML configuration file: `collectors:` (collectors.<name>.enabled and each
// collector's own keys) and the top-level sections collectors own (`processes:`,
// `ports:`, `probes:`, `thresholds:`, ...), each read by its collector's reader
// (collectors/registry.h). Unknown keys, wrong types and invalid regexes are rejected
// with "file:line:column: what is wrong".
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/duration.h"
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

}  // namespace vitals::server
