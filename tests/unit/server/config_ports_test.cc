// The ports: section of the configuration file.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <regex>
#include <string>
#include <utility>

#include "collectors/ports_collector.h"
#include "server/config.h"
#include "server/config_error_case.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using collectors::PortProtocol;
using Enabled = std::map<std::string, bool, std::less<>>;

std::string Address(const collectors::PortSpec& spec) {
  return spec.address ? procfs::FormatAddress(*spec.address) : "any";
}

TEST(ParseConfigPortsTest, DefaultsWithoutTheSection) {
  const auto config = ParseConfig("collectors:\n  cpu: {}\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->collector_options.Get<collectors::PortsOptions>().ports.empty());
  EXPECT_TRUE(config->collector_options.Get<collectors::PortsOptions>().listener_info);
  EXPECT_EQ(config->enabled.count("ports"), 0u);
}

TEST(ParseConfigPortsTest, ListForm) {
  // The shape in the issue: a plain list.
  const auto config = ParseConfig(
      "ports:\n"
      "  - {port: 10000, protocol: tcp, name: myapp}\n"
      "  - port: 53\n"
      "    protocol: udp\n"
      "    address: 127.0.0.1\n"
      "    listener_info: false\n"
      "  - {port: 53, protocol: udp, address: '::1', name: dns6}\n"
      "  - {port: 65535, address: '::ffff:10.0.0.1'}\n"
      "  - {port: \"1\"}\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"ports", true}}));  // Turned on by the list.
  const auto& options = config->collector_options.Get<collectors::PortsOptions>();
  EXPECT_TRUE(options.listener_info);
  EXPECT_EQ(options.source, collectors::SocketSource::kAuto);
  ASSERT_EQ(options.ports.size(), 5u);
  const auto& app = options.ports[0];
  EXPECT_EQ(app.port, 10000);
  EXPECT_EQ(app.protocol, PortProtocol::kTcp);
  EXPECT_EQ(app.name, "myapp");
  EXPECT_EQ(Address(app), "any");
  EXPECT_FALSE(app.listener_info.has_value());
  const auto& dns = options.ports[1];
  EXPECT_EQ(dns.port, 53);
  EXPECT_EQ(dns.protocol, PortProtocol::kUdp);
  EXPECT_EQ(dns.name, "");
  EXPECT_EQ(Address(dns), "127.0.0.1");
  EXPECT_EQ(dns.listener_info, std::optional<bool>(false));
  EXPECT_EQ(Address(options.ports[2]), "::1");
  EXPECT_TRUE(options.ports[2].address->v6);
  EXPECT_EQ(options.ports[3].port, 65535);
  EXPECT_EQ(options.ports[3].protocol, PortProtocol::kTcp);  // The default.
  EXPECT_EQ(Address(options.ports[3]), "10.0.0.1");          // Mapped: stored as IPv4.
  EXPECT_FALSE(options.ports[3].address->v6);
  EXPECT_EQ(options.ports[4].port, 1);
}

TEST(ParseConfigPortsTest, MappingForm) {
  const auto config = ParseConfig(
      "ports:\n"
      "  listener_info: false\n"
      "  entries:\n"
      "    - {port: 22, name: ssh, listener_info: true}\n"
      "    - {port: 80}\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"ports", true}}));
  const auto& options = config->collector_options.Get<collectors::PortsOptions>();
  EXPECT_FALSE(options.listener_info);
  ASSERT_EQ(options.ports.size(), 2u);
  EXPECT_EQ(options.ports[0].listener_info, std::optional<bool>(true));
  EXPECT_FALSE(options.ports[1].listener_info.has_value());
}

TEST(ParseConfigPortsTest, EnabledFlag) {
  const struct {
    const char* yaml;
    Enabled enabled;
    size_t ports;
  } cases[] = {
      {"ports:\n  - {port: 1}\n", {{"ports", true}}, 1},
      {"ports: []\n", {}, 0},
      {"ports:\n", {}, 0},
      {"ports:\n  enabled: false\n  entries: [{port: 1}]\n", {{"ports", false}}, 1},
      {"ports:\n  entries: [{port: 1}]\n  enabled: false\n", {{"ports", false}}, 1},
      {"ports:\n  enabled: true\n", {{"ports", true}}, 0},
      {"ports:\n  entries: []\n", {}, 0},
      {"collectors:\n  ports:\n    enabled: false\nports:\n  - {port: 1}\n", {{"ports", false}}, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    const auto config = ParseConfig(c.yaml, "c.yml");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_EQ(config->enabled, c.enabled);
    EXPECT_EQ(config->collector_options.Get<collectors::PortsOptions>().ports.size(), c.ports);
  }
}

TEST(ParseConfigPortsTest, SamePortOnDifferentAddressesOrNames) {
  // Distinct addresses with distinct names, and tcp/udp on the same port, are fine.
  const auto config = ParseConfig(
      "ports:\n"
      "  - {port: 53, name: lo4, address: 127.0.0.1}\n"
      "  - {port: 53, name: lo6, address: '::1'}\n"
      "  - {port: 53, name: any}\n"
      "  - {port: 53, protocol: udp, name: lo4, address: 127.0.0.1}\n",
      "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<collectors::PortsOptions>().ports.size(), 4u);
}

class ParseConfigPortsErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(ParseConfigPortsErrorTest, PointsAtTheOffendingToken) {
  test::ExpectErrorAtToken(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseConfigPortsErrorTest,
    ::testing::Values(
        test::ErrorCase{"SectionIsAScalar", "ports: 10000\n", "10000",
                        "ports must be a list or a mapping, got '10000'"},
        test::ErrorCase{"UnknownKeyInSection", "ports:\n  entries: []\n  listner_info: true\n",
                        "listner_info", "unknown key 'listner_info' in ports (allowed: enabled"},
        test::ErrorCase{"EntriesNotAList", "ports:\n  entries: {port: 1}\n", "{port",
                        "ports.entries must be a list of ports, got a mapping"},
        test::ErrorCase{"EntryNotAMapping", "ports:\n  - {port: 1}\n  - 10000\n", "10000",
                        "ports[1] must be a mapping, got '10000'"},
        test::ErrorCase{"NullEntry", "ports:\n  - {port: 1}\n  - ~\n  - {port: 2}\n", "~",
                        "ports[1] must be a mapping, got nothing"},
        test::ErrorCase{"UnknownKeyInEntry", "ports:\n  - port: 1\n    proto: udp\n", "proto",
                        "unknown key 'proto' in ports[0] (allowed: port, protocol, address, name, "
                        "listener_info)"},
        test::ErrorCase{"UnknownKeyInMappingEntry",
                        "ports:\n  entries:\n    - {port: 1, host: x}\n", "host",
                        "unknown key 'host' in ports.entries[0]"},
        test::ErrorCase{"DuplicateKeyInEntry", "ports:\n  - port: 1\n    name: a\n    port: 2\n",
                        "port: 2", "duplicate key 'port' in ports[0]"},
        test::ErrorCase{"MissingPort", "ports:\n  - {port: 1}\n  - {name: web}\n", "{name",
                        "ports[1] needs a port"},
        test::ErrorCase{"PortZero", "ports:\n  - {port: 0}\n", "0}",
                        "ports[0].port must be an integer from 1 to 65535, got '0'"},
        test::ErrorCase{"PortTooLarge", "ports:\n  - port: 65536\n", "65536",
                        "ports[0].port must be an integer from 1 to 65535, got '65536'"},
        test::ErrorCase{"PortNegative", "ports:\n  - port: -80\n", "-80", "from 1 to 65535"},
        test::ErrorCase{"PortNotANumber", "ports:\n  - port: http\n", "http",
                        "ports[0].port must be an integer from 1 to 65535, got 'http'"},
        test::ErrorCase{"PortFraction", "ports:\n  - port: 80.5\n", "80.5", "from 1 to 65535"},
        test::ErrorCase{"PortAList", "ports:\n  - port: [80, 443]\n", "[80",
                        "ports[0].port must be an integer from 1 to 65535, got a list"},
        test::ErrorCase{"BadProtocol", "ports:\n  - {port: 1, protocol: sctp}\n", "sctp",
                        "ports[0].protocol must be tcp or udp, got 'sctp'"},
        test::ErrorCase{"UpperCaseProtocol", "ports:\n  - {port: 1, protocol: TCP}\n", "TCP",
                        "must be tcp or udp, got 'TCP'"},
        test::ErrorCase{"ProtocolAList", "ports:\n  - {port: 1, protocol: [tcp]}\n", "[tcp]",
                        "protocol must be a string, got a list"},
        test::ErrorCase{"HostNameIsNotAnAddress", "ports:\n  - {port: 1, address: localhost}\n",
                        "localhost",
                        "ports[0].address must be an IPv4 or IPv6 address, got 'localhost'"},
        test::ErrorCase{"AddressWithPort", "ports:\n  - {port: 1, address: '127.0.0.1:80'}\n",
                        "'127.0.0.1:80'", "must be an IPv4 or IPv6 address, got '127.0.0.1:80'"},
        test::ErrorCase{"BracketedIPv6", "ports:\n  - {port: 1, address: '[::1]'}\n", "'[::1]'",
                        "must be an IPv4 or IPv6 address"},
        test::ErrorCase{"BadIPv4", "ports:\n  - {port: 1, address: 10.0.0.256}\n", "10.0.0.256",
                        "must be an IPv4 or IPv6 address"},
        test::ErrorCase{"NameAList", "ports:\n  - {port: 1, name: [a]}\n", "[a]",
                        "name must be a string, got a list"},
        test::ErrorCase{"ListenerInfoNotABool", "ports:\n  - {port: 1, listener_info: maybe}\n",
                        "maybe", "listener_info must be true or false, got 'maybe'"},
        test::ErrorCase{"SectionListenerInfoNotABool", "ports:\n  listener_info: 2\n", "2\n",
                        "listener_info must be true or false, got '2'"},
        test::ErrorCase{"EnabledNotABool", "ports:\n  enabled: yes please\n", "yes please",
                        "enabled must be true or false"},
        test::ErrorCase{"Duplicate",
                        "ports:\n  - {port: 22, name: ssh}\n  - {port: 80}\n  - {port: 22}\n",
                        "{port: 22}", "ports[2] repeats ports[0] (22/tcp on the same address)"},
        test::ErrorCase{"DuplicateWithAddress",
                        "ports:\n  - {port: 53, protocol: udp, address: 127.0.0.1, name: a}\n"
                        "  - {port: 53, protocol: udp, address: '::ffff:127.0.0.1', name: b}\n",
                        "{port: 53, protocol: udp, address: '::ffff",
                        "ports[1] repeats ports[0] (53/udp on the same address)"},
        test::ErrorCase{
            "SameSeries",
            "ports:\n  entries:\n    - {port: 53, address: 127.0.0.1}\n"
            "    - {port: 53, address: '::1'}\n",
            "{port: 53, address: '::1'",
            "ports.entries[1] and ports.entries[0] would publish the same series (53/tcp, "
            "name ''); give them different names"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::server
