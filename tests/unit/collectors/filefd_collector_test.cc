#include "collectors/filefd_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(FilefdCollectorTest, FixtureGauges) {
  FilefdCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto tokens = test::Tokens(test::ReadFixture("proc/sys/fs/file-nr"));
  ASSERT_EQ(tokens.size(), 3u);
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(Value(families, "node_filefd_allocated"), std::stod(tokens[0]));
  EXPECT_EQ(Value(families, "node_filefd_maximum"), std::stod(tokens[2]));
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
  }
}

TEST(FilefdCollectorTest, MalformedFileFailsAndNamesIt) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/fs/file-nr", "968 0\n");
  Paths paths;
  paths.procfs = dir.path().string();
  FilefdCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("sys/fs/file-nr")), std::string::npos)
      << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
