#include "collectors/entropy_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(EntropyCollectorTest, FixtureGauges) {
  EntropyCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(Value(families, "node_entropy_available_bits"),
            std::stod(test::ReadFixture("proc/sys/kernel/random/entropy_avail")));
  EXPECT_EQ(Value(families, "node_entropy_pool_size_bits"),
            std::stod(test::ReadFixture("proc/sys/kernel/random/poolsize")));
}

TEST(EntropyCollectorTest, MissingPoolSizeKeepsAvailableAndFails) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/kernel/random/entropy_avail", "3000\n");
  Paths paths;
  paths.procfs = dir.path().string();
  EntropyCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("sys/kernel/random/poolsize")), std::string::npos)
      << status.message();
  EXPECT_EQ(Value(families, "node_entropy_available_bits"), 3000);
  EXPECT_EQ(families.size(), 1u);
}

TEST(EntropyCollectorTest, MalformedValueFailsAndNamesTheFile) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/kernel/random/entropy_avail", "lots\n");
  test::WriteFile(dir.path() / "sys/kernel/random/poolsize", "256\n");
  Paths paths;
  paths.procfs = dir.path().string();
  EntropyCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("sys/kernel/random/entropy_avail")), std::string::npos)
      << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
