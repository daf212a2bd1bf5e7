#include "server/config.h"

#include <gtest/gtest.h>

#include <ostream>
#include <regex>
#include <string>

#include "collectors/diskstats_collector.h"
#include "collectors/filesystem_collector.h"
#include "collectors/netclass_collector.h"
#include "collectors/netdev_collector.h"
#include "collectors/systemd_collector.h"
#include "server/config_error_case.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using std::chrono::milliseconds;

TEST(ParseConfigTest, EmptyDocumentIsDefaults) {
  const auto defaults = collectors::CollectorOptions::Defaults();
  for (const char* yaml : {"", "\n", "# nothing configured\n", "---\n"}) {
    const auto config = ParseConfig(yaml, "empty.yml");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_TRUE(config->enabled.empty());
    EXPECT_EQ(config->source, "empty.yml");
    const auto& options = config->collector_options;
    EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_points.exclude(),
              defaults.Get<collectors::FilesystemOptions>().mount_points.exclude());
    EXPECT_EQ(options.Get<collectors::FilesystemOptions>().fs_types.exclude(),
              defaults.Get<collectors::FilesystemOptions>().fs_types.exclude());
    EXPECT_EQ(options.Get<collectors::DiskstatsOptions>().devices.exclude(),
              defaults.Get<collectors::DiskstatsOptions>().devices.exclude());
    EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_timeout, milliseconds(5000));
    EXPECT_EQ(options.Get<collectors::FilesystemOptions>().stat_workers, 4);
    EXPECT_FALSE(options.Get<collectors::NetclassOptions>().ignore_invalid_speed);
  }
}

TEST(ParseConfigTest, NullSectionsKeepDefaults) {
  const auto config = ParseConfig("collectors:\n  cpu:\n  diskstats:\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->enabled.empty());
  EXPECT_TRUE(
      config->collector_options.Get<collectors::DiskstatsOptions>().devices.Ignored("sda1"));
}

TEST(ParseConfigTest, ValidConfigRoundTrip) {
  const auto config = ParseConfig(
      "collectors:\n"
      "  filesystem:\n"
      "    mount_points_exclude: \"^/(proc|sys)($|/)\"\n"
      "    fs_types_include: ^(ext4|xfs)$\n"
      "    mount_timeout: 1m30s\n"
      "    stat_workers: 8\n"
      "  diskstats:\n"
      "    device_include: ^sd[a-z]$\n"
      "  netdev:\n"
      "    enabled: false\n"
      "    device_exclude: ^veth\n"
      "  netclass:\n"
      "    ignore_invalid_speed: true\n"
      "    device_include: ^eth\n"
      "  cpu:\n"
      "    enabled: yes\n"
      "  uname: {enabled: off}\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->source, "vitals.yml");
  EXPECT_EQ(config->enabled, (std::map<std::string, bool, std::less<>>{
                                 {"cpu", true}, {"netdev", false}, {"uname", false}}));
  const auto& options = config->collector_options;

  // Filters given in the file replace the defaults.
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_points.exclude(),
            "^/(proc|sys)($|/)");
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_points.include(), "");
  EXPECT_TRUE(options.Get<collectors::FilesystemOptions>().mount_points.Ignored("/proc"));
  EXPECT_FALSE(options.Get<collectors::FilesystemOptions>().mount_points.Ignored(
      "/dev"));  // Default no longer applies.
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().fs_types.include(), "^(ext4|xfs)$");
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().fs_types.exclude(), "");
  EXPECT_TRUE(options.Get<collectors::FilesystemOptions>().fs_types.Ignored("tmpfs"));
  EXPECT_FALSE(options.Get<collectors::FilesystemOptions>().fs_types.Ignored("xfs"));
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_timeout, milliseconds(90000));
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().stat_workers, 8);

  EXPECT_EQ(options.Get<collectors::DiskstatsOptions>().devices.include(), "^sd[a-z]$");
  EXPECT_TRUE(options.Get<collectors::DiskstatsOptions>().devices.Ignored("sda1"));
  EXPECT_TRUE(options.Get<collectors::DiskstatsOptions>().devices.Ignored("vda"));
  EXPECT_FALSE(options.Get<collectors::DiskstatsOptions>().devices.Ignored("sdb"));

  EXPECT_EQ(options.Get<collectors::NetdevOptions>().devices.exclude(), "^veth");
  EXPECT_TRUE(options.Get<collectors::NetdevOptions>().devices.Ignored("veth0"));
  EXPECT_EQ(options.Get<collectors::NetclassOptions>().devices.include(), "^eth");
  EXPECT_TRUE(options.Get<collectors::NetclassOptions>().ignore_invalid_speed);
}

TEST(ParseConfigTest, UnsetFilterKeepsItsDefault) {
  const auto config = ParseConfig("collectors:\n  filesystem:\n    stat_workers: 2\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<collectors::FilesystemOptions>().mount_points.exclude(),
            collectors::kDefaultMountPointsExclude);
  EXPECT_TRUE(
      config->collector_options.Get<collectors::FilesystemOptions>().fs_types.Ignored("overlay"));
  EXPECT_EQ(config->collector_options.Get<collectors::FilesystemOptions>().stat_workers, 2);
}

TEST(ParseConfigTest, SystemdSettings) {
  const auto config = ParseConfig(
      "collectors:\n"
      "  systemd:\n"
      "    enabled: true\n"
      "    unit_include: .+\\.service\n"
      "    unit_exclude: cron\\..+\n"
      "    enable_restarts_metrics: true\n"
      "    enable_cgroup_metrics: true\n"
      "    timeout: 2s\n",
      "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  const auto& options = config->collector_options.Get<collectors::SystemdOptions>();
  EXPECT_EQ(options.unit_include.pattern(), "^(?:.+\\.service)$");
  EXPECT_EQ(options.unit_exclude.pattern(), "^(?:cron\\..+)$");
  EXPECT_TRUE(options.enable_restarts_metrics);
  EXPECT_TRUE(options.enable_cgroup_metrics);
  EXPECT_FALSE(options.enable_task_metrics);
  EXPECT_EQ(options.timeout, milliseconds(2000));
}

class ParseConfigErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(ParseConfigErrorTest, PointsAtTheOffendingToken) { test::ExpectErrorAtToken(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseConfigErrorTest,
    ::testing::Values(
        test::ErrorCase{"SystemdBadUnitPattern",
                        "collectors:\n  systemd:\n    unit_exclude: \"(bad\"\n", "\"(bad",
                        "invalid regular expression '(bad'"},
        // Compiles alone; anchored, its comment swallows the closing ")$".
        test::ErrorCase{"SystemdUnitPatternBrokenByAnchors",
                        "collectors:\n  systemd:\n    unit_include: \"(?x)a #\"\n", "\"(?x)",
                        "invalid regular expression '^(?:(?x)a #)$'"},
        test::ErrorCase{"UnknownTopLevelKey", "collectors:\n  cpu: {}\ncolectors:\n  - x\n",
                        "colectors", "unknown key 'colectors'"},
        test::ErrorCase{"TopLevelNotAMapping", "- collectors\n", "- collectors",
                        "must be a mapping"},
        test::ErrorCase{"CollectorsNotAMapping", "collectors: [cpu, meminfo]\n", "[cpu",
                        "collectors must be a mapping, got a list"},
        test::ErrorCase{"UnknownCollector", "collectors:\n  cpu:\n    enabled: true\n  cpuu:\n",
                        "cpuu", "unknown collector 'cpuu'"},
        test::ErrorCase{"CollectorNotAMapping", "collectors:\n  meminfo: true\n", "true",
                        "collectors.meminfo must be a mapping"},
        test::ErrorCase{
            "UnknownKeyInCollector",
            "collectors:\n  filesystem:\n    mount_timeout: 5s\n    mount_point_exclude: x\n",
            "mount_point_exclude", "unknown key 'mount_point_exclude'"},
        test::ErrorCase{"UnknownKeyInCollectorWithoutOptions",
                        "collectors:\n  loadavg:\n    enabled: true\n    interval: 5s\n",
                        "interval", "in collectors.loadavg"},
        test::ErrorCase{"EnabledNotABool", "collectors:\n  cpu:\n    enabled: \"maybe\"\n",
                        "\"maybe\"", "enabled must be true or false, got 'maybe'"},
        test::ErrorCase{"EnabledIsAList", "collectors:\n  cpu:\n    enabled: [true]\n", "[true]",
                        "enabled must be true or false, got a list"},
        test::ErrorCase{
            "ListWhereStringExpected",
            "collectors:\n  diskstats:\n    device_include:\n      - sda\n      - sdb\n", "- sda",
            "device_include must be a string, got a list"},
        test::ErrorCase{"MapWhereStringExpected",
                        "collectors:\n  netdev:\n    device_exclude: {a: b}\n", "{a: b}",
                        "device_exclude must be a string, got a mapping"},
        test::ErrorCase{"InvalidRegex", "collectors:\n  netdev:\n    device_exclude: \"^(veth\"\n",
                        "\"^(veth", "invalid regular expression '^(veth'"},
        test::ErrorCase{"InvalidRegexInFilesystem",
                        "collectors:\n  filesystem:\n    fs_types_include: \"[z-a]\"\n", "\"[z-a]",
                        "collectors.filesystem.fs_types"},
        test::ErrorCase{
            "IncludeAndExclude",
            "collectors:\n  diskstats:\n    device_exclude: ^loop\n    device_include: ^sd\n",
            "^sd", "mutually exclusive"},
        // Issue 12: 3000000h overflowed the statfs deadline (every mount device_error 1).
        test::ErrorCase{"HugeMountTimeout",
                        "collectors:\n  filesystem:\n    mount_timeout: 3000000h\n", "3000000h",
                        "mount_timeout must be at most 5m, got '3000000h'"},
        test::ErrorCase{"MountTimeoutOverItsCap",
                        "collectors:\n  filesystem:\n    mount_timeout: 301s\n", "301s",
                        "mount_timeout must be at most 5m"},
        // Issue 12: a second YAML document was silently ignored.
        test::ErrorCase{"SecondDocument", "collectors:\n  cpu: {}\n---\ncollectors: {bogus: {}}\n",
                        "collectors: {bogus", "a second YAML document"},
        test::ErrorCase{"EmptySecondDocument", "collectors:\n  cpu: {}\n---\n", "---",
                        "a second YAML document"},
        test::ErrorCase{"BadDuration", "collectors:\n  filesystem:\n    mount_timeout: 5 seconds\n",
                        "5 seconds", "mount_timeout must be a positive duration"},
        test::ErrorCase{"DurationWithoutUnit", "collectors:\n  filesystem:\n    mount_timeout: 5\n",
                        "5\n", "mount_timeout must be a positive duration"},
        test::ErrorCase{"ZeroDuration", "collectors:\n  filesystem:\n    mount_timeout: 0s\n", "0s",
                        "positive duration"},
        test::ErrorCase{"ZeroStatWorkers", "collectors:\n  filesystem:\n    stat_workers: 0\n",
                        "0\n", "stat_workers must be a positive integer, got '0'"},
        test::ErrorCase{"NegativeStatWorkers", "collectors:\n  filesystem:\n    stat_workers: -3\n",
                        "-3", "stat_workers must be a positive integer"},
        test::ErrorCase{"FractionalStatWorkers",
                        "collectors:\n  filesystem:\n    stat_workers: 1.5\n", "1.5",
                        "stat_workers must be a positive integer"},
        test::ErrorCase{"IgnoreInvalidSpeedNotABool",
                        "collectors:\n  netclass:\n    ignore_invalid_speed: sometimes\n",
                        "sometimes", "ignore_invalid_speed must be true or false"},
        test::ErrorCase{"DuplicateTopLevelKey", "collectors: {}\ncollectors:\n  cpu: {}\n",
                        "collectors:\n", "duplicate key 'collectors' in the top level"},
        test::ErrorCase{"DuplicateCollector",
                        "collectors:\n  cpu: {}\n  meminfo: {}\n  cpu: {enabled: false}\n",
                        "cpu: {enabled", "duplicate key 'cpu' in collectors"},
        test::ErrorCase{"DuplicateKeyInCollector",
                        "collectors:\n  netclass:\n    ignore_invalid_speed: true\n"
                        "    ignore_invalid_speed: false\n",
                        "ignore_invalid_speed: false",
                        "duplicate key 'ignore_invalid_speed' in collectors.netclass"},
        test::ErrorCase{"NonScalarCollectorKey", "collectors:\n  [cpu, meminfo]: {}\n", "[cpu",
                        "keys in collectors must be plain names"},
        test::ErrorCase{"NonScalarTopLevelKey", "? [collectors]\n: {}\n", "[collectors]",
                        "keys in the top level must be plain names"},
        test::ErrorCase{"SyntaxBadIndentation",
                        "collectors:\n  cpu:\n    enabled: true\n   meminfo: {}\n", "meminfo",
                        "end of map not found"},
        test::ErrorCase{"SyntaxUnclosedFlowMap", "collectors: {cpu: {}\nlater: 1\n", "later",
                        "end of map flow not found"},
        test::ErrorCase{"SyntaxIllegalMapValue", "collectors:\n  cpu: enabled: true\n", ": true",
                        "illegal map value"}),
    test::ParamName());

TEST(LoadConfigFileTest, ReadsFileAndNamesItInErrors) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "good.yml", "collectors:\n  cpu:\n    enabled: false\n");
  const auto good = LoadConfigFile(dir.Sub("good.yml"));
  ASSERT_TRUE(good.ok()) << good.error();
  EXPECT_EQ(good->source, dir.Sub("good.yml"));
  EXPECT_EQ(good->enabled.at("cpu"), false);

  test::WriteFile(dir.path() / "bad.yml", "collectors:\n  cpu:\n    enabled: 3\n");
  const auto bad = LoadConfigFile(dir.Sub("bad.yml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().rfind(dir.Sub("bad.yml") + ":3:14: ", 0), 0u) << bad.error();
}

TEST(LoadConfigFileTest, DirectoryIsAnError) {
  test::TempDir dir;
  const auto config = LoadConfigFile(dir.path().string());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().rfind(dir.path().string() + ":1:1: ", 0), 0u) << config.error();
  EXPECT_NE(config.error().find("directory"), std::string::npos) << config.error();
}

TEST(LoadConfigFileTest, MissingFileIsAnError) {
  test::TempDir dir;
  const auto config = LoadConfigFile(dir.Sub("absent.yml"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error(), dir.Sub("absent.yml") + ":1:1: cannot open config file");
}

struct DurationCase {
  const char* text;
  std::optional<int64_t> ms;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const DurationCase& c, std::ostream* os) { *os << "\"" << c.text << "\""; }
};

class ParseDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ParseDurationTest, Parses) {
  const auto parsed = ParseDuration(GetParam().text);
  if (GetParam().ms) {
    ASSERT_TRUE(parsed.has_value()) << GetParam().text;
    EXPECT_EQ(parsed->count(), *GetParam().ms) << GetParam().text;
  } else {
    EXPECT_FALSE(parsed.has_value()) << GetParam().text << " -> " << parsed->count();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseDurationTest,
    ::testing::Values(DurationCase{"5s", 5000}, DurationCase{"250ms", 250},
                      DurationCase{"1m30s", 90000}, DurationCase{"2h", 7200000},
                      DurationCase{"1h1m1s1ms", 3661001}, DurationCase{"1.5s", 1500},
                      DurationCase{"0.5m", 30000}, DurationCase{"0s", 0},
                      DurationCase{"10s5s", 15000}, DurationCase{"", std::nullopt},
                      DurationCase{"5", std::nullopt}, DurationCase{"s", std::nullopt},
                      DurationCase{"5x", std::nullopt}, DurationCase{"5S", std::nullopt},
                      DurationCase{"5 s", std::nullopt}, DurationCase{" 5s", std::nullopt},
                      DurationCase{"5s ", std::nullopt}, DurationCase{"-1s", std::nullopt},
                      DurationCase{"1d", std::nullopt}, DurationCase{"5sms", std::nullopt},
                      DurationCase{"5us", std::nullopt}, DurationCase{"infs", std::nullopt},
                      DurationCase{"nanms", std::nullopt}, DurationCase{"1e300h", std::nullopt}));

}  // namespace
}  // namespace vitals::server
