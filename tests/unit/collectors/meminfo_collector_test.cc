#include "collectors/meminfo_collector.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(MeminfoCollectorTest, FixtureOneGaugePerLine) {
  MeminfoCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();

  // "Active(anon):       1504 kB" and "MemAvailable:   24329664 kB" in the fixture.
  EXPECT_EQ(SampleValue(families, "node_memory_Active_anon_bytes"), 1504.0 * 1024);
  EXPECT_EQ(SampleValue(families, "node_memory_MemAvailable_bytes"), 24329664.0 * 1024);
  // "HugePages_Total:       0" has no unit: no _bytes suffix.
  EXPECT_EQ(SampleValue(families, "node_memory_HugePages_Total"), 0);
  EXPECT_EQ(test::FindFamily(families, "node_memory_HugePages_Total_bytes"), nullptr);

  const auto lines = test::Lines(test::ReadFixture("proc/meminfo"));
  EXPECT_EQ(families.size(), lines.size());
  const std::regex valid_name("[a-zA-Z_:][a-zA-Z0-9_:]*");
  std::set<std::string> names;
  for (const auto& family : families) {
    EXPECT_TRUE(std::regex_match(family.name, valid_name)) << family.name;
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge);
    EXPECT_EQ(family.metric.size(), 1u);
    EXPECT_TRUE(names.insert(family.name).second) << "duplicate " << family.name;
  }
  EXPECT_EQ(test::FindFamily(families, "node_memory_MemTotal_bytes")->help,
            "Memory information field MemTotal_bytes.");
}

TEST(MeminfoCollectorTest, MissingFileFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  MeminfoCollector collector(paths);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

struct NameCase {
  const char* key;
  bool has_unit;
  const char* name;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const NameCase& c, std::ostream* os) { *os << c.key; }
};

class MeminfoMetricNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(MeminfoMetricNameTest, MatchesNodeExporter) {
  EXPECT_EQ(MeminfoCollector::MetricName(GetParam().key, GetParam().has_unit), GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MeminfoMetricNameTest,
    ::testing::Values(NameCase{"MemTotal", true, "node_memory_MemTotal_bytes"},
                      NameCase{"Active(anon)", true, "node_memory_Active_anon_bytes"},
                      NameCase{"Inactive(file)", true, "node_memory_Inactive_file_bytes"},
                      NameCase{"HugePages_Total", false, "node_memory_HugePages_Total"},
                      NameCase{"DirectMap4k", true, "node_memory_DirectMap4k_bytes"},
                      NameCase{"NFS_Unstable", true, "node_memory_NFS_Unstable_bytes"},
                      // Characters outside [a-zA-Z0-9_] would make an invalid name.
                      NameCase{"Odd-Key.x", false, "node_memory_Odd_Key_x"}));

}  // namespace
}  // namespace vitals::collectors
