// The ports collector's configuration: the ports: section, a list of entries or a
// mapping with the list under `entries`.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/ports_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

using yaml_input::AsBool;
using yaml_input::AsString;
using yaml_input::CheckKeys;
using yaml_input::Describe;
using yaml_input::Error;

PortProtocol ReadProtocol(const YAML::Node& protocol, const std::string& where) {
  const std::string text = AsString(protocol, "protocol");
  if (text == "udp") return PortProtocol::kUdp;
  if (text != "tcp") {
    throw Error(protocol.Mark(), where + ".protocol must be tcp or udp, got " + Describe(protocol));
  }
  return PortProtocol::kTcp;
}

uint16_t ReadPortNumber(const YAML::Node& port, const std::string& where) {
  int number = 0;
  if (!port.IsScalar() || !YAML::convert<int>::decode(port, number) || number < 1 ||
      number > 65535) {
    throw Error(port.Mark(),
                where + ".port must be an integer from 1 to 65535, got " + Describe(port));
  }
  return static_cast<uint16_t>(number);
}

// One `ports` entry: {port, protocol, address, name, listener_info}.
PortSpec ReadPort(const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) throw Error(node.Mark(), where + " must be a mapping, got " + Describe(node));
  CheckKeys(node, where, {"port", "protocol", "address", "name", "listener_info"});
  PortSpec spec;
  if (!node["port"]) throw Error(node.Mark(), where + " needs a port");
  spec.port = ReadPortNumber(node["port"], where);
  if (node["protocol"]) spec.protocol = ReadProtocol(node["protocol"], where);
  if (const YAML::Node address = node["address"]) {
    spec.address = ParseInetAddress(AsString(address, "address"));
    if (!spec.address) {
      throw Error(address.Mark(),
                  where + ".address must be an IPv4 or IPv6 address, got " + Describe(address));
    }
  }
  if (node["name"]) spec.name = AsString(node["name"], "name");
  if (node["listener_info"]) spec.listener_info = AsBool(node["listener_info"], "listener_info");
  return spec;
}

std::string PortText(const PortSpec& spec) {
  return std::to_string(spec.port) + "/" + std::string(ProtocolName(spec.protocol));
}

// Two entries for one port must differ in address and in name.
void CheckRepeats(const std::vector<PortSpec>& ports, const PortSpec& spec, const YAML::Node& node,
                  const std::string& where, const std::string& item) {
  for (size_t j = 0; j < ports.size(); ++j) {
    const auto& other = ports[j];
    if (other.port != spec.port || other.protocol != spec.protocol) continue;
    const std::string earlier = where + "[" + std::to_string(j) + "]";
    if (other.address == spec.address) {
      throw Error(node.Mark(),
                  item + " repeats " + earlier + " (" + PortText(spec) + " on the same address)");
    }
    if (other.name == spec.name) {
      throw Error(node.Mark(), item + " and " + earlier + " would publish the same series (" +
                                   PortText(spec) + ", name '" + spec.name +
                                   "'); give them different names");
    }
  }
}

bool ReadPortList(const YAML::Node& list, const std::string& where, PortsOptions& options) {
  if (!list.IsSequence()) {
    throw Error(list.Mark(), where + " must be a list of ports, got " + Describe(list));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string item = where + "[" + std::to_string(i) + "]";
    PortSpec spec = ReadPort(list[i], item);
    CheckRepeats(options.ports, spec, list[i], where, item);
    options.ports.push_back(std::move(spec));
  }
  return !options.ports.empty();  // A list turns the collector on.
}

SectionOutcome ReadSections(const YAML::Node& root, AnyOptions& any) {
  auto& options = OptionsAs<PortsOptions>(any);
  SectionOutcome outcome;
  const YAML::Node node = root["ports"];
  if (node.IsNull()) return outcome;
  if (node.IsSequence()) {
    outcome.has_content = ReadPortList(node, "ports", options);
    return outcome;
  }
  if (!node.IsMap()) {
    throw Error(node.Mark(), "ports must be a list or a mapping, got " + Describe(node));
  }
  CheckKeys(node, "ports", {"enabled", "listener_info", "entries"});
  if (node["listener_info"]) {
    options.listener_info = AsBool(node["listener_info"], "listener_info");
  }
  if (node["enabled"]) outcome.enabled = AsBool(node["enabled"], "enabled");
  if (node["entries"])
    outcome.has_content = ReadPortList(node["entries"], "ports.entries", options);
  return outcome;
}

constexpr auto kSections = std::to_array<std::string_view>({"ports"});

}  // namespace

extern const CollectorSpec ports_spec = {
    .name = "ports",
    .enabled_by_default = false,
    .description =
        "Listening TCP and bound UDP ports from the ports: config section (on when it lists any)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<PortsCollector>(p, o.Get<PortsOptions>());
    },
    .defaults = [] { return AnyOptions(PortsOptions{}); },
    .sections = kSections,
    .read_sections = ReadSections,
};

}  // namespace vitals::collectors
