// Command-line flags in node_exporter's style (--web.listen-address, --path.procfs,
// --collector.<name> / --no-collector.<name>, ...).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "collectors/collector.h"
#include "server/config.h"

namespace vitals::server {

struct Flags {
  std::vector<std::string> listen_addresses;  // Empty means the default, ":10100".
  std::string telemetry_path = "/metrics";
  int max_requests = 128;
  bool enable_lifecycle = false;  // POST/PUT /-/reload.
  std::optional<std::string> config_file;
  std::optional<std::string> web_config_file;  // exporter-toolkit's TLS / basic auth file.
  collectors::Paths paths;
  bool disable_defaults = false;
  std::vector<std::pair<std::string, bool>> collector_switches;  // In command-line order.
  // node_exporter's per-collector filter flags, by flag name without "--".
  std::map<std::string, std::string> collector_settings;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  bool config_check = false;
  bool show_version = false;
  bool show_help = false;
};

inline constexpr const char* kDefaultListenAddress = ":10100";

// Parses argv[1..]; errors name the offending flag.
Result<Flags> ParseFlags(std::span<char* const> args);

std::string Usage();

// Applies --collector.<name>.<setting> flags on top of the file's config.
Status ApplyCollectorSettings(const Flags& flags, Config& config);

// The set of enabled collectors after defaults, --collector.disable-defaults, the
// config file, then --[no-]collector.<name> (later wins).
std::vector<std::string> EnabledCollectors(const Flags& flags, const Config& config);

}  // namespace vitals::server
