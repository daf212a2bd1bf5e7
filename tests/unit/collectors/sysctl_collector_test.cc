#include "collectors/sysctl_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

Families CollectOk(const SysctlOptions& options, const Paths& paths = test::FixturePaths()) {
  SysctlCollector collector(paths, options);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

TEST(SysctlCollectorTest, NothingByDefault) { EXPECT_TRUE(CollectOk({}).empty()); }

TEST(SysctlCollectorTest, SingleIndexedAndMappedValues) {
  SysctlOptions options;
  options.include = {"vm.swappiness", "fs.file-nr", "fs.file-nr:allocated,unused,max"};
  const Families families = CollectOk(options);
  EXPECT_EQ(SampleValue(families, "node_sysctl_vm_swappiness", {}), 60);
  EXPECT_EQ(SampleValue(families, "node_sysctl_fs_file_nr", {{"index", "2"}}), 2466097);
  EXPECT_EQ(SampleValue(families, "node_sysctl_fs_file_nr_allocated", {}), 968);
  EXPECT_EQ(SampleValue(families, "node_sysctl_fs_file_nr_max", {}), 2466097);
  const auto* mapped = test::FindFamily(families, "node_sysctl_fs_file_nr_unused");
  ASSERT_NE(mapped, nullptr);
  EXPECT_EQ(mapped->help, "sysctl fs.file-nr, field 1");
  EXPECT_EQ(mapped->type, prometheus::MetricType::Untyped);
  EXPECT_EQ(test::FindFamily(families, "node_sysctl_fs_file_nr")->help, "sysctl fs.file-nr");
}

TEST(SysctlCollectorTest, InfoValues) {
  SysctlOptions options;
  options.include_info = {"kernel.seccomp.actions_avail", "kernel.random.entropy_avail"};
  const Families families = CollectOk(options);
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "node_sysctl_info");
  EXPECT_EQ(families[0].metric.size(), 8u);
  EXPECT_EQ(
      SampleValue(families, "node_sysctl_info",
                  {{"name", "kernel.seccomp.actions_avail"}, {"value", "allow"}, {"index", "6"}}),
      1);
  EXPECT_EQ(
      SampleValue(families, "node_sysctl_info",
                  {{"name", "kernel.random.entropy_avail"}, {"value", "256"}, {"index", "0"}}),
      1);
}

class SysctlTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::WriteFile(dir_.path() / "sys/t/hex", "0x10 010 -5\n");
    test::WriteFile(dir_.path() / "sys/t/two", "1 2\n");
    test::WriteFile(dir_.path() / "sys/t/one", "7\n");
    test::WriteFile(dir_.path() / "sys/t/empty", "\n");
    test::WriteFile(dir_.path() / "sys/t/words", "a b\n");
    test::WriteFile(dir_.path() / "sys/t/big", "9223372036854775808\n");
  }
  // The collector's status and the names of the families it published.
  std::pair<Status, std::vector<std::string>> Run(std::vector<std::string> include,
                                                  std::vector<std::string> info = {}) {
    Paths paths;
    paths.procfs = dir_.path().string();
    SysctlCollector collector(paths, {std::move(include), std::move(info)});
    families_.clear();
    const Status status = collector.Collect({}, families_);
    std::vector<std::string> names;
    for (const auto& family : families_) names.push_back(family.name);
    return {status, names};
  }

  test::TempDir dir_;
  Families families_;
};

TEST_F(SysctlTreeTest, GoIntegerSyntax) {
  const auto [status, names] = Run({"t.hex"});
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(SampleValue(families_, "node_sysctl_t_hex", {{"index", "0"}}), 16);
  EXPECT_EQ(SampleValue(families_, "node_sysctl_t_hex", {{"index", "1"}}), 8);
  EXPECT_EQ(SampleValue(families_, "node_sysctl_t_hex", {{"index", "2"}}), -5);
}

TEST_F(SysctlTreeTest, FailuresKeepWhatCameBefore) {
  for (const char* bad : {"t.missing", "t.empty", "t.words", "t.big", "t.two:x", "t.two:a,b,c",
                          "t.one:a", "t.one:"}) {
    const auto [status, names] = Run({"t.one", bad, "t.two"});
    EXPECT_FALSE(status.ok()) << bad;
    EXPECT_EQ(names, (std::vector<std::string>{"node_sysctl_t_one"})) << bad;
  }
  // Text values cannot be mapped to keys.
  EXPECT_FALSE(Run({}, {"t.words:a,b"}).first.ok());
}

TEST_F(SysctlTreeTest, RepeatsAreDroppedLikeTheGoClient) {
  const auto [status, names] = Run({"t.two", "t.two", "t.two:a,a"}, {"t.words", "t.words"});
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(names, (std::vector<std::string>{"node_sysctl_t_two", "node_sysctl_t_two_a",
                                             "node_sysctl_info"}));
  EXPECT_EQ(families_[0].metric.size(), 2u);
  EXPECT_EQ(SampleValue(families_, "node_sysctl_t_two_a", {}), 1);
  EXPECT_EQ(families_[2].metric.size(), 2u);
}

}  // namespace
}  // namespace vitals::collectors
