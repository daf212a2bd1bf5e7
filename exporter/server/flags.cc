#include "server/flags.h"

#include <array>
#include <functional>
#include <string_view>

#include "base/text.h"

namespace vitals::server {
namespace {

struct FlagSpec {
  std::string_view name;
  std::string_view value_name;  // Empty for boolean switches.
  std::string_view help;
  std::function<Status(Flags&, std::string_view)> apply;
};

Status SetString(std::string& field, std::string_view value) {
  field = std::string(value);
  return Status::Ok();
}

Status OneOf(std::string& field, std::string_view value,
             std::initializer_list<std::string_view> choices) {
  for (const auto choice : choices) {
    if (value == choice) return SetString(field, value);
  }
  return Status::Fail("invalid value '" + std::string(value) + "'");
}

Status SetSetting(Flags& flags, std::string_view name, std::string_view value) {
  flags.collector_settings[std::string(name)] = std::string(value);
  return Status::Ok();
}

// A --collector.<name>.<setting> flag, applied later by ApplyCollectorSettings().
FlagSpec Setting(std::string_view flag, std::string_view help,
                 std::string_view value_name = "REGEX") {
  return {flag, value_name, help,
          [flag](Flags& f, std::string_view v) { return SetSetting(f, flag, v); }};
}

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> specs = {
      {"web.listen-address", "ADDR",
       "Address to listen on, [host]:port (repeatable; default :10100; port 0 picks a free "
       "port and logs it)",
       [](Flags& f, std::string_view v) {
         f.listen_addresses.emplace_back(v);
         return Status::Ok();
       }},
      {"web.telemetry-path", "PATH", "Path under which to expose metrics (default /metrics)",
       [](Flags& f, std::string_view v) {
         if (v.empty() || v[0] != '/') return Status::Fail("must start with '/'");
         return SetString(f.telemetry_path, v);
       }},
      {"web.max-requests", "N",
       "Maximum number of parallel connections (one worker thread each); more wait in "
       "the queue (default 128)",
       [](Flags& f, std::string_view v) {
         const auto n = ParseU64(v);
         if (!n || *n == 0 || *n > 1024) return Status::Fail("must be 1..1024");
         f.max_requests = static_cast<int>(*n);
         return Status::Ok();
       }},
      {"web.enable-lifecycle", "",
       "Enable configuration reload over HTTP (POST or PUT /-/reload); SIGHUP always "
       "reloads",
       [](Flags& f, std::string_view) {
         f.enable_lifecycle = true;
         return Status::Ok();
       }},
      {"web.config.file", "FILE",
       "exporter-toolkit web config (TLS, basic auth, headers; re-read when it changes; "
       "see docs/security.md)",
       [](Flags& f, std::string_view v) {
         f.web_config_file = std::string(v);
         return Status::Ok();
       }},
      {"config.file", "FILE", "YAML configuration file (optional; built-in defaults without it)",
       [](Flags& f, std::string_view v) {
         f.config_file = std::string(v);
         return Status::Ok();
       }},
      {"config.check", "", "Validate the configuration, print the result and exit",
       [](Flags& f, std::string_view) {
         f.config_check = true;
         return Status::Ok();
       }},
      {"path.procfs", "PATH", "procfs mountpoint (default /proc)",
       [](Flags& f, std::string_view v) { return SetString(f.paths.procfs, v); }},
      {"path.sysfs", "PATH", "sysfs mountpoint (default /sys)",
       [](Flags& f, std::string_view v) { return SetString(f.paths.sysfs, v); }},
      {"path.rootfs", "PATH", "Root filesystem mountpoint (default /)",
       [](Flags& f, std::string_view v) { return SetString(f.paths.rootfs, v); }},
      {"path.udev.data", "PATH", "udev data path (default /run/udev/data)",
       [](Flags& f, std::string_view v) { return SetString(f.paths.udev_data, v); }},
      {"collector.disable-defaults", "", "Disable all collectors enabled by default",
       [](Flags& f, std::string_view) {
         f.disable_defaults = true;
         return Status::Ok();
       }},
      Setting("collector.filesystem.mount-points-include",
              "Regexp of mount points to include (excludes the default exclusions)"),
      Setting("collector.filesystem.mount-points-exclude", "Regexp of mount points to exclude"),
      Setting("collector.filesystem.fs-types-include", "Regexp of filesystem types to include"),
      Setting("collector.filesystem.fs-types-exclude", "Regexp of filesystem types to exclude"),
      Setting("collector.filesystem.mount-timeout",
              "How long to wait for statfs before a mount is marked stuck (default 5s)",
              "DURATION"),
      Setting("collector.diskstats.device-include", "Regexp of disk devices to include"),
      Setting("collector.diskstats.device-exclude", "Regexp of disk devices to exclude"),
      Setting("collector.netdev.device-include", "Regexp of net devices to include"),
      Setting("collector.netdev.device-exclude", "Regexp of net devices to exclude"),
      Setting("collector.netclass.ignored-devices", "Regexp of net devices to ignore for netclass"),
      Setting("collector.gpu.library",
              "NVML library to dlopen for the gpu collector (default libnvidia-ml.so.1)", "PATH"),
      Setting("collector.gpu.timeout",
              "How long a scrape waits for NVML before the gpu collector fails (default 5s)",
              "DURATION"),
      {"log.level", "LEVEL",
       "Only log messages with this severity or above: debug, info, warn, "
       "error (default info)",
       [](Flags& f, std::string_view v) {
         return OneOf(f.log_level, v, {"debug", "info", "warn", "error"});
       }},
      {"log.format", "FORMAT", "Log format: logfmt or json (default logfmt)",
       [](Flags& f, std::string_view v) {
         return OneOf(f.log_format, v, {"logfmt", "json"});
       }},
      {"version", "", "Show version and exit",
       [](Flags& f, std::string_view) {
         f.show_version = true;
         return Status::Ok();
       }},
      {"help", "", "Show this help and exit",
       [](Flags& f, std::string_view) {
         f.show_help = true;
         return Status::Ok();
       }},
  };
  return specs;
}

const FlagSpec* FindSpec(std::string_view name) {
  for (const auto& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// --collector.<name> and --no-collector.<name>; returns false if `name` is not one.
bool ParseCollectorSwitch(std::string_view name, Flags& flags, std::string& error) {
  bool enable = true;
  if (StartsWith(name, "no-")) {
    enable = false;
    name.remove_prefix(3);
  }
  if (!StartsWith(name, "collector.")) return false;
  name.remove_prefix(std::string_view("collector.").size());
  if (collectors::FindCollector(name) == nullptr) {
    error = "unknown collector '" + std::string(name) + "'";
    return true;
  }
  flags.collector_switches.emplace_back(name, enable);
  return true;
}

}  // namespace

Result<Flags> ParseFlags(std::span<char* const> args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h") arg = "--help";
    if (!StartsWith(arg, "--")) {
      return Error{"unexpected argument '" + std::string(arg) + "' (flags start with --)"};
    }
    arg.remove_prefix(2);
    const size_t equals = arg.find('=');
    const std::string_view name = arg.substr(0, equals);
    const FlagSpec* spec = FindSpec(name);
    if (spec == nullptr) {
      std::string error;
      if (equals == std::string_view::npos && ParseCollectorSwitch(name, flags, error)) {
        if (!error.empty()) return Error{"--" + std::string(name) + ": " + error};
        continue;
      }
      return Error{"unknown flag --" + std::string(name) + " (see --help)"};
    }
    std::string_view value;
    if (!spec->value_name.empty()) {
      if (equals != std::string_view::npos) {
        value = arg.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Error{"--" + std::string(name) + " needs a value"};
      }
    } else if (equals != std::string_view::npos) {
      return Error{"--" + std::string(name) + " takes no value"};
    }
    if (Status status = spec->apply(flags, value); !status.ok()) {
      return Error{"--" + std::string(name) + ": " + status.message()};
    }
  }
  return flags;
}

std::string Usage() {
  std::string text =
      "usage: vitals_exporter [flags]\n\n"
      "A Prometheus exporter for Linux hosts. Without --config.file it runs with built-in\n"
      "defaults. Exit codes: 0 ok, 1 runtime failure, 2 bad flags or configuration.\n\nFlags:\n";
  for (const auto& spec : Specs()) {
    std::string left = "  --" + std::string(spec.name);
    if (!spec.value_name.empty()) left += "=" + std::string(spec.value_name);
    if (left.size() < 48) left.resize(48, ' ');
    text += left + " " + std::string(spec.help) + "\n";
  }
  text += "  --collector.<name>, --no-collector.<name>     Enable or disable a collector:\n";
  for (const auto& spec : collectors::AllCollectors()) {
    std::string left = "      " + std::string(spec.name);
    left.resize(48, ' ');
    text += left + " " + std::string(spec.description) +
            (spec.enabled_by_default ? " [default on]\n" : " [default off]\n");
  }
  return text;
}

namespace {

Status ApplyFilter(const std::string& flag, const std::string& value, bool include,
                   collectors::DeviceFilter& filter) {
  auto made = include ? collectors::DeviceFilter::Make(value, "")
                      : collectors::DeviceFilter::Make("", value);
  if (!made.ok()) return Status::Fail("--" + flag + ": " + made.error());
  filter = std::move(*made);
  return Status::Ok();
}

}  // namespace

// node_exporter refuses "<x>-include" together with "<x>-exclude"; so do we.
Status CheckExclusiveFilters(const Flags& flags) {
  for (const auto& [flag, value] : flags.collector_settings) {
    if (!flag.ends_with("-include")) continue;
    const std::string exclude = flag.substr(0, flag.size() - 8) + "-exclude";
    if (flags.collector_settings.contains(exclude)) {
      return Status::Fail("--" + flag + " and --" + exclude + " are mutually exclusive");
    }
  }
  return Status::Ok();
}

Status ApplyCollectorSettings(const Flags& flags, Config& config) {
  if (Status exclusive = CheckExclusiveFilters(flags); !exclusive.ok()) return exclusive;
  auto& options = config.collector_options;
  for (const auto& [flag, value] : flags.collector_settings) {
    const bool include = flag.ends_with("-include");
    Status status;
    if (flag == "collector.gpu.library") {
      options.gpu.library = value;
    } else if (flag == "collector.filesystem.mount-timeout" || flag == "collector.gpu.timeout") {
      const auto timeout = ParseDuration(value);
      if (!timeout || timeout->count() <= 0) {
        return Status::Fail("--" + flag + ": invalid duration '" + value + "'");
      }
      (flag == "collector.gpu.timeout" ? options.gpu.timeout : options.filesystem.mount_timeout) =
          *timeout;
    } else if (flag.starts_with("collector.filesystem.mount-points-")) {
      status = ApplyFilter(flag, value, include, options.filesystem.mount_points);
    } else if (flag.starts_with("collector.filesystem.fs-types-")) {
      status = ApplyFilter(flag, value, include, options.filesystem.fs_types);
    } else if (flag.starts_with("collector.diskstats.")) {
      status = ApplyFilter(flag, value, include, options.diskstats.devices);
    } else if (flag.starts_with("collector.netdev.")) {
      status = ApplyFilter(flag, value, include, options.netdev.devices);
    } else if (flag == "collector.netclass.ignored-devices") {
      status = ApplyFilter(flag, value, false, options.netclass.devices);
    }
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

std::vector<std::string> EnabledCollectors(const Flags& flags, const Config& config) {
  std::vector<std::string> enabled;
  for (const auto& spec : collectors::AllCollectors()) {
    bool on = spec.enabled_by_default && !flags.disable_defaults;
    if (auto it = config.enabled.find(spec.name); it != config.enabled.end()) on = it->second;
    for (const auto& [name, value] : flags.collector_switches) {
      if (name == spec.name) on = value;
    }
    if (on) enabled.emplace_back(spec.name);
  }
  return enabled;
}

}  // namespace vitals::server
