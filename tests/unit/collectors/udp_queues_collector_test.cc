#include "collectors/udp_queues_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

constexpr const char* kHeader =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode ref pointer drops\n";

struct Scrape {
  Status status;
  Families families;
  explicit Scrape(const std::string& procfs) {
    Paths paths;
    paths.procfs = procfs;
    UdpQueuesCollector collector(paths);
    status = collector.Collect({}, families);
  }
};

TEST(UdpQueuesCollectorTest, FixtureSums) {
  const Scrape scrape(test::FixturePath("proc"));
  ASSERT_TRUE(scrape.status.ok()) << scrape.status.message();
  ASSERT_EQ(scrape.families.size(), 1u);
  const auto& family = scrape.families[0];
  EXPECT_EQ(family.name, "node_udp_queues");
  EXPECT_EQ(family.type, prometheus::MetricType::Gauge);
  EXPECT_EQ(family.help, "Number of allocated memory in the kernel for UDP datagrams in bytes.");
  ASSERT_EQ(family.metric.size(), 4u);
  // Every socket in the captured udp and udp6 has "00000000:00000000" queues.
  for (const char* ip : {"v4", "v6"}) {
    for (const char* queue : {"tx", "rx"}) {
      EXPECT_EQ(SampleValue(scrape.families, "node_udp_queues", {{"ip", ip}, {"queue", queue}}), 0)
          << ip << " " << queue;
    }
  }
}

TEST(UdpQueuesCollectorTest, NonZeroQueuesAndMissingUdp6) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/udp",
                  std::string(kHeader) +
                      "  1: 0100007F:4273 00000000:0000 07 00000010:00000A00 00:00000000 00000000 "
                      "    0        0 843132 2 000000005d7b5b8a 0\n"
                      "  2: 00000000:4275 00000000:0000 07 00000001:00000002 00:00000000 00000000 "
                      "    0        0 843134 2 00000000676ba043 0\n");
  const Scrape scrape(dir.path().string());
  ASSERT_TRUE(scrape.status.ok()) << scrape.status.message();
  ASSERT_EQ(scrape.families.size(), 1u);
  EXPECT_EQ(scrape.families[0].metric.size(), 2u);  // No udp6: no v6 samples, as node_exporter.
  EXPECT_EQ(SampleValue(scrape.families, "node_udp_queues", {{"ip", "v4"}, {"queue", "tx"}}),
            0x10 + 1);
  EXPECT_EQ(SampleValue(scrape.families, "node_udp_queues", {{"ip", "v4"}, {"queue", "rx"}}),
            0xA00 + 2);
}

TEST(UdpQueuesCollectorTest, BothMissingFail) {
  test::TempDir dir;
  const Scrape scrape(dir.path().string());
  EXPECT_FALSE(scrape.status.ok());
  EXPECT_NE(scrape.status.message().find("neither exists"), std::string::npos)
      << scrape.status.message();
  EXPECT_TRUE(scrape.families.empty());
}

TEST(UdpQueuesCollectorTest, MalformedUdp6FailsKeepingV4) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/udp", kHeader);
  test::WriteFile(dir.path() / "net/udp6", std::string(kHeader) + "garbage\n");
  const Scrape scrape(dir.path().string());
  ASSERT_FALSE(scrape.status.ok());
  EXPECT_NE(scrape.status.message().find(dir.Sub("net/udp6") + ": "), std::string::npos)
      << scrape.status.message();
  EXPECT_NE(scrape.status.message().find("line 2"), std::string::npos) << scrape.status.message();
  // What was read before the failure is still published, as node_exporter does.
  EXPECT_EQ(SampleValue(scrape.families, "node_udp_queues", {{"ip", "v4"}, {"queue", "rx"}}), 0);
}

}  // namespace
}  // namespace vitals::collectors
