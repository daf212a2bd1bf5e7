// The gpu collector's settings: collectors.gpu in the config file and the
// --collector.gpu.* flags (the flags win).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "collectors/filesystem_collector.h"
#include "collectors/gpu_collector.h"
#include "server/config.h"
#include "server/config_error_case.h"
#include "server/flags.h"

namespace vitals::server {
namespace {

using std::chrono::milliseconds;

Result<Flags> Parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  return ParseFlags(argv);
}

TEST(GpuConfigTest, DefaultsAreTheSonameAndFiveSeconds) {
  const Config config;
  EXPECT_EQ(config.collector_options.Get<collectors::GpuOptions>().library, "libnvidia-ml.so.1");
  EXPECT_EQ(config.collector_options.Get<collectors::GpuOptions>().timeout, milliseconds(5000));
}

TEST(GpuConfigTest, ConfigFileSetsLibraryTimeoutAndEnabled) {
  const auto config = ParseConfig(
      "collectors:\n  gpu:\n    enabled: false\n    library: /opt/nvidia/libnvidia-ml.so.1\n"
      "    timeout: 750ms\n",
      "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<collectors::GpuOptions>().library,
            "/opt/nvidia/libnvidia-ml.so.1");
  EXPECT_EQ(config->collector_options.Get<collectors::GpuOptions>().timeout, milliseconds(750));
  EXPECT_EQ(config->enabled.at("gpu"), false);
}

TEST(GpuConfigTest, FlagsOverrideTheConfigFile) {
  auto config = ParseConfig(
      "collectors:\n  gpu:\n    library: /a/libnvidia-ml.so.1\n    timeout: 1s\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  const auto flags =
      Parse({"--collector.gpu.library=/b/libfake.so", "--collector.gpu.timeout", "2s"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  ASSERT_TRUE(ApplyCollectorSettings(*flags, *config).ok());
  EXPECT_EQ(config->collector_options.Get<collectors::GpuOptions>().library, "/b/libfake.so");
  EXPECT_EQ(config->collector_options.Get<collectors::GpuOptions>().timeout, milliseconds(2000));
  // The filesystem's timeout flag is a different setting.
  EXPECT_EQ(config->collector_options.Get<collectors::FilesystemOptions>().mount_timeout,
            milliseconds(5000));
}

TEST(GpuConfigTest, BadTimeoutFlagIsRefused) {
  const auto flags = Parse({"--collector.gpu.timeout=soon"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  Config config;
  const auto status = ApplyCollectorSettings(*flags, config);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("--collector.gpu.timeout"), std::string::npos)
      << status.message();
}

TEST(GpuConfigTest, UsageListsTheFlagsAndTheCollector) {
  const std::string usage = Usage();
  EXPECT_NE(usage.find("--collector.gpu.library=PATH"), std::string::npos);
  EXPECT_NE(usage.find("--collector.gpu.timeout=DURATION"), std::string::npos);
  EXPECT_NE(usage.find("gpu "), std::string::npos);
}

class GpuConfigErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(GpuConfigErrorTest, PointsAtTheOffendingToken) { test::ExpectErrorAtToken(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Errors, GpuConfigErrorTest,
    ::testing::Values(test::ErrorCase{"UnknownKey", "collectors:\n  gpu:\n    libary: x.so\n",
                                      "libary", "unknown key 'libary' in collectors.gpu"},
                      test::ErrorCase{"LibraryNotAString",
                                      "collectors:\n  gpu:\n    library: [a]\n", "[a]",
                                      "library must be a string"},
                      test::ErrorCase{"BadTimeout", "collectors:\n  gpu:\n    timeout: 0s\n", "0s",
                                      "timeout must be a positive duration"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace vitals::server
