#include "collectors/netstat_collector.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "collectors/registry.h"
#include "server/config.h"
#include "server/config_error_case.h"
#include "server/flags.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

std::set<std::string> Names(const Families& families) {
  std::set<std::string> names;
  for (const auto& family : families) {
    EXPECT_TRUE(names.insert(family.name).second) << "duplicate " << family.name;
  }
  return names;
}

// "<Protocol>_<Field>" -> value text for every field of the three fixture files, read
// independently of the parsers.
std::map<std::string, std::string> FixtureFields() {
  std::map<std::string, std::string> fields;
  for (const char* file : {"proc/net/netstat", "proc/net/snmp"}) {
    const auto lines = test::Lines(test::ReadFixture(file));
    for (size_t i = 0; i + 1 < lines.size(); i += 2) {
      const auto names = test::Tokens(lines[i]);
      const auto values = test::Tokens(lines[i + 1]);
      const std::string protocol = names[0].substr(0, names[0].size() - 1);
      for (size_t j = 1; j < names.size(); ++j) fields[protocol + "_" + names[j]] = values[j];
    }
  }
  for (const auto& line : test::Lines(test::ReadFixture("proc/net/snmp6"))) {
    const auto tokens = test::Tokens(line);
    const size_t six = tokens[0].find('6');
    fields[tokens[0].substr(0, six + 1) + "_" + tokens[0].substr(six + 1)] = tokens[1];
  }
  return fields;
}

Families CollectFixture(const CollectorOptions& options = CollectorOptions::Defaults()) {
  const auto collector = FindCollector("netstat")->make(test::FixturePaths(), options);
  Families families;
  const Status status = collector->Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

NetstatOptions WithFields(const char* pattern) {
  NetstatOptions options;
  options.fields = *Regex::Compile(pattern);
  return options;
}

TEST(NetstatCollectorTest, DefaultFieldsOnFixture) {
  const Families families = CollectFixture();
  // What the default regex selects, by std::regex over the fixture's own names.
  const std::regex pattern(kDefaultNetstatFields);
  std::set<std::string> expected;
  for (const auto& [key, value] : FixtureFields()) {
    if (!std::regex_search(key, pattern)) continue;
    expected.insert("node_netstat_" + key);
    EXPECT_EQ(SampleValue(families, "node_netstat_" + key), std::stod(value)) << key;
  }
  EXPECT_EQ(Names(families), expected);
  // From the fixture text: "IpExt: ... InOctets" 3381678058, "Ip6InOctets 384",
  // "Icmp6InMsgs 3", "Tcp: ... CurrEstab" 0; not "Tcp: ... MaxConn" -1 nor MPTcpExt.
  EXPECT_EQ(SampleValue(families, "node_netstat_IpExt_InOctets"), 3381678058.0);
  EXPECT_EQ(SampleValue(families, "node_netstat_Ip6_InOctets"), 384);
  EXPECT_EQ(SampleValue(families, "node_netstat_Icmp6_InMsgs"), 3);
  EXPECT_EQ(SampleValue(families, "node_netstat_Tcp_CurrEstab"), 0);
  EXPECT_FALSE(expected.contains("node_netstat_Tcp_MaxConn"));
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Untyped) << family.name;
    ASSERT_EQ(family.metric.size(), 1u) << family.name;
    EXPECT_TRUE(family.metric[0].label.empty()) << family.name;
  }
  EXPECT_EQ(test::FindFamily(families, "node_netstat_TcpExt_ListenDrops")->help,
            "Statistic TcpExtListenDrops.");
  EXPECT_EQ(test::FindFamily(families, "node_netstat_Udp6_InDatagrams")->help,
            "Statistic Udp6InDatagrams.");
}

TEST(NetstatCollectorTest, EmptyPatternPublishesEveryField) {
  CollectorOptions options = CollectorOptions::Defaults();
  options.Get<NetstatOptions>() = WithFields("");
  const Families families = CollectFixture(options);
  const auto fields = FixtureFields();
  ASSERT_EQ(families.size(), fields.size());
  for (const auto& [key, value] : fields) {
    EXPECT_EQ(SampleValue(families, "node_netstat_" + key), std::stod(value)) << key;
  }
  EXPECT_EQ(SampleValue(families, "node_netstat_Tcp_MaxConn"), -1);  // "-1" in snmp.
}

Status ApplyFlags(std::vector<std::string> args, server::Config& config) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  if (!flags.ok()) return Status::Fail(flags.error());
  return server::ApplyCollectorSettings(*flags, config);
}

TEST(NetstatCollectorTest, FieldsFromFlag) {
  server::Config config;
  const Status applied = ApplyFlags({"--collector.netstat.fields=^Tcp_(MaxConn|InSegs)$"}, config);
  ASSERT_TRUE(applied.ok()) << applied.message();
  EXPECT_EQ(config.collector_options.Get<NetstatOptions>().fields.pattern(),
            "^Tcp_(MaxConn|InSegs)$");
  const Families families = CollectFixture(config.collector_options);
  EXPECT_EQ(Names(families),
            (std::set<std::string>{"node_netstat_Tcp_MaxConn", "node_netstat_Tcp_InSegs"}));
  EXPECT_EQ(SampleValue(families, "node_netstat_Tcp_InSegs"), 1514343);  // From snmp.
}

TEST(NetstatCollectorTest, InvalidFlagRegexNamesTheFlag) {
  server::Config config;
  const Status applied = ApplyFlags({"--collector.netstat.fields=^(Tcp"}, config);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.message().find("--collector.netstat.fields"), std::string::npos)
      << applied.message();
}

TEST(NetstatCollectorTest, FieldsFromYamlAndFlagOverYaml) {
  auto config = server::ParseConfig("collectors:\n  netstat:\n    fields: ^Ip6_\n", "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<NetstatOptions>().fields.pattern(), "^Ip6_");
  std::set<std::string> expected;
  for (const auto& [key, value] : FixtureFields()) {
    if (key.starts_with("Ip6_")) expected.insert("node_netstat_" + key);
  }
  EXPECT_EQ(Names(CollectFixture(config->collector_options)), expected);
  ASSERT_TRUE(ApplyFlags({"--collector.netstat.fields=^Ip_Forwarding$"}, *config).ok());
  const Families families = CollectFixture(config->collector_options);
  EXPECT_EQ(Names(families), (std::set<std::string>{"node_netstat_Ip_Forwarding"}));
  EXPECT_EQ(SampleValue(families, "node_netstat_Ip_Forwarding"), 2);
}

TEST(NetstatCollectorTest, DefaultsWithoutConfig) {
  const auto config = server::ParseConfig("collectors:\n  netstat:\n    enabled: true\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  // node_exporter 1.5's default, as `prometheus-node-exporter --help` prints it.
  EXPECT_EQ(config->collector_options.Get<NetstatOptions>().fields.pattern(),
            "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|"
            "OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|"
            "InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|"
            "OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$");
  EXPECT_TRUE(FindCollector("netstat")->enabled_by_default);
}

class NetstatConfigErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(NetstatConfigErrorTest, PointsAtTheOffendingToken) { test::ExpectErrorAtToken(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Errors, NetstatConfigErrorTest,
    ::testing::Values(
        test::ErrorCase{"InvalidRegex", "collectors:\n  netstat:\n    fields: \"^(Tcp\"\n",
                        "\"^(Tcp", "collectors.netstat.fields: invalid regular expression '^(Tcp'"},
        test::ErrorCase{"ListWhereRegexExpected",
                        "collectors:\n  netstat:\n    fields:\n      - Tcp_InSegs\n",
                        "- Tcp_InSegs", "fields must be a string, got a list"},
        test::ErrorCase{"UnknownKey", "collectors:\n  netstat:\n    field: ^Tcp\n",
                        "field:", "unknown key 'field'"}),
    test::ParamName());

TEST(NetstatCollectorTest, OptionsCompareByPattern) {
  EXPECT_EQ(WithFields("^Tcp"), WithFields("^Tcp"));
  EXPECT_NE(WithFields("^Tcp"), WithFields("^Udp"));
  const CollectorOptions before = CollectorOptions::Defaults();
  CollectorOptions after = CollectorOptions::Defaults();
  EXPECT_TRUE(SameOptions(*FindCollector("netstat"), before, after));
  after.Get<NetstatOptions>() = WithFields("^Ip_");
  EXPECT_FALSE(SameOptions(*FindCollector("netstat"), before, after));
}

// One scrape, with fields "", of a procfs holding the given net/ files (none when null).
struct Scrape {
  test::TempDir dir;
  Status status;
  Families families;

  Scrape(const char* netstat, const char* snmp, const char* snmp6) {
    if (netstat != nullptr) test::WriteFile(dir.path() / "net/netstat", netstat);
    if (snmp != nullptr) test::WriteFile(dir.path() / "net/snmp", snmp);
    if (snmp6 != nullptr) test::WriteFile(dir.path() / "net/snmp6", snmp6);
    Paths paths;
    paths.procfs = dir.path().string();
    NetstatCollector collector(paths, WithFields(""));
    status = collector.Collect({}, families);
  }
};

TEST(NetstatCollectorTest, MissingSnmp6IsSkipped) {
  // As node_exporter: a kernel without IPv6 has no net/snmp6.
  const Scrape scrape("TcpExt: SyncookiesSent\nTcpExt: 4\n", "Udp: NoPorts\nUdp: 5\n", nullptr);
  ASSERT_TRUE(scrape.status.ok()) << scrape.status.message();
  EXPECT_EQ(Names(scrape.families), (std::set<std::string>{"node_netstat_TcpExt_SyncookiesSent",
                                                           "node_netstat_Udp_NoPorts"}));
  EXPECT_EQ(SampleValue(scrape.families, "node_netstat_Udp_NoPorts"), 5);
}

TEST(NetstatCollectorTest, MissingNetstatOrSnmpFails) {
  const Scrape no_netstat(nullptr, "Udp: NoPorts\nUdp: 5\n", "Ip6InReceives 1\n");
  EXPECT_FALSE(no_netstat.status.ok());
  EXPECT_NE(no_netstat.status.message().find(no_netstat.dir.Sub("net/netstat")), std::string::npos)
      << no_netstat.status.message();
  const Scrape no_snmp("TcpExt: SyncookiesSent\nTcpExt: 4\n", nullptr, "Ip6InReceives 1\n");
  EXPECT_FALSE(no_snmp.status.ok());
  EXPECT_NE(no_snmp.status.message().find(no_snmp.dir.Sub("net/snmp")), std::string::npos)
      << no_snmp.status.message();
  EXPECT_TRUE(no_snmp.families.empty());
}

TEST(NetstatCollectorTest, MalformedFileFailsNamingFileAndLine) {
  const Scrape scrape("TcpExt: SyncookiesSent\nTcpExt: 4\n", "Udp: NoPorts\nUdp: 5\n",
                      "Ip6InReceives 1\nIp6InDiscards\n");
  ASSERT_FALSE(scrape.status.ok());
  EXPECT_NE(scrape.status.message().find(scrape.dir.Sub("net/snmp6") + ": "), std::string::npos)
      << scrape.status.message();
  EXPECT_NE(scrape.status.message().find("line 2"), std::string::npos) << scrape.status.message();
  EXPECT_TRUE(scrape.families.empty());
}

TEST(NetstatCollectorTest, DuplicateFieldFails) {
  // The same protocol in netstat and snmp: node_exporter would keep one of the two.
  const Scrape scrape("Udp: NoPorts\nUdp: 4\n", "Udp: NoPorts\nUdp: 5\n", nullptr);
  ASSERT_FALSE(scrape.status.ok());
  EXPECT_NE(scrape.status.message().find("duplicate netstat field Udp_NoPorts"), std::string::npos)
      << scrape.status.message();
}

TEST(NetstatCollectorTest, FieldsChangingBetweenScrapes) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/netstat", "TcpExt: ListenDrops\nTcpExt: 1\n");
  test::WriteFile(dir.path() / "net/snmp", "Tcp: InSegs MaxConn\nTcp: 2 -1\n");
  Paths paths;
  paths.procfs = dir.path().string();
  NetstatCollector collector(paths, WithFields("^Tcp"));
  Families first;
  ASSERT_TRUE(collector.Collect({}, first).ok());
  EXPECT_EQ(Names(first),
            (std::set<std::string>{"node_netstat_TcpExt_ListenDrops", "node_netstat_Tcp_InSegs",
                                   "node_netstat_Tcp_MaxConn"}));
  test::WriteFile(dir.path() / "net/snmp",
                  "Ip: Forwarding\nIp: 1\nTcp: OutSegs InSegs\nTcp: 3 4\n");
  test::WriteFile(dir.path() / "net/snmp6", "Tcp6Invented 7\n");
  Families second;
  ASSERT_TRUE(collector.Collect({}, second).ok());
  EXPECT_EQ(Names(second),
            (std::set<std::string>{"node_netstat_TcpExt_ListenDrops", "node_netstat_Tcp_OutSegs",
                                   "node_netstat_Tcp_InSegs", "node_netstat_Tcp6_Invented"}));
  EXPECT_EQ(SampleValue(second, "node_netstat_Tcp_OutSegs"), 3);
  EXPECT_EQ(SampleValue(second, "node_netstat_Tcp_InSegs"), 4);
  EXPECT_EQ(SampleValue(second, "node_netstat_Tcp6_Invented"), 7);
}

}  // namespace
}  // namespace vitals::collectors
