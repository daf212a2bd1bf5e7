#include "collectors/sockstat_collector.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

// One scrape of `procfs`.
struct Scrape {
  Status status;
  Families families;
  explicit Scrape(const std::string& procfs) {
    Paths paths;
    paths.procfs = procfs;
    SockstatCollector collector(paths);
    status = collector.Collect({}, families);
  }
};

std::set<std::string> Names(const Families& families) {
  std::set<std::string> names;
  for (const auto& family : families) {
    EXPECT_TRUE(names.insert(family.name).second) << "duplicate " << family.name;
  }
  return names;
}

TEST(SockstatCollectorTest, FixtureEveryKeyAsNodeExporterNamesIt) {
  const Scrape scrape(test::FixturePath("proc"));
  ASSERT_TRUE(scrape.status.ok()) << scrape.status.message();
  const Families& families = scrape.families;
  // Expected from the fixture text: node_sockstat_<PROTO>_<key> for every pair, "used" of
  // the IPv4 file as sockets_used, and <PROTO>_mem_bytes = mem * page size.
  std::set<std::string> expected;
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  for (const char* file : {"proc/net/sockstat", "proc/net/sockstat6"}) {
    for (const auto& line : test::Lines(test::ReadFixture(file))) {
      const auto tokens = test::Tokens(line);
      const std::string protocol = tokens[0].substr(0, tokens[0].size() - 1);
      for (size_t i = 1; i + 1 < tokens.size(); i += 2) {
        const std::string name = protocol == "sockets"
                                     ? "node_sockstat_sockets_used"
                                     : "node_sockstat_" + protocol + "_" + tokens[i];
        expected.insert(name);
        EXPECT_EQ(SampleValue(families, name), std::stod(tokens[i + 1])) << line;
        if (tokens[i] == "mem") {
          expected.insert(name + "_bytes");
          EXPECT_EQ(SampleValue(families, name + "_bytes"), std::stod(tokens[i + 1]) * page_size);
        }
      }
    }
  }
  EXPECT_EQ(Names(families), expected);
  // "TCP: inuse 3 orphan 0 tw 2 alloc 3 mem 200", "sockets: used 13", "FRAG6: ... memory 0".
  EXPECT_EQ(SampleValue(families, "node_sockstat_TCP_tw"), 2);
  EXPECT_EQ(SampleValue(families, "node_sockstat_TCP_mem_bytes"), 200 * page_size);
  EXPECT_EQ(SampleValue(families, "node_sockstat_sockets_used"), 13);
  EXPECT_TRUE(expected.contains("node_sockstat_FRAG6_memory"));
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
  }
  EXPECT_EQ(test::FindFamily(families, "node_sockstat_TCP_mem_bytes")->help,
            "Number of TCP sockets in state mem_bytes.");
  EXPECT_EQ(test::FindFamily(families, "node_sockstat_sockets_used")->help,
            "Number of IPv4 sockets in use.");
}

TEST(SockstatCollectorTest, InuseAlwaysUsedOnlyFromIpv4UnknownKeysSkipped) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/sockstat", "sockets: used 7\nXDP: alloc 2 pressure 1\n");
  test::WriteFile(dir.path() / "net/sockstat6", "sockets: used 99\nTCP6: inuse 1\n");
  const Scrape scrape(dir.path().string());
  ASSERT_TRUE(scrape.status.ok()) << scrape.status.message();
  // node_exporter publishes inuse as 0 when the line lacks it, skips keys it does not
  // know, and ignores "used" in sockstat6.
  EXPECT_EQ(Names(scrape.families),
            (std::set<std::string>{"node_sockstat_sockets_used", "node_sockstat_XDP_inuse",
                                   "node_sockstat_XDP_alloc", "node_sockstat_TCP6_inuse"}));
  EXPECT_EQ(SampleValue(scrape.families, "node_sockstat_sockets_used"), 7);
  EXPECT_EQ(SampleValue(scrape.families, "node_sockstat_XDP_inuse"), 0);
  EXPECT_EQ(SampleValue(scrape.families, "node_sockstat_XDP_alloc"), 2);
}

TEST(SockstatCollectorTest, OneMissingFileIsSkippedBothFail) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/sockstat6", "TCP6: inuse 4\n");
  const Scrape only6(dir.path().string());
  ASSERT_TRUE(only6.status.ok()) << only6.status.message();
  EXPECT_EQ(Names(only6.families), (std::set<std::string>{"node_sockstat_TCP6_inuse"}));
  EXPECT_EQ(SampleValue(only6.families, "node_sockstat_TCP6_inuse"), 4);

  test::TempDir empty;
  const Scrape none(empty.path().string());
  EXPECT_FALSE(none.status.ok());
  EXPECT_NE(none.status.message().find("neither exists"), std::string::npos)
      << none.status.message();
}

TEST(SockstatCollectorTest, MalformedFileFailsNamingIt) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/sockstat", "sockets: used 7\nTCP: inuse\n");
  const Scrape scrape(dir.path().string());
  ASSERT_FALSE(scrape.status.ok());
  EXPECT_NE(scrape.status.message().find(dir.Sub("net/sockstat") + ": "), std::string::npos)
      << scrape.status.message();
  EXPECT_NE(scrape.status.message().find("line 2"), std::string::npos) << scrape.status.message();
}

TEST(SockstatCollectorTest, Registered) {
  ASSERT_NE(FindCollector("sockstat"), nullptr);
  EXPECT_TRUE(FindCollector("sockstat")->enabled_by_default);
}

}  // namespace
}  // namespace vitals::collectors
