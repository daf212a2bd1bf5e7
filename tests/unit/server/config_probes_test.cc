// The probes: section of the configuration file.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "collectors/probes_collector.h"
#include "server/config.h"
#include "server/config_error_case.h"

namespace vitals::server {
namespace {

using collectors::ProberKind;
using Enabled = std::map<std::string, bool, std::less<>>;
using Ranges = collectors::StatusRanges;

TEST(ParseConfigProbesTest, DefaultsWithoutTheSection) {
  const auto config = ParseConfig("collectors:\n  cpu: {}\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->collector_options.Get<collectors::ProbesOptions>().modules.empty());
  EXPECT_TRUE(config->collector_options.Get<collectors::ProbesOptions>().targets.empty());
  EXPECT_EQ(config->enabled.count("probes"), 0u);
}

TEST(ParseConfigProbesTest, FullSection) {
  const auto config = ParseConfig(
      "probes:\n"
      "  modules:\n"
      "    web:\n"
      "      prober: http\n"
      "      timeout: 2s\n"
      "      http:\n"
      "        method: HEAD\n"
      "        valid_status_codes: [200, \"3xx\", 404]\n"
      "        follow_redirects: false\n"
      "        fail_if_body_not_matches_regexp: ['ok', '(?i)healthy']\n"
      "        headers: {Host: example.com, X-Probe: '1'}\n"
      "        tls_insecure_skip_verify: true\n"
      "        ca_file: /etc/ca.pem\n"
      "    plain: {prober: http}\n"
      "    ssh: {prober: tcp, timeout: 500ms}\n"
      "    smtps: {prober: tcp, tcp: {tls: true, ca_file: /ca.pem}}\n"
      "  targets:\n"
      "    - {target: 'https://example.com/', module: web, group: site, labels: {env: prod, "
      "a: b}}\n"
      "    - {target: 'db:22', module: ssh}\n"
      "  allowed_targets: ['.*\\.example\\.com:22']\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"probes", true}}));  // Turned on by targets.
  const auto& options = config->collector_options.Get<collectors::ProbesOptions>();
  ASSERT_EQ(options.modules.size(), 4u);
  const auto& web = options.modules.at("web");
  EXPECT_EQ(web.prober, ProberKind::kHttp);
  EXPECT_EQ(web.timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(web.http.method, "HEAD");
  EXPECT_EQ(web.http.valid_status_codes, (Ranges{{200, 200}, {300, 399}, {404, 404}}));
  EXPECT_FALSE(web.http.follow_redirects);
  ASSERT_EQ(web.http.fail_if_body_not_matches.size(), 2u);
  EXPECT_TRUE(web.http.fail_if_body_not_matches[1].Search("all HEALTHY"));
  ASSERT_EQ(web.http.headers.size(), 2u);
  EXPECT_EQ(web.http.headers[0], (std::pair<std::string, std::string>{"Host", "example.com"}));
  EXPECT_TRUE(web.http.tls_insecure_skip_verify);
  EXPECT_EQ(web.http.ca_file, "/etc/ca.pem");
  const auto& plain = options.modules.at("plain");  // Defaults.
  EXPECT_EQ(plain.timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(plain.http.method, "GET");
  EXPECT_TRUE(plain.http.follow_redirects);
  EXPECT_TRUE(collectors::StatusAllowed(plain.http.valid_status_codes, 204));
  EXPECT_FALSE(collectors::StatusAllowed(plain.http.valid_status_codes, 301));
  EXPECT_EQ(options.modules.at("ssh").prober, ProberKind::kTcp);
  EXPECT_FALSE(options.modules.at("ssh").tcp.tls);
  EXPECT_TRUE(options.modules.at("smtps").tcp.tls);
  EXPECT_EQ(options.modules.at("smtps").tcp.ca_file, "/ca.pem");
  ASSERT_EQ(options.targets.size(), 2u);
  EXPECT_EQ(options.targets[0].target, "https://example.com/");
  EXPECT_EQ(options.targets[0].group, "site");
  using Labels = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(options.targets[0].labels, (Labels{{"a", "b"}, {"env", "prod"}}));  // Sorted.
  EXPECT_EQ(options.targets[1].group, "");
  // allowed_targets match the whole target.
  EXPECT_TRUE(collectors::ProbeTargetAllowed(options, "db.example.com:22"));
  EXPECT_FALSE(collectors::ProbeTargetAllowed(options, "db.example.com:2222"));
  EXPECT_FALSE(collectors::ProbeTargetAllowed(options, "db.example.com:22\n"));
  EXPECT_FALSE(collectors::ProbeTargetAllowed(options, "db.example.com:22/x"));
}

TEST(ParseConfigProbesTest, ModulesWithoutTargetsLeaveTheCollectorOff) {
  const auto config = ParseConfig("probes:\n  modules: {m: {prober: tcp}}\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled.count("probes"), 0u);
  // No allowed_targets: /probe may probe anything.
  EXPECT_TRUE(collectors::ProbeTargetAllowed(
      config->collector_options.Get<collectors::ProbesOptions>(), "10.0.0.1:1"));
}

TEST(ParseConfigProbesTest, EnabledFalseWins) {
  const auto config = ParseConfig(
      "probes:\n  enabled: false\n  modules: {m: {prober: tcp}}\n"
      "  targets: [{target: 'a:1', module: m}]\n",
      "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"probes", false}}));
}

TEST(StatusCodeSpecTest, ParsesCodesAndClasses) {
  using Range = std::optional<std::pair<int, int>>;
  EXPECT_EQ(collectors::ParseStatusCodeSpec("200"), (Range{{200, 200}}));
  EXPECT_EQ(collectors::ParseStatusCodeSpec("2xx"), (Range{{200, 299}}));
  EXPECT_EQ(collectors::ParseStatusCodeSpec("5XX"), (Range{{500, 599}}));
  EXPECT_EQ(collectors::ParseStatusCodeSpec("1xx"), (Range{{100, 199}}));
  for (const char* bad :
       {"", "99", "600", "6xx", "0xx", "2x", "2xxx", "20O", "200 ", "-200", "x"}) {
    EXPECT_EQ(collectors::ParseStatusCodeSpec(bad), std::nullopt) << bad;
  }
  const Ranges ranges = {{200, 200}, {300, 399}};
  EXPECT_TRUE(collectors::StatusAllowed(ranges, 200));
  EXPECT_FALSE(collectors::StatusAllowed(ranges, 201));
  EXPECT_TRUE(collectors::StatusAllowed(ranges, 304));
  EXPECT_FALSE(collectors::StatusAllowed(ranges, 0));
  EXPECT_TRUE(collectors::StatusAllowed({}, 299));  // Empty: 2xx.
  EXPECT_FALSE(collectors::StatusAllowed({}, 300));
}

class ParseConfigProbesErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(ParseConfigProbesErrorTest, PointsAtTheOffendingToken) {
  test::ExpectErrorAtToken(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseConfigProbesErrorTest,
    ::testing::Values(
        test::ErrorCase{"SectionIsAList", "probes: [1]\n", "[1]", "probes must be a mapping"},
        test::ErrorCase{"UnknownKey", "probes:\n  module: {}\n", "module:",
                        "unknown key 'module' in probes (allowed: enabled, modules, targets, "
                        "allowed_targets)"},
        test::ErrorCase{"ModuleWithoutProber", "probes:\n  modules:\n    m: {timeout: 1s}\n",
                        "{timeout", "probes.modules.m needs a prober (http or tcp)"},
        test::ErrorCase{"BadProber", "probes:\n  modules:\n    m: {prober: icmp}\n", "icmp",
                        "probes.modules.m.prober must be http or tcp, got 'icmp'"},
        test::ErrorCase{"BadTimeout", "probes:\n  modules:\n    m: {prober: tcp, timeout: 5}\n",
                        "5}", "probes.modules.m.timeout must be a positive duration"},
        test::ErrorCase{"UnknownModuleKey",
                        "probes:\n  modules:\n    m: {prober: tcp, retries: 3}\n", "retries",
                        "unknown key 'retries' in probes.modules.m"},
        test::ErrorCase{"DuplicateModule",
                        "probes:\n  modules:\n    m: {prober: tcp}\n    m: {prober: http}\n",
                        "m: {prober: http", "duplicate key 'm' in probes.modules"},
        test::ErrorCase{"HttpBlockOnTcp",
                        "probes:\n  modules:\n    m:\n      prober: tcp\n      http: {}\n", "{}",
                        "probes.modules.m.http is only for prober: http"},
        test::ErrorCase{"TcpBlockOnHttp",
                        "probes:\n  modules:\n    m:\n      prober: http\n      tcp: {tls: true}\n",
                        "{tls", "probes.modules.m.tcp is only for prober: tcp"},
        test::ErrorCase{"BadMethod",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http: {method: "
                        "POST}\n",
                        "POST", "probes.modules.m.http.method must be GET or HEAD, got 'POST'"},
        test::ErrorCase{"StatusCodesNotAList",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http: "
                        "{valid_status_codes: 200}\n",
                        "200}", "valid_status_codes must be a non-empty list"},
        test::ErrorCase{"EmptyStatusCodes",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http: "
                        "{valid_status_codes: []}\n",
                        "[]", "valid_status_codes must be a non-empty list"},
        test::ErrorCase{"BadStatusCode",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        valid_status_codes: [200, 2x]\n",
                        "2x]",
                        "items must be status codes from 100 to 599 or classes like "
                        "\"2xx\", got '2x'"},
        test::ErrorCase{"StatusCodeOutOfRange",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        valid_status_codes: [600]\n",
                        "600", "got '600'"},
        test::ErrorCase{"BadBodyRegex",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        fail_if_body_not_matches_regexp: ['ok', '(unclosed']\n",
                        "'(unclosed",
                        "fail_if_body_not_matches_regexp: invalid regular "
                        "expression"},
        test::ErrorCase{"HeadersNotAMap",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http: {headers: "
                        "[a]}\n",
                        "[a]", "probes.modules.m.http.headers must be a mapping"},
        test::ErrorCase{"TlsNotBool",
                        "probes:\n  modules:\n    m:\n      prober: tcp\n      tcp: {tls: "
                        "maybe}\n",
                        "maybe", "probes.modules.m.tcp.tls must be true or false"},
        test::ErrorCase{"UnknownModuleInTarget",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets:\n"
                        "    - {target: 'a:1', module: wbe}\n",
                        "wbe", "probes.targets[0].module: unknown module 'wbe' (defined: web)"},
        test::ErrorCase{"TargetWithoutModule",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets:\n"
                        "    - {target: 'a:1'}\n",
                        "{target", "probes.targets[0] needs a module"},
        test::ErrorCase{"TargetWithoutTarget",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets:\n"
                        "    - {module: web}\n",
                        "{module", "probes.targets[0] needs a target"},
        test::ErrorCase{"TargetsNotAList",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets: {a: 1}\n",
                        "{a: 1}", "probes.targets must be a list of targets"},
        test::ErrorCase{"RepeatedTarget",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets:\n"
                        "    - {target: x, module: web}\n    - {module: web, target: x}\n",
                        "{module: web, target", "probes.targets[1] repeats probes.targets[0]"},
        test::ErrorCase{"ReservedLabel",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets:\n"
                        "    - {target: x, module: web, labels: {module: y}}\n",
                        "module: y", "'module' is not a usable label name"},
        test::ErrorCase{"InvalidLabelName",
                        "probes:\n  modules:\n    web: {prober: http}\n  targets:\n"
                        "    - {target: x, module: web, labels: {a-b: y}}\n",
                        "a-b", "'a-b' is not a usable label name"},
        test::ErrorCase{"BadAllowedTarget", "probes:\n  allowed_targets: ['(x']\n", "'(x",
                        "probes.allowed_targets: invalid regular expression"},
        test::ErrorCase{"AllowedTargetsNotAList", "probes:\n  allowed_targets: x\n", "x\n",
                        "probes.allowed_targets must be a list of strings"},
        // Issue 12: a CR/LF (or any control byte) in a header would inject headers.
        test::ErrorCase{"CrLfInHeaderValue",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        headers: {X-Token: \"abc\\r\\nEvil: 1\"}\n",
                        "\"abc", "probes.modules.m.http.headers.X-Token: a header value must not"},
        test::ErrorCase{"LfInHeaderValue",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        headers:\n          X-Token: \"abc\\nEvil: 1\"\n",
                        "\"abc", "a header value must not hold control characters"},
        test::ErrorCase{"ColonInHeaderName",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        headers: {\"X-A: b\": c}\n",
                        "\"X-A", "probes.modules.m.http.headers: 'X-A: b' is not a header name"},
        test::ErrorCase{"CrLfInHeaderName",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        headers: {\"X-A\\r\\nEvil\": c}\n",
                        "\"X-A", "'X-A\\x0d\\nEvil' is not a header name"},
        test::ErrorCase{"ReservedProbeHeader",
                        "probes:\n  modules:\n    m:\n      prober: http\n      http:\n"
                        "        headers: {x-vitals-probe: '0'}\n",
                        "x-vitals", "is set by the exporter itself"},
        // Issue 12: a huge timeout made /probe unbounded.
        test::ErrorCase{"HugeModuleTimeout",
                        "probes:\n  modules:\n    m: {prober: http, timeout: 3000000h}\n",
                        "3000000h", "probes.modules.m.timeout must be at most 1m, got '3000000h'"},
        test::ErrorCase{"ModuleTimeoutOverAMinute",
                        "probes:\n  modules:\n    m: {prober: tcp, timeout: 61s}\n", "61s",
                        "probes.modules.m.timeout must be at most 1m"}));

}  // namespace
}  // namespace vitals::server
