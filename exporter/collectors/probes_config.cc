// The probes collector's configuration: the probes: section (modules, targets and the
// allowed_targets of /probe), in blackbox_exporter's terms.
#include <strings.h>

#include <array>
#include <cctype>
#include <set>

#include "collectors/config_helpers.h"
#include "collectors/probes_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

using yaml_input::AsBool;
using yaml_input::AsDuration;
using yaml_input::AsString;
using yaml_input::AsStringList;
using yaml_input::CheckKeys;
using yaml_input::Describe;
using yaml_input::Error;
using yaml_input::ExpectMap;
using yaml_input::Quote;
using yaml_input::UniqueKey;

void ReadTls(const YAML::Node& node, const std::string& where, bool& insecure,
             std::string& ca_file) {
  if (node["tls_insecure_skip_verify"]) {
    insecure = AsBool(node["tls_insecure_skip_verify"], where + ".tls_insecure_skip_verify");
  }
  if (node["ca_file"]) ca_file = AsString(node["ca_file"], where + ".ca_file");
}

StatusRanges ReadStatusCodes(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence() || node.size() == 0) {
    throw Error(node.Mark(), where +
                                 " must be a non-empty list of status codes like 200 "
                                 "or \"2xx\", got " +
                                 Describe(node));
  }
  StatusRanges ranges;
  for (const auto& item : node) {
    const auto range = item.IsScalar() ? ParseStatusCodeSpec(item.Scalar()) : std::nullopt;
    if (!range) {
      throw Error(item.Mark(), where +
                                   " items must be status codes from 100 to 599 or "
                                   "classes like \"2xx\", got " +
                                   Describe(item));
    }
    ranges.push_back(*range);
  }
  return ranges;
}

void ReadHttpModule(const YAML::Node& node, const std::string& where, HttpProbeOptions& http) {
  ExpectMap(node, where);
  CheckKeys(node, where,
            {"method", "valid_status_codes", "follow_redirects", "fail_if_body_not_matches_regexp",
             "headers", "tls_insecure_skip_verify", "ca_file"});
  if (const YAML::Node method = node["method"]) {
    http.method = AsString(method, where + ".method");
    if (http.method != "GET" && http.method != "HEAD") {
      throw Error(method.Mark(), where + ".method must be GET or HEAD, got " + Describe(method));
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
      throw Error(headers.Mark(), where + ".headers must be a mapping, got " + Describe(headers));
    }
    std::set<std::string> seen;
    for (const auto& item : headers) {
      const std::string name = UniqueKey(item.first, where + ".headers", seen);
      // A CR or LF would end the header and start another one the file never named.
      if (!ValidHeaderName(name)) {
        throw Error(item.first.Mark(), where + ".headers: " + Quote(name) +
                                           " is not a header name (letters, digits and "
                                           "!#$%&'*+-.^_`|~ only)");
      }
      if (strcasecmp(name.c_str(), kProbeMarkerHeader) == 0) {
        throw Error(item.first.Mark(), where + ".headers: " + name +
                                           " is set by the exporter itself (it marks probes "
                                           "so /probe can refuse loops)");
      }
      std::string value = AsString(item.second, where + ".headers." + name);
      if (!ValidHeaderValue(value)) {
        throw Error(item.second.Mark(), where + ".headers." + name +
                                            ": a header value must not hold control "
                                            "characters (CR, LF, ...), got " +
                                            Describe(item.second));
      }
      http.headers.emplace_back(name, std::move(value));
    }
  }
  ReadTls(node, where, http.tls_insecure_skip_verify, http.ca_file);
}

ProbeModule ReadProbeModule(const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) {
    throw Error(node.Mark(), where + " must be a mapping, got " + Describe(node));
  }
  CheckKeys(node, where, {"prober", "timeout", "http", "tcp"});
  ProbeModule module;
  const YAML::Node prober = node["prober"];
  if (!prober) throw Error(node.Mark(), where + " needs a prober (http or tcp)");
  const std::string kind = AsString(prober, where + ".prober");
  if (kind == "tcp") {
    module.prober = ProberKind::kTcp;
  } else if (kind != "http") {
    throw Error(prober.Mark(), where + ".prober must be http or tcp, got " + Describe(prober));
  }
  if (node["timeout"]) {
    module.timeout = AsDuration(node["timeout"], where + ".timeout", kMaxProbeTimeout);
  }
  if (const YAML::Node http = node["http"]) {
    if (module.prober != ProberKind::kHttp) {
      throw Error(http.Mark(), where + ".http is only for prober: http");
    }
    ReadHttpModule(http, where + ".http", module.http);
  }
  if (const YAML::Node tcp = node["tcp"]) {
    if (module.prober != ProberKind::kTcp) {
      throw Error(tcp.Mark(), where + ".tcp is only for prober: tcp");
    }
    ExpectMap(tcp, where + ".tcp");
    CheckKeys(tcp, where + ".tcp", {"tls", "tls_insecure_skip_verify", "ca_file"});
    if (tcp["tls"]) module.tcp.tls = AsBool(tcp["tls"], where + ".tcp.tls");
    ReadTls(tcp, where + ".tcp", module.tcp.tls_insecure_skip_verify, module.tcp.ca_file);
  }
  return module;
}

ProbeTarget ReadProbeTarget(const YAML::Node& node, const std::string& where,
                            const ProbesOptions& options) {
  if (!node.IsMap()) {
    throw Error(node.Mark(), where + " must be a mapping, got " + Describe(node));
  }
  CheckKeys(node, where, {"target", "module", "group", "labels"});
  ProbeTarget target;
  if (!node["target"]) throw Error(node.Mark(), where + " needs a target");
  target.target = AsString(node["target"], where + ".target");
  if (target.target.empty()) throw Error(node["target"].Mark(), where + ".target is empty");
  const YAML::Node module = node["module"];
  if (!module) throw Error(node.Mark(), where + " needs a module");
  target.module = AsString(module, where + ".module");
  if (options.modules.find(target.module) == options.modules.end()) {
    std::string list;
    for (const auto& [name, unused] : options.modules) list += (list.empty() ? "" : ", ") + name;
    throw Error(module.Mark(), where + ".module: unknown module " + Quote(target.module) +
                                   " (defined: " + (list.empty() ? "none" : list) + ")");
  }
  if (node["group"]) target.group = AsString(node["group"], where + ".group");
  if (const YAML::Node labels = node["labels"]) {
    if (!labels.IsMap()) {
      throw Error(labels.Mark(), where + ".labels must be a mapping, got " + Describe(labels));
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
        throw Error(item.first.Mark(),
                    where + ".labels: " + Quote(name) + " is not a usable label name");
      }
      target.labels.emplace_back(name, AsString(item.second, where + ".labels." + name));
    }
    std::sort(target.labels.begin(), target.labels.end());
  }
  return target;
}

// `probes:` {modules: {name: module}, targets: [...], allowed_targets: [regex]}.
SectionOutcome ReadSections(const YAML::Node& root, AnyOptions& any) {
  auto& options = OptionsAs<ProbesOptions>(any);
  SectionOutcome outcome;
  const YAML::Node node = root["probes"];
  if (node.IsNull()) return outcome;
  ExpectMap(node, "probes");
  CheckKeys(node, "probes", {"enabled", "modules", "targets", "allowed_targets"});
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
      throw Error(targets.Mark(),
                  "probes.targets must be a list of targets, got " + Describe(targets));
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      const std::string where = "probes.targets[" + std::to_string(i) + "]";
      ProbeTarget target = ReadProbeTarget(targets[i], where, options);
      for (size_t j = 0; j < options.targets.size(); ++j) {
        const auto& other = options.targets[j];
        if (other.target == target.target && other.module == target.module &&
            other.group == target.group) {
          throw Error(targets[i].Mark(),
                      where + " repeats probes.targets[" + std::to_string(j) + "]");
        }
      }
      options.targets.push_back(std::move(target));
    }
    outcome.has_content = !options.targets.empty();
  }
  if (node["enabled"]) outcome.enabled = AsBool(node["enabled"], "enabled");
  return outcome;
}

constexpr auto kSections = std::to_array<std::string_view>({"probes"});

}  // namespace

extern const CollectorSpec probes_spec = {
    .name = "probes",
    .enabled_by_default = false,
    .description =
        "HTTP and TCP probes from the probes: config section, run at scrape time (on when it "
        "lists targets)",
    .make = [](const Paths&, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<ProbesCollector>(o.Get<ProbesOptions>());
    },
    .defaults = [] { return AnyOptions(ProbesOptions{}); },
    .sections = kSections,
    .read_sections = ReadSections,
};

}  // namespace vitals::collectors
