#include "collectors/ipvs_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(IpvsCollectorTest, FixtureTotalsAndBackends) {
  IpvsCollector collector(test::FixturePaths(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/proc/net/ip_vs_stats: hexadecimal.
  EXPECT_EQ(Value(families, "node_ipvs_connections_total"), 0x16AA370);
  EXPECT_EQ(Value(families, "node_ipvs_incoming_bytes_total"), 0x51D8C8883AB3);
  EXPECT_EQ(Value(families, "node_ipvs_outgoing_packets_total"), 0);
  const test::LabelMap fwm = {
      {"local_address", ""},   {"local_port", "0"}, {"remote_address", "192.168.50.26"},
      {"remote_port", "3306"}, {"proto", "FWM"},    {"local_mark", "10001000"}};
  EXPECT_EQ(Value(families, "node_ipvs_backend_connections_inactive", fwm), 1);
  const test::LabelMap v6 = {
      {"local_address", "2620::1"}, {"local_port", "80"}, {"remote_address", "2620::4"},
      {"remote_port", "80"},        {"proto", "TCP"},     {"local_mark", ""}};
  EXPECT_EQ(Value(families, "node_ipvs_backend_connections_active", v6), 1);
  EXPECT_EQ(Value(families, "node_ipvs_backend_weight", v6), 1);
  EXPECT_EQ(test::FindFamily(families, "node_ipvs_backend_weight")->metric.size(), 17u);
}

TEST(IpvsCollectorTest, BackendLabelsSumBackends) {
  IpvsOptions options;
  options.backend_labels = *ParseIpvsBackendLabels("proto,,local_address");
  IpvsCollector collector(test::FixturePaths(), options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  // The three backends of 192.168.0.57 (C0A80039): 0 + 1499 + 1498 active.
  EXPECT_EQ(Value(families, "node_ipvs_backend_connections_active",
                  {{"local_address", "192.168.0.57"}, {"proto", "TCP"}}),
            2997);
  EXPECT_EQ(Value(families, "node_ipvs_backend_weight", {{"local_address", ""}, {"proto", "FWM"}}),
            0);
  EXPECT_EQ(test::FindFamily(families, "node_ipvs_backend_weight")->metric.size(), 6u);

  options.backend_labels = *ParseIpvsBackendLabels("");
  IpvsCollector all(test::FixturePaths(), options);
  families.clear();
  ASSERT_TRUE(all.Collect({}, families).ok());
  // Every backend in one unlabelled sample: 3*248 + 2997 + 0 + 1 + 0 + 4*2.
  EXPECT_EQ(Value(families, "node_ipvs_backend_connections_active"), 744 + 2997 + 1 + 8);
}

TEST(IpvsCollectorTest, ParseBackendLabels) {
  EXPECT_EQ(*ParseIpvsBackendLabels("local_mark,proto,remote_port,remote_address,local_port,"
                                    "local_address"),
            IpvsOptions().backend_labels);
  EXPECT_EQ(*ParseIpvsBackendLabels("proto,proto"), std::vector<std::string>{"proto"});
  const auto bad = ParseIpvsBackendLabels("proto,zz,bogus");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "unknown IPVS backend labels: \"bogus, zz\"");
}

TEST(IpvsCollectorTest, AbsentAndMalformed) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  {
    IpvsCollector collector(paths, {});
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  // Totals without the backends file: the totals, then a failure (node_exporter's order).
  test::WriteFile(dir.path() / "net/ip_vs_stats", "h\nh\n 1 2 3 4 5\n");
  {
    IpvsCollector collector(paths, {});
    Families families;
    EXPECT_FALSE(collector.Collect({}, families).ok());
    EXPECT_EQ(Value(families, "node_ipvs_outgoing_bytes_total"), 5);
  }
  test::WriteFile(dir.path() / "net/ip_vs", "TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA x 1 2 3\n");
  {
    IpvsCollector collector(paths, {});
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_EQ(families.size(), 8u);
  }
  test::WriteFile(dir.path() / "net/ip_vs_stats", "h\nh\n 1 2 3 4\n");
  IpvsCollector collector(paths, {});
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
  paths.procfs = dir.Sub("missing");
  IpvsCollector missing(paths, {});
  EXPECT_FALSE(missing.Collect({}, families).ok());
}

}  // namespace
}  // namespace vitals::collectors
