#include "server/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "server/yaml_input.h"

namespace vitals::server {
namespace {

using collectors::DeviceFilter;
using ConfigError = yaml_input::Error;
using yaml_input::AsString;
using yaml_input::CheckKeys;
using yaml_input::Describe;
using yaml_input::ExpectMap;
using yaml_input::Located;
using yaml_input::UniqueKey;

// More statfs threads than this only add memory: mounts are stat'ed in microseconds.
constexpr int kMaxStatWorkers = 64;

bool AsBool(const YAML::Node& node, const std::string& key) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    throw ConfigError(node.Mark(), key + " must be true or false, got " + Describe(node));
  }
  return value;
}

int AsPositiveInt(const YAML::Node& node, const std::string& key) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value) || value <= 0) {
    throw ConfigError(node.Mark(), key + " must be a positive integer, got " + Describe(node));
  }
  return value;
}

std::chrono::milliseconds AsDuration(const YAML::Node& node, const std::string& key) {
  const auto value = node.IsScalar() ? ParseDuration(node.Scalar()) : std::nullopt;
  if (!value || value->count() <= 0) {
    throw ConfigError(node.Mark(),
                      key + " must be a positive duration like 5s or 250ms, got " + Describe(node));
  }
  return *value;
}

// Reads `<prefix>_include` / `<prefix>_exclude`; keeps `current` when neither is set.
DeviceFilter ReadFilter(const YAML::Node& section, const std::string& section_name,
                        const std::string& prefix, const DeviceFilter& current) {
  const YAML::Node include = section[prefix + "_include"];
  const YAML::Node exclude = section[prefix + "_exclude"];
  if (!include && !exclude) return current;
  const std::string include_text = include ? AsString(include, prefix + "_include") : "";
  const std::string exclude_text = exclude ? AsString(exclude, prefix + "_exclude") : "";
  auto filter = DeviceFilter::Make(include_text, exclude_text);
  if (!filter.ok()) {
    const YAML::Node& where = include ? include : exclude;
    throw ConfigError(where.Mark(), section_name + "." + prefix + ": " + filter.error());
  }
  return *filter;
}

void ReadFilesystem(const YAML::Node& node, collectors::FilesystemOptions& options) {
  const std::string name = "collectors.filesystem";
  CheckKeys(node, name,
            {"enabled", "mount_points_include", "mount_points_exclude", "fs_types_include",
             "fs_types_exclude", "mount_timeout", "stat_workers"});
  options.mount_points = ReadFilter(node, name, "mount_points", options.mount_points);
  options.fs_types = ReadFilter(node, name, "fs_types", options.fs_types);
  if (node["mount_timeout"])
    options.mount_timeout = AsDuration(node["mount_timeout"], "mount_timeout");
  if (node["stat_workers"]) {
    options.stat_workers = AsPositiveInt(node["stat_workers"], "stat_workers");
    if (options.stat_workers > kMaxStatWorkers) {
      throw ConfigError(node["stat_workers"].Mark(),
                        "stat_workers must be at most " + std::to_string(kMaxStatWorkers));
    }
  }
}

void ReadCollector(const std::string& collector, const YAML::Node& node, Config& config) {
  const std::string section = "collectors." + collector;
  ExpectMap(node, section);
  auto& options = config.collector_options;
  if (collector == "filesystem") {
    ReadFilesystem(node, options.filesystem);
  } else if (collector == "diskstats") {
    CheckKeys(node, section, {"enabled", "device_include", "device_exclude"});
    options.diskstats.devices = ReadFilter(node, section, "device", options.diskstats.devices);
  } else if (collector == "netdev") {
    CheckKeys(node, section, {"enabled", "device_include", "device_exclude"});
    options.netdev.devices = ReadFilter(node, section, "device", options.netdev.devices);
  } else if (collector == "netclass") {
    CheckKeys(node, section,
              {"enabled", "device_include", "device_exclude", "ignore_invalid_speed"});
    options.netclass.devices = ReadFilter(node, section, "device", options.netclass.devices);
    if (node["ignore_invalid_speed"]) {
      options.netclass.ignore_invalid_speed =
          AsBool(node["ignore_invalid_speed"], "ignore_invalid_speed");
    }
  } else if (collector == "gpu") {
    CheckKeys(node, section, {"enabled", "library", "timeout"});
    if (node["library"]) options.gpu.library = AsString(node["library"], "library");
    if (node["timeout"]) options.gpu.timeout = AsDuration(node["timeout"], "timeout");
  } else {
    CheckKeys(node, section, {"enabled"});
  }
  if (node["enabled"]) config.enabled[collector] = AsBool(node["enabled"], "enabled");
}

void ReadCollectors(const YAML::Node& node, Config& config) {
  ExpectMap(node, "collectors");
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string name = UniqueKey(item.first, "collectors", seen);
    if (collectors::FindCollector(name) == nullptr) {
      std::string list;
      for (const auto& spec : collectors::AllCollectors()) {
        list += (list.empty() ? "" : ", ") + std::string(spec.name);
      }
      throw ConfigError(item.first.Mark(),
                        "unknown collector '" + name + "' (known: " + list + ")");
    }
    ReadCollector(name, item.second, config);
  }
}

std::vector<std::string> AsStringList(const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) {
    throw ConfigError(node.Mark(), key + " must be a list of strings, got " + Describe(node));
  }
  std::vector<std::string> items;
  for (const auto& item : node) items.push_back(AsString(item, key + " item"));
  return items;
}

// One process group: process-exporter's keys (name, comm, exe, cmdline) plus ours.
collectors::ProcessGroupSpec ReadProcessGroup(const YAML::Node& node, const std::string& where) {
  ExpectMap(node, where);
  CheckKeys(node, where, {"name", "comm", "exe", "cmdline", "per_pid", "max_pids"});
  collectors::ProcessGroupSpec spec;
  const YAML::Node name = node["name"];
  auto parsed = collectors::NameTemplate::Parse(name ? AsString(name, "name") : "{{.ExeBase}}");
  if (!parsed.ok()) throw ConfigError(name.Mark(), where + ".name: " + parsed.error());
  spec.name = std::move(*parsed);
  if (node["comm"]) spec.comm = AsStringList(node["comm"], "comm");
  if (node["exe"]) spec.exe = AsStringList(node["exe"], "exe");
  if (const YAML::Node cmdline = node["cmdline"]) {
    const auto patterns = AsStringList(cmdline, "cmdline");
    for (size_t i = 0; i < patterns.size(); ++i) {
      auto regex = collectors::Regex::Compile(patterns[i]);
      if (!regex.ok()) throw ConfigError(cmdline[i].Mark(), where + ".cmdline: " + regex.error());
      spec.cmdline.push_back(std::move(*regex));
    }
  }
  if (spec.comm.empty() && spec.exe.empty() && spec.cmdline.empty()) {
    throw ConfigError(node.Mark(), where + " needs at least one of comm, exe or cmdline");
  }
  if (node["per_pid"]) spec.per_pid = AsBool(node["per_pid"], "per_pid");
  if (node["max_pids"]) spec.max_pids = AsPositiveInt(node["max_pids"], "max_pids");
  return spec;
}

void ReadProcessGroups(const YAML::Node& list, const std::string& where, Config& config) {
  if (!list.IsSequence()) {
    throw ConfigError(list.Mark(), where + " must be a list of groups, got " + Describe(list));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    config.collector_options.processes.groups.push_back(
        ReadProcessGroup(list[i], where + "[" + std::to_string(i) + "]"));
  }
  config.enabled.try_emplace("processes", true);  // A groups list turns the collector on.
}

void ReadProcesses(const YAML::Node& node, Config& config) {
  ExpectMap(node, "processes");
  CheckKeys(node, "processes", {"enabled", "groups", "children", "recheck", "max_groups"});
  auto& options = config.collector_options.processes;
  if (node["children"]) options.children = AsBool(node["children"], "children");
  if (node["recheck"]) options.recheck = AsBool(node["recheck"], "recheck");
  if (node["max_groups"]) options.max_groups = AsPositiveInt(node["max_groups"], "max_groups");
  if (node["enabled"]) config.enabled["processes"] = AsBool(node["enabled"], "enabled");
  if (node["groups"]) ReadProcessGroups(node["groups"], "processes.groups", config);
}

// One `ports` entry: {port, protocol, address, name, listener_info}.
collectors::PortSpec ReadPort(const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) {
    throw ConfigError(node.Mark(), where + " must be a mapping, got " + Describe(node));
  }
  CheckKeys(node, where, {"port", "protocol", "address", "name", "listener_info"});
  collectors::PortSpec spec;
  const YAML::Node port = node["port"];
  if (!port) throw ConfigError(node.Mark(), where + " needs a port");
  int number = 0;
  if (!port.IsScalar() || !YAML::convert<int>::decode(port, number) || number < 1 ||
      number > 65535) {
    throw ConfigError(port.Mark(),
                      where + ".port must be an integer from 1 to 65535, got " + Describe(port));
  }
  spec.port = static_cast<uint16_t>(number);
  if (const YAML::Node protocol = node["protocol"]) {
    const std::string text = AsString(protocol, "protocol");
    if (text == "udp") {
      spec.protocol = collectors::PortProtocol::kUdp;
    } else if (text != "tcp") {
      throw ConfigError(protocol.Mark(),
                        where + ".protocol must be tcp or udp, got " + Describe(protocol));
    }
  }
  if (const YAML::Node address = node["address"]) {
    spec.address = collectors::ParseInetAddress(AsString(address, "address"));
    if (!spec.address) {
      throw ConfigError(address.Mark(), where + ".address must be an IPv4 or IPv6 address, got " +
                                            Describe(address));
    }
  }
  if (node["name"]) spec.name = AsString(node["name"], "name");
  if (node["listener_info"]) spec.listener_info = AsBool(node["listener_info"], "listener_info");
  return spec;
}

std::string PortText(const collectors::PortSpec& spec) {
  return std::to_string(spec.port) + "/" + std::string(collectors::ProtocolName(spec.protocol));
}

void ReadPortList(const YAML::Node& list, const std::string& where, Config& config) {
  if (!list.IsSequence()) {
    throw ConfigError(list.Mark(), where + " must be a list of ports, got " + Describe(list));
  }
  auto& ports = config.collector_options.ports.ports;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string item = where + "[" + std::to_string(i) + "]";
    collectors::PortSpec spec = ReadPort(list[i], item);
    for (size_t j = 0; j < ports.size(); ++j) {
      const auto& other = ports[j];
      if (other.port != spec.port || other.protocol != spec.protocol) continue;
      const std::string earlier = where + "[" + std::to_string(j) + "]";
      if (other.address == spec.address) {
        throw ConfigError(list[i].Mark(), item + " repeats " + earlier + " (" + PortText(spec) +
                                              " on the same address)");
      }
      if (other.name == spec.name) {
        throw ConfigError(list[i].Mark(), item + " and " + earlier +
                                              " would publish the same series (" + PortText(spec) +
                                              ", name '" + spec.name +
                                              "'); give them different names");
      }
    }
    ports.push_back(std::move(spec));
  }
  if (!ports.empty()) config.enabled.try_emplace("ports", true);  // A list turns it on.
}

// `ports:` is a list of entries, or a mapping with the list under `entries`.
void ReadPorts(const YAML::Node& node, Config& config) {
  if (node.IsNull()) return;
  if (node.IsSequence()) return ReadPortList(node, "ports", config);
  if (!node.IsMap()) {
    throw ConfigError(node.Mark(), "ports must be a list or a mapping, got " + Describe(node));
  }
  CheckKeys(node, "ports", {"enabled", "listener_info", "entries"});
  auto& options = config.collector_options.ports;
  if (node["listener_info"]) {
    options.listener_info = AsBool(node["listener_info"], "listener_info");
  }
  if (node["enabled"]) config.enabled["ports"] = AsBool(node["enabled"], "enabled");
  if (node["entries"]) ReadPortList(node["entries"], "ports.entries", config);
}

collectors::Regex CompileAt(const YAML::Node& node, const std::string& where,
                            const std::string& pattern) {
  auto regex = collectors::Regex::Compile(pattern);
  if (!regex.ok()) throw ConfigError(node.Mark(), where + ": " + regex.error());
  return std::move(*regex);
}

void ReadTls(const YAML::Node& node, const std::string& where, bool& insecure,
             std::string& ca_file) {
  if (node["tls_insecure_skip_verify"]) {
    insecure = AsBool(node["tls_insecure_skip_verify"], where + ".tls_insecure_skip_verify");
  }
  if (node["ca_file"]) ca_file = AsString(node["ca_file"], where + ".ca_file");
}

collectors::StatusRanges ReadStatusCodes(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence() || node.size() == 0) {
    throw ConfigError(node.Mark(), where +
                                       " must be a non-empty list of status codes like 200 "
                                       "or \"2xx\", got " +
                                       Describe(node));
  }
  collectors::StatusRanges ranges;
  for (const auto& item : node) {
    const auto range =
        item.IsScalar() ? collectors::ParseStatusCodeSpec(item.Scalar()) : std::nullopt;
    if (!range) {
      throw ConfigError(item.Mark(), where +
                                         " items must be status codes from 100 to 599 or "
                                         "classes like \"2xx\", got " +
                                         Describe(item));
    }
    ranges.push_back(*range);
  }
  return ranges;
}

void ReadHttpModule(const YAML::Node& node, const std::string& where,
                    collectors::HttpProbeOptions& http) {
  ExpectMap(node, where);
  CheckKeys(node, where,
            {"method", "valid_status_codes", "follow_redirects", "fail_if_body_not_matches_regexp",
             "headers", "tls_insecure_skip_verify", "ca_file"});
  if (const YAML::Node method = node["method"]) {
    http.method = AsString(method, where + ".method");
    if (http.method != "GET" && http.method != "HEAD") {
      throw ConfigError(method.Mark(),
                        where + ".method must be GET or HEAD, got " + Describe(method));
    }
  }
  if (node["valid_status_codes"]) {
    http.valid_status_codes =
        ReadStatusCodes(node["valid_status_codes"], where + ".valid_status_codes");
  }
  if (node["follow_redirects"]) {
    http.follow_redirects = AsBool(node["follow_redirects"], where + ".follow_redirects");
  }
  if (const YAML::Node regexes = node["fail_if_body_not_matches_regexp"]) {
    const std::string key = where + ".fail_if_body_not_matches_regexp";
    const auto patterns = AsStringList(regexes, key);
    for (size_t i = 0; i < patterns.size(); ++i) {
      http.fail_if_body_not_matches.push_back(CompileAt(regexes[i], key, patterns[i]));
    }
  }
  if (const YAML::Node headers = node["headers"]) {
    if (!headers.IsMap()) {
      throw ConfigError(headers.Mark(),
                        where + ".headers must be a mapping, got " + Describe(headers));
    }
    std::set<std::string> seen;
    for (const auto& item : headers) {
      const std::string name = UniqueKey(item.first, where + ".headers", seen);
      http.headers.emplace_back(name, AsString(item.second, where + ".headers." + name));
    }
  }
  ReadTls(node, where, http.tls_insecure_skip_verify, http.ca_file);
}

collectors::ProbeModule ReadProbeModule(const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) {
    throw ConfigError(node.Mark(), where + " must be a mapping, got " + Describe(node));
  }
  CheckKeys(node, where, {"prober", "timeout", "http", "tcp"});
  collectors::ProbeModule module;
  const YAML::Node prober = node["prober"];
  if (!prober) throw ConfigError(node.Mark(), where + " needs a prober (http or tcp)");
  const std::string kind = AsString(prober, where + ".prober");
  if (kind == "tcp") {
    module.prober = collectors::ProberKind::kTcp;
  } else if (kind != "http") {
    throw ConfigError(prober.Mark(),
                      where + ".prober must be http or tcp, got " + Describe(prober));
  }
  if (node["timeout"]) module.timeout = AsDuration(node["timeout"], where + ".timeout");
  if (const YAML::Node http = node["http"]) {
    if (module.prober != collectors::ProberKind::kHttp) {
      throw ConfigError(http.Mark(), where + ".http is only for prober: http");
    }
    ReadHttpModule(http, where + ".http", module.http);
  }
  if (const YAML::Node tcp = node["tcp"]) {
    if (module.prober != collectors::ProberKind::kTcp) {
      throw ConfigError(tcp.Mark(), where + ".tcp is only for prober: tcp");
    }
    ExpectMap(tcp, where + ".tcp");
    CheckKeys(tcp, where + ".tcp", {"tls", "tls_insecure_skip_verify", "ca_file"});
    if (tcp["tls"]) module.tcp.tls = AsBool(tcp["tls"], where + ".tcp.tls");
    ReadTls(tcp, where + ".tcp", module.tcp.tls_insecure_skip_verify, module.tcp.ca_file);
  }
  return module;
}

collectors::ProbeTarget ReadProbeTarget(const YAML::Node& node, const std::string& where,
                                        const collectors::ProbesOptions& options) {
  if (!node.IsMap()) {
    throw ConfigError(node.Mark(), where + " must be a mapping, got " + Describe(node));
  }
  CheckKeys(node, where, {"target", "module", "group", "labels"});
  collectors::ProbeTarget target;
  if (!node["target"]) throw ConfigError(node.Mark(), where + " needs a target");
  target.target = AsString(node["target"], where + ".target");
  if (target.target.empty()) throw ConfigError(node["target"].Mark(), where + ".target is empty");
  const YAML::Node module = node["module"];
  if (!module) throw ConfigError(node.Mark(), where + " needs a module");
  target.module = AsString(module, where + ".module");
  if (options.modules.find(target.module) == options.modules.end()) {
    std::string list;
    for (const auto& [name, unused] : options.modules) list += (list.empty() ? "" : ", ") + name;
    throw ConfigError(module.Mark(), where + ".module: unknown module '" + target.module +
                                         "' (defined: " + (list.empty() ? "none" : list) + ")");
  }
  if (node["group"]) target.group = AsString(node["group"], where + ".group");
  if (const YAML::Node labels = node["labels"]) {
    if (!labels.IsMap()) {
      throw ConfigError(labels.Mark(),
                        where + ".labels must be a mapping, got " + Describe(labels));
    }
    static const std::set<std::string> kReserved = {"target", "module", "group", "phase"};
    std::set<std::string> seen;
    for (const auto& item : labels) {
      const std::string name = UniqueKey(item.first, where + ".labels", seen);
      bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                   name.rfind("__", 0) != 0;
      for (const char c : name)
        valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (!valid || kReserved.count(name) != 0) {
        throw ConfigError(item.first.Mark(),
                          where + ".labels: '" + name + "' is not a usable label name");
      }
      target.labels.emplace_back(name, AsString(item.second, where + ".labels." + name));
    }
    std::sort(target.labels.begin(), target.labels.end());
  }
  return target;
}

// `probes:` {modules: {name: module}, targets: [...], allowed_targets: [regex]}.
void ReadProbes(const YAML::Node& node, Config& config) {
  if (node.IsNull()) return;
  ExpectMap(node, "probes");
  CheckKeys(node, "probes", {"enabled", "modules", "targets", "allowed_targets"});
  auto& options = config.collector_options.probes;
  if (const YAML::Node modules = node["modules"]) {
    ExpectMap(modules, "probes.modules");
    std::set<std::string> seen;
    for (const auto& item : modules) {
      const std::string name = UniqueKey(item.first, "probes.modules", seen);
      options.modules[name] = ReadProbeModule(item.second, "probes.modules." + name);
    }
  }
  if (const YAML::Node allowed = node["allowed_targets"]) {
    const auto patterns = AsStringList(allowed, "probes.allowed_targets");
    for (size_t i = 0; i < patterns.size(); ++i) {
      // Whole-target matches only: "example\\.com" must not allow "evil-example.com.attacker".
      options.allowed_targets.push_back(
          CompileAt(allowed[i], "probes.allowed_targets", "^(?:" + patterns[i] + ")\\z"));
    }
  }
  if (const YAML::Node targets = node["targets"]) {
    if (!targets.IsSequence()) {
      throw ConfigError(targets.Mark(),
                        "probes.targets must be a list of targets, got " + Describe(targets));
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      const std::string where = "probes.targets[" + std::to_string(i) + "]";
      collectors::ProbeTarget target = ReadProbeTarget(targets[i], where, options);
      for (size_t j = 0; j < options.targets.size(); ++j) {
        const auto& other = options.targets[j];
        if (other.target == target.target && other.module == target.module &&
            other.group == target.group) {
          throw ConfigError(targets[i].Mark(),
                            where + " repeats probes.targets[" + std::to_string(j) + "]");
        }
      }
      options.targets.push_back(std::move(target));
    }
    if (!options.targets.empty()) config.enabled.try_emplace("probes", true);
  }
  if (node["enabled"]) config.enabled["probes"] = AsBool(node["enabled"], "enabled");
}

// --- thresholds: {<resource>: {amber, red, <mountpoints|groups|targets>: {name: {amber, red}}}}

std::string Number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

const char* UnitName(collectors::ThresholdUnit unit) {
  switch (unit) {
    case collectors::ThresholdUnit::kRatio:
      return "ratio";
    case collectors::ThresholdUnit::kSeconds:
      return "seconds";
    case collectors::ThresholdUnit::kDays:
      return "days";
    case collectors::ThresholdUnit::kCelsius:
      return "degrees Celsius";
  }
  return "units";
}

double AsThreshold(const YAML::Node& node, const std::string& key,
                   const collectors::ThresholdKind& kind) {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
    throw ConfigError(node.Mark(), key + " must be a number, got " + Describe(node));
  }
  if (kind.unit == collectors::ThresholdUnit::kRatio && (value < 0 || value > 1)) {
    throw ConfigError(node.Mark(),
                      key + " must be a ratio from 0 to 1 (0.9 = 90 %), got " + Describe(node));
  }
  if (kind.unit != collectors::ThresholdUnit::kRatio && value <= 0) {
    throw ConfigError(node.Mark(), key + " must be a positive number of " + UnitName(kind.unit) +
                                       ", got " + Describe(node));
  }
  return value;
}

// Reads amber/red from `node`; `inherited` is what applies where a level is not set
// (the host's value or the default), so the effective pair is checked in order.
collectors::ThresholdLevels ReadLevels(const YAML::Node& node, const std::string& where,
                                       const collectors::ThresholdKind& kind,
                                       const collectors::ThresholdLevels& inherited) {
  collectors::ThresholdLevels levels;
  if (node["amber"]) levels.amber = AsThreshold(node["amber"], where + ".amber", kind);
  if (node["red"]) levels.red = AsThreshold(node["red"], where + ".red", kind);
  const double amber = levels.amber.value_or(*inherited.amber);
  const double red = levels.red.value_or(*inherited.red);
  const bool ordered = kind.lower_is_worse ? red < amber : amber < red;
  if (!ordered) {
    const auto origin = [](const std::optional<double>& own) {
      return own ? std::string() : std::string(", inherited");
    };
    throw ConfigError(node.Mark(), where + ": amber (" + Number(amber) + origin(levels.amber) +
                                       ") must be " + (kind.lower_is_worse ? "above" : "below") +
                                       " red (" + Number(red) + origin(levels.red) + ")");
  }
  return levels;
}

void ReadThresholdResource(const YAML::Node& node, const std::string& where,
                           collectors::ThresholdResource& resource) {
  const collectors::ThresholdKind& kind = *resource.kind;
  ExpectMap(node, where);
  if (kind.objects_key.empty()) {
    CheckKeys(node, where, {"amber", "red"});
  } else {
    CheckKeys(node, where, {"amber", "red", kind.objects_key});
  }
  resource.host = ReadLevels(node, where, kind, {kind.default_amber, kind.default_red});
  const collectors::ThresholdLevels host = {resource.host.amber.value_or(kind.default_amber),
                                            resource.host.red.value_or(kind.default_red)};
  if (kind.objects_key.empty()) return;
  const YAML::Node objects = node[std::string(kind.objects_key)];
  if (!objects) return;
  const std::string objects_where = where + "." + std::string(kind.objects_key);
  ExpectMap(objects, objects_where);
  std::set<std::string> seen;
  for (const auto& item : objects) {
    const std::string name = UniqueKey(item.first, objects_where, seen);
    const std::string item_where = objects_where + "." + name;
    if (name.empty()) throw ConfigError(item.first.Mark(), objects_where + ": empty name");
    ExpectMap(item.second, item_where);
    CheckKeys(item.second, item_where, {"amber", "red"});
    resource.objects.emplace_back(name, ReadLevels(item.second, item_where, kind, host));
  }
}

void ReadThresholds(const YAML::Node& node, Config& config) {
  ExpectMap(node, "thresholds");
  auto& resources = config.collector_options.thresholds.resources;
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string name = UniqueKey(item.first, "thresholds", seen);
    const collectors::ThresholdKind* kind = collectors::FindThresholdKind(name);
    if (kind == nullptr) {
      std::string list;
      for (const auto& k : collectors::ThresholdKinds()) {
        list += (list.empty() ? "" : ", ") + std::string(k.resource);
      }
      throw ConfigError(item.first.Mark(),
                        "unknown resource '" + name + "' in thresholds (known: " + list + ")");
    }
    auto& resource = resources.emplace_back();
    resource.kind = kind;
    ReadThresholdResource(item.second, "thresholds." + name, resource);
  }
  if (!resources.empty()) config.enabled.try_emplace("thresholds", true);
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  while (!text.empty()) {
    double number = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || !std::isfinite(number) || number < 0) return std::nullopt;
    text.remove_prefix(ptr - text.data());
    size_t unit_len = 0;
    while (unit_len < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_len]))) {
      ++unit_len;
    }
    const std::string_view unit = text.substr(0, unit_len);
    text.remove_prefix(unit_len);
    if (unit == "ms") {
      total_ms += number;
    } else if (unit == "s") {
      total_ms += number * 1000;
    } else if (unit == "m") {
      total_ms += number * 60'000;
    } else if (unit == "h") {
      total_ms += number * 3'600'000;
    } else {
      return std::nullopt;
    }
  }
  // Beyond int64 milliseconds the conversion below would be undefined behaviour.
  if (!(total_ms < 9.2e18)) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

Result<Config> ParseConfig(std::string_view yaml, const std::string& name) {
  Config config;
  config.source = name;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (root.IsNull()) return config;  // An empty file means "all defaults".
    ExpectMap(root, "the top level");
    CheckKeys(root, "the top level",
              {"collectors", "processes", "process_names", "ports", "probes", "thresholds"});
    if (root["collectors"]) ReadCollectors(root["collectors"], config);
    if (root["processes"]) ReadProcesses(root["processes"], config);
    if (root["ports"]) ReadPorts(root["ports"], config);
    if (root["probes"]) ReadProbes(root["probes"], config);
    if (root["thresholds"]) ReadThresholds(root["thresholds"], config);
    // process-exporter's own file format: a top-level list of groups.
    if (const YAML::Node names = root["process_names"]) {
      if (root["processes"] && root["processes"]["groups"]) {
        throw ConfigError(names.Mark(),
                          "process_names and processes.groups cannot both be set; use one");
      }
      ReadProcessGroups(names, "process_names", config);
    }
  } catch (const ConfigError& e) {
    return Error{Located(name, e.mark, e.what())};
  } catch (const YAML::Exception& e) {
    return Error{Located(name, e.mark, e.msg)};
  }
  return config;
}

Result<Config> LoadConfigFile(const std::string& path) {
  auto text = yaml_input::ReadFile(path, "config file");
  if (!text.ok()) return Error{text.error()};
  return ParseConfig(*text, path);
}

}  // namespace vitals::server
