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
  // A boolean --collector.<name>.<setting>: --no-<name> turns it off, as kingpin's
  // boolean flags do in node_exporter.
  bool negatable = false;
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

Status SetSetting(Flags& flags, std::string_view name, std::string_view value,
                  bool repeatable = false) {
  auto [it, added] = flags.collector_settings.try_emplace(std::string(name), value);
  if (!added && repeatable) {
    it->second += '\n';
    it->second += value;
  } else if (!added) {
    it->second = std::string(value);
  }
  return Status::Ok();
}

// The flags before the collectors' own --collector.<name>.<setting> flags in --help.
std::vector<FlagSpec> GeneralFlags() {
  return {
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
  };
}

std::vector<FlagSpec> LogAndInfoFlags() {
  return {
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
}

// A --collector.<name>.<setting> flag is recorded and applied after the config file is
// read (ApplyCollectorSettings), so it wins over the file.
// A boolean one (no value name) is recorded as "true", its --no- form as "false".
FlagSpec CollectorSetting(const collectors::FlagSetting& setting) {
  const std::string_view flag = setting.flag;
  const bool boolean = setting.value_name.empty();
  const bool repeatable = setting.repeatable;
  return {flag, setting.value_name, setting.help,
          [flag, boolean, repeatable](Flags& f, std::string_view v) {
            return SetSetting(f, flag, boolean ? "true" : v, repeatable);
          },
          boolean};
}

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> specs = [] {
    std::vector<FlagSpec> all = GeneralFlags();
    for (const auto* spec : collectors::AllCollectors()) {
      for (const auto& setting : spec->flags) all.push_back(CollectorSetting(setting));
    }
    for (auto& flag : LogAndInfoFlags()) all.push_back(std::move(flag));
    return all;
  }();
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
    if (spec == nullptr && StartsWith(name, "no-")) {
      const FlagSpec* positive = FindSpec(name.substr(3));
      if (positive != nullptr && positive->negatable && equals == std::string_view::npos) {
        SetSetting(flags, positive->name, "false");
        continue;
      }
    }
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
    std::string left = std::string(spec.negatable ? "  --[no-]" : "  --") + std::string(spec.name);
    if (!spec.value_name.empty()) left += "=" + std::string(spec.value_name);
    if (left.size() < 48) left.resize(48, ' ');
    text += left + " " + std::string(spec.help) + "\n";
  }
  text += "  --collector.<name>, --no-collector.<name>     Enable or disable a collector:\n";
  for (const auto* spec : collectors::AllCollectors()) {
    std::string left = "      " + std::string(spec->name);
    left.resize(48, ' ');
    text += left + " " + std::string(spec->description) +
            (spec->enabled_by_default ? " [default on]\n" : " [default off]\n");
  }
  return text;
}

// Whether a collector's -include flag is exclusive with its -exclude.
bool ExclusiveInclude(std::string_view flag) {
  for (const auto* spec : collectors::AllCollectors()) {
    for (const auto& setting : spec->flags) {
      if (setting.flag == flag) return setting.exclusive_with_exclude;
    }
  }
  return true;
}

// node_exporter refuses "<x>-include" together with "<x>-exclude" (but for systemd's
// unit filters); so do we.
Status CheckExclusiveFilters(const Flags& flags) {
  for (const auto& [flag, value] : flags.collector_settings) {
    if (!flag.ends_with("-include") || !ExclusiveInclude(flag)) continue;
    const std::string exclude = flag.substr(0, flag.size() - 8) + "-exclude";
    if (flags.collector_settings.contains(exclude)) {
      return Status::Fail("--" + flag + " and --" + exclude + " are mutually exclusive");
    }
  }
  return Status::Ok();
}

Status ApplyCollectorSettings(const Flags& flags, Config& config) {
  if (Status exclusive = CheckExclusiveFilters(flags); !exclusive.ok()) return exclusive;
  for (const auto& [flag, value] : flags.collector_settings) {
    for (const auto* spec : collectors::AllCollectors()) {
      for (const auto& setting : spec->flags) {
        if (setting.flag != flag) continue;
        Status status = setting.apply(*config.collector_options.Find(spec->name), value);
        if (!status.ok()) return Status::Fail("--" + flag + ": " + status.message());
      }
    }
  }
  return Status::Ok();
}

std::vector<std::string> EnabledCollectors(const Flags& flags, const Config& config) {
  std::vector<std::string> enabled;
  for (const auto* spec : collectors::AllCollectors()) {
    bool on = spec->enabled_by_default && !flags.disable_defaults;
    if (auto it = config.enabled.find(spec->name); it != config.enabled.end()) on = it->second;
    for (const auto& [name, value] : flags.collector_switches) {
      if (name == spec->name) on = value;
    }
    if (on) enabled.emplace_back(spec->name);
  }
  return enabled;
}

}  // namespace vitals::server
