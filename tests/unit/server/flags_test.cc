#include "server/flags.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "collectors/diskstats_collector.h"
#include "collectors/filesystem_collector.h"
#include "collectors/netclass_collector.h"
#include "collectors/netdev_collector.h"
#include "collectors/registry.h"
#include "collectors/systemd_collector.h"
#include "collectors/textfile_collector.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using std::chrono::milliseconds;

// Owns argv-style strings for ParseFlags.
Result<Flags> Parse(std::initializer_list<const char*> args) {
  std::vector<std::string> storage(args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : storage) argv.push_back(arg.data());
  return ParseFlags(argv);
}

// node_exporter's default host collectors are on by default; "process_groups" only with
// a config; interrupts, processes and tcpstat are off, as in node_exporter.
std::vector<std::string> DefaultOn() {
  return {"arp",
          "bcache",
          "bonding",
          "btrfs",
          "conntrack",
          "cpu",
          "cpufreq",
          "diskstats",
          "dmi",
          "edac",
          "entropy",
          "fibrechannel",
          "filefd",
          "filesystem",
          "gpu",
          "hwmon",
          "infiniband",
          "ipvs",
          "loadavg",
          "mdadm",
          "meminfo",
          "netclass",
          "netdev",
          "netstat",
          "nfs",
          "nfsd",
          "nvme",
          "os",
          "powersupplyclass",
          "pressure",
          "rapl",
          "schedstat",
          "selinux",
          "sockstat",
          "softnet",
          "stat",
          "tapestats",
          "textfile",
          "thermal_zone",
          "time",
          "timex",
          "udp_queues",
          "uname",
          "vmstat",
          "xfs",
          "zfs"};
}

// node_exporter 1.5's off-by-default /proc and /sys collectors: off here too, on with
// --collector.<name>.
std::vector<std::string> NodeExporterOffByDefault() {
  return {"buddyinfo",    "cgroups",    "drbd",     "ksmd",   "lnstat",
          "meminfo_numa", "mountstats", "slabinfo", "sysctl", "zoneinfo"};
}

TEST(ParseFlagsTest, Defaults) {
  const auto flags = Parse({});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_TRUE(flags->listen_addresses.empty());
  EXPECT_EQ(flags->telemetry_path, "/metrics");
  EXPECT_EQ(flags->max_requests, 128);
  EXPECT_FALSE(flags->config_file.has_value());
  EXPECT_EQ(flags->paths.procfs, "/proc");
  EXPECT_EQ(flags->paths.sysfs, "/sys");
  EXPECT_EQ(flags->paths.rootfs, "/");
  EXPECT_EQ(flags->paths.udev_data, "/run/udev/data");
  EXPECT_FALSE(flags->disable_defaults);
  EXPECT_TRUE(flags->collector_switches.empty());
  EXPECT_TRUE(flags->collector_settings.empty());
  EXPECT_EQ(flags->log_level, "info");
  EXPECT_EQ(flags->log_format, "logfmt");
  EXPECT_FALSE(flags->config_check);
  EXPECT_FALSE(flags->show_version);
  EXPECT_FALSE(flags->show_help);
  EXPECT_STREQ(kDefaultListenAddress, ":10100");
}

TEST(ParseFlagsTest, EqualsAndSeparateValueAreTheSame) {
  const auto joined = Parse({"--path.procfs=/host/proc", "--web.telemetry-path=/m",
                             "--config.file=/etc/vitals.yml", "--log.level=debug"});
  const auto separate = Parse({"--path.procfs", "/host/proc", "--web.telemetry-path", "/m",
                               "--config.file", "/etc/vitals.yml", "--log.level", "debug"});
  for (const auto* flags : {&joined, &separate}) {
    ASSERT_TRUE(flags->ok()) << flags->error();
    EXPECT_EQ((*flags)->paths.procfs, "/host/proc");
    EXPECT_EQ((*flags)->telemetry_path, "/m");
    EXPECT_EQ((*flags)->config_file, "/etc/vitals.yml");
    EXPECT_EQ((*flags)->log_level, "debug");
  }
}

TEST(ParseFlagsTest, EveryPathFlag) {
  const auto flags =
      Parse({"--path.procfs=p", "--path.sysfs=s", "--path.rootfs=r", "--path.udev.data=u",
             "--web.max-requests=7", "--log.format=json", "--config.check", "--version"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_EQ(flags->paths.procfs, "p");
  EXPECT_EQ(flags->paths.sysfs, "s");
  EXPECT_EQ(flags->paths.rootfs, "r");
  EXPECT_EQ(flags->paths.udev_data, "u");
  EXPECT_EQ(flags->max_requests, 7);
  EXPECT_EQ(flags->log_format, "json");
  EXPECT_TRUE(flags->config_check);
  EXPECT_TRUE(flags->show_version);
}

TEST(ParseFlagsTest, ValueMayContainEqualsOrLookLikeAFlag) {
  const auto flags =
      Parse({"--collector.netdev.device-exclude=^(a=b)$", "--path.rootfs", "--weird-dir"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_EQ(flags->collector_settings.at("collector.netdev.device-exclude"), "^(a=b)$");
  EXPECT_EQ(flags->paths.rootfs, "--weird-dir");
}

TEST(ParseFlagsTest, ListenAddressIsRepeatable) {
  const auto flags = Parse({"--web.listen-address=127.0.0.1:9100", "--web.listen-address",
                            "[::1]:9100", "--web.listen-address=:0"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_EQ(flags->listen_addresses,
            (std::vector<std::string>{"127.0.0.1:9100", "[::1]:9100", ":0"}));
}

TEST(ParseFlagsTest, CollectorSwitchesInOrder) {
  const auto flags = Parse({"--no-collector.cpu", "--collector.disable-defaults",
                            "--collector.meminfo", "--collector.cpu"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_TRUE(flags->disable_defaults);
  EXPECT_EQ(flags->collector_switches, (std::vector<std::pair<std::string, bool>>{
                                           {"cpu", false}, {"meminfo", true}, {"cpu", true}}));
}

TEST(ParseFlagsTest, CollectorSettingsAreKept) {
  const auto flags = Parse(
      {"--collector.filesystem.mount-timeout=2s", "--collector.diskstats.device-include", "^sd"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_EQ(flags->collector_settings,
            (std::map<std::string, std::string>{{"collector.filesystem.mount-timeout", "2s"},
                                                {"collector.diskstats.device-include", "^sd"}}));
}

TEST(ParseFlagsTest, BooleanCollectorSettingAndItsNoForm) {
  // kingpin's boolean flags in node_exporter: --collector.stat.softirq and
  // --no-collector.stat.softirq, the last one given wins.
  const auto on = Parse({"--no-collector.stat.softirq", "--collector.stat.softirq"});
  ASSERT_TRUE(on.ok()) << on.error();
  EXPECT_EQ(on->collector_settings,
            (std::map<std::string, std::string>{{"collector.stat.softirq", "true"}}));
  const auto off = Parse({"--collector.stat.softirq", "--no-collector.stat.softirq"});
  ASSERT_TRUE(off.ok()) << off.error();
  EXPECT_EQ(off->collector_settings,
            (std::map<std::string, std::string>{{"collector.stat.softirq", "false"}}));
  EXPECT_TRUE(off->collector_switches.empty());  // Not a collector switch.
  EXPECT_NE(Usage().find("--[no-]collector.stat.softirq "), std::string::npos);
}

TEST(ParseFlagsTest, HelpSpellings) {
  for (const char* arg : {"-h", "--help"}) {
    const auto flags = Parse({arg});
    ASSERT_TRUE(flags.ok()) << flags.error();
    EXPECT_TRUE(flags->show_help) << arg;
  }
}

struct BadFlags {
  const char* name;
  std::vector<const char*> args;
  const char* says;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadFlags& c, std::ostream* os) { *os << c.name; }
};

class ParseFlagsErrorTest : public ::testing::TestWithParam<BadFlags> {};

TEST_P(ParseFlagsErrorTest, IsAnErrorNamingTheFlag) {
  std::vector<std::string> storage(GetParam().args.begin(), GetParam().args.end());
  std::vector<char*> argv;
  for (auto& arg : storage) argv.push_back(arg.data());
  const auto flags = ParseFlags(argv);
  ASSERT_FALSE(flags.ok());
  EXPECT_NE(flags.error().find(GetParam().says), std::string::npos) << flags.error();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseFlagsErrorTest,
    ::testing::Values(
        BadFlags{"UnknownFlag", {"--web.listen-adress=:1"}, "unknown flag --web.listen-adress"},
        BadFlags{"UnknownCollector", {"--collector.tpu"}, "unknown collector 'tpu'"},
        BadFlags{"UnknownDisabledCollector", {"--no-collector.tpu"}, "unknown collector 'tpu'"},
        BadFlags{"SwitchWithValue", {"--collector.cpu=false"}, "unknown flag --collector.cpu"},
        BadFlags{"MissingValue", {"--path.procfs"}, "--path.procfs needs a value"},
        BadFlags{"MissingValueAfterOthers",
                 {"--collector.cpu", "--config.file"},
                 "--config.file needs a value"},
        BadFlags{"BadLogLevel", {"--log.level=trace"}, "--log.level: invalid value 'trace'"},
        BadFlags{"BadLogFormat", {"--log.format", "xml"}, "--log.format: invalid value 'xml'"},
        BadFlags{"BooleanWithValue", {"--version=yes"}, "--version takes no value"},
        BadFlags{"BooleanSettingWithValue",
                 {"--collector.stat.softirq=true"},
                 "--collector.stat.softirq takes no value"},
        BadFlags{"NoFormOfValueSetting",
                 {"--no-collector.vmstat.fields"},
                 "unknown collector 'vmstat.fields'"},
        BadFlags{"PositionalArgument", {"metrics"}, "unexpected argument 'metrics'"},
        BadFlags{"SingleDash", {"-version"}, "unexpected argument '-version'"},
        BadFlags{"TelemetryPathWithoutSlash", {"--web.telemetry-path=metrics"}, "start with '/'"},
        BadFlags{"ZeroMaxRequests", {"--web.max-requests=0"}, "--web.max-requests"},
        BadFlags{"TooManyMaxRequests", {"--web.max-requests=5000"}, "1..1024"},
        BadFlags{"NonNumericMaxRequests", {"--web.max-requests=lots"}, "1..1024"},
        BadFlags{"ErrorAfterGoodFlags", {"--path.procfs=/p", "--bogus"}, "unknown flag --bogus"}),
    test::ParamName());

TEST(UsageTest, MentionsEveryFlagAndCollector) {
  const std::string usage = Usage();
  for (const char* flag :
       {"--web.listen-address=ADDR", "--web.telemetry-path=PATH", "--config.file=FILE",
        "--path.procfs=PATH", "--path.rootfs=PATH", "--collector.disable-defaults",
        "--collector.filesystem.mount-timeout=DURATION", "--log.level=LEVEL", "--version"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
  for (const auto* each : collectors::AllCollectors()) {
    const auto& spec = *each;
    EXPECT_NE(usage.find("      " + std::string(spec.name) + " "), std::string::npos) << spec.name;
  }
}

class EnabledCollectorsTest : public ::testing::Test {
 protected:
  Flags FlagsFrom(std::initializer_list<const char*> args) {
    auto flags = Parse(args);
    EXPECT_TRUE(flags.ok()) << flags.error();
    return flags.ok() ? *flags : Flags{};
  }
  Config ConfigFrom(const char* yaml) {
    auto config = ParseConfig(yaml, "test.yml");
    EXPECT_TRUE(config.ok()) << config.error();
    return config.ok() ? *config : Config{};
  }
};

TEST_F(EnabledCollectorsTest, DefaultsEnableHostCollectors) {
  EXPECT_EQ(EnabledCollectors(FlagsFrom({}), Config{}), DefaultOn());
}

TEST_F(EnabledCollectorsTest, NodeExportersOffByDefaultCollectorsStayOff) {
  const auto defaults = EnabledCollectors(FlagsFrom({}), Config{});
  for (const std::string& name : NodeExporterOffByDefault()) {
    EXPECT_EQ(std::count(defaults.begin(), defaults.end(), name), 0) << name;
    const std::string flag = "--collector." + name;
    const auto on = EnabledCollectors(FlagsFrom({flag.c_str()}), Config{});
    EXPECT_EQ(std::count(on.begin(), on.end(), name), 1) << name;
  }
}

TEST_F(EnabledCollectorsTest, DisableDefaults) {
  EXPECT_TRUE(EnabledCollectors(FlagsFrom({"--collector.disable-defaults"}), Config{}).empty());
}

TEST_F(EnabledCollectorsTest, ConfigFileOverridesDisableDefaults) {
  EXPECT_EQ(EnabledCollectors(FlagsFrom({"--collector.disable-defaults"}),
                              ConfigFrom("collectors:\n  meminfo: {enabled: true}\n")),
            (std::vector<std::string>{"meminfo"}));
}

TEST_F(EnabledCollectorsTest, ConfigFileOverridesDefaults) {
  auto expected = DefaultOn();
  std::erase(expected, "netdev");
  EXPECT_EQ(EnabledCollectors(FlagsFrom({}), ConfigFrom("collectors:\n  netdev:\n    enabled: "
                                                        "false\n")),
            expected);
}

TEST_F(EnabledCollectorsTest, CommandLineOverridesConfigFile) {
  const Config config =
      ConfigFrom("collectors:\n  netdev: {enabled: false}\n  cpu: {enabled: true}\n");
  EXPECT_EQ(EnabledCollectors(FlagsFrom({"--collector.disable-defaults", "--collector.netdev",
                                         "--no-collector.cpu"}),
                              config),
            (std::vector<std::string>{"netdev"}));
}

TEST_F(EnabledCollectorsTest, LaterSwitchWins) {
  EXPECT_EQ(
      EnabledCollectors(FlagsFrom({"--collector.disable-defaults", "--no-collector.stat",
                                   "--collector.stat", "--collector.time", "--no-collector.time"}),
                        Config{}),
      (std::vector<std::string>{"stat"}));
}

TEST_F(EnabledCollectorsTest, NoCollectorAloneDisablesOnlyThatOne) {
  auto expected = DefaultOn();
  std::erase(expected, "uname");
  EXPECT_EQ(EnabledCollectors(FlagsFrom({"--no-collector.uname"}), Config{}), expected);
}

TEST(ApplyCollectorSettingsTest, ReplacesFiltersAndTimeout) {
  const auto flags = Parse(
      {"--collector.filesystem.mount-points-include=^/data",
       "--collector.filesystem.fs-types-exclude=^tmpfs$",
       "--collector.filesystem.mount-timeout=250ms", "--collector.diskstats.device-exclude=^dm-",
       "--collector.netdev.device-include=^eth", "--collector.netclass.ignored-devices=^lo$"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  Config config;
  const auto status = ApplyCollectorSettings(*flags, config);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto& options = config.collector_options;
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_points.include(), "^/data");
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_points.exclude(), "");
  EXPECT_FALSE(options.Get<collectors::FilesystemOptions>().mount_points.Ignored("/data/x"));
  EXPECT_TRUE(options.Get<collectors::FilesystemOptions>().mount_points.Ignored("/home"));
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().fs_types.exclude(), "^tmpfs$");
  EXPECT_FALSE(options.Get<collectors::FilesystemOptions>().fs_types.Ignored(
      "overlay"));  // Default replaced.
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_timeout, milliseconds(250));
  EXPECT_EQ(options.Get<collectors::DiskstatsOptions>().devices.exclude(), "^dm-");
  EXPECT_FALSE(options.Get<collectors::DiskstatsOptions>().devices.Ignored("sda1"));
  EXPECT_EQ(options.Get<collectors::NetdevOptions>().devices.include(), "^eth");
  EXPECT_TRUE(options.Get<collectors::NetclassOptions>().devices.Ignored("lo"));
  EXPECT_FALSE(options.Get<collectors::NetclassOptions>().devices.Ignored("eth0"));
}

TEST(ApplyCollectorSettingsTest, CommandLineOverridesConfigFile) {
  auto config = ParseConfig("collectors:\n  diskstats:\n    device_include: ^sd\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  const auto flags = Parse({"--collector.diskstats.device-include=^nvme"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  ASSERT_TRUE(ApplyCollectorSettings(*flags, *config).ok());
  EXPECT_EQ(config->collector_options.Get<collectors::DiskstatsOptions>().devices.include(),
            "^nvme");
}

// node_exporter 1.5 takes one directory (or glob); vitals takes the flag repeatedly,
// in order, and the command line replaces the config file's list.
TEST(ApplyCollectorSettingsTest, TextfileDirectoriesRepeatable) {
  auto config = ParseConfig("collectors:\n  textfile:\n    directories: [/from/file]\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<collectors::TextfileOptions>().directories,
            (std::vector<std::string>{"/from/file"}));
  const auto flags = Parse({"--collector.textfile.directory=/a", "--collector.textfile.directory",
                            "/b/*", "--collector.textfile.directory="});
  ASSERT_TRUE(flags.ok()) << flags.error();
  ASSERT_TRUE(ApplyCollectorSettings(*flags, *config).ok());
  EXPECT_EQ(config->collector_options.Get<collectors::TextfileOptions>().directories,
            (std::vector<std::string>{"/a", "/b/*", ""}));
}

TEST(ApplyCollectorSettingsTest, TextfileDefaultIsDebians) {
  Config config;
  ASSERT_TRUE(ApplyCollectorSettings(*Parse({}), config).ok());
  EXPECT_EQ(config.collector_options.Get<collectors::TextfileOptions>().directories,
            (std::vector<std::string>{"/var/lib/prometheus/node-exporter"}));
  // A non-repeatable setting still takes the last value.
  const auto flags =
      Parse({"--collector.diskstats.device-include=^a", "--collector.diskstats.device-include=^b"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_EQ(flags->collector_settings.at("collector.diskstats.device-include"), "^b");
}

TEST(ApplyCollectorSettingsTest, InvalidRegexIsAnErrorNamingTheFlag) {
  const auto flags = Parse({"--collector.netdev.device-exclude=(unclosed"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  Config config;
  const auto status = ApplyCollectorSettings(*flags, config);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("--collector.netdev.device-exclude"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("(unclosed"), std::string::npos) << status.message();
}

TEST(ApplyCollectorSettingsTest, IncludeAndExcludeTogetherIsAnError) {
  for (const std::string prefix :
       {"collector.filesystem.mount-points", "collector.filesystem.fs-types",
        "collector.diskstats.device", "collector.netdev.device"}) {
    const std::string include = "--" + prefix + "-include=^a";
    const std::string exclude = "--" + prefix + "-exclude=^b";
    const auto flags = Parse({exclude.c_str(), include.c_str()});
    ASSERT_TRUE(flags.ok()) << flags.error();
    Config config;
    const auto status = ApplyCollectorSettings(*flags, config);
    ASSERT_FALSE(status.ok()) << prefix;
    EXPECT_NE(status.message().find("--" + prefix + "-include"), std::string::npos)
        << status.message();
    EXPECT_NE(status.message().find("--" + prefix + "-exclude"), std::string::npos)
        << status.message();
    EXPECT_NE(status.message().find("mutually exclusive"), std::string::npos) << status.message();
  }
}

TEST(ApplyCollectorSettingsTest, BooleanSettingAndItsNoForm) {
  // node_exporter (kingpin): --collector.netclass.ignore-invalid-speed and its --no- form;
  // the last one wins over the config file.
  auto config = ParseConfig("collectors:\n  netclass:\n    ignore_invalid_speed: true\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  const auto flags = Parse({"--collector.netclass.ignore-invalid-speed",
                            "--no-collector.netclass.ignore-invalid-speed"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  ASSERT_TRUE(ApplyCollectorSettings(*flags, *config).ok());
  EXPECT_FALSE(config->collector_options.Get<collectors::NetclassOptions>().ignore_invalid_speed);

  const auto on = Parse({"--collector.netclass.ignore-invalid-speed"});
  ASSERT_TRUE(on.ok()) << on.error();
  Config defaults;
  ASSERT_TRUE(ApplyCollectorSettings(*on, defaults).ok());
  EXPECT_TRUE(defaults.collector_options.Get<collectors::NetclassOptions>().ignore_invalid_speed);
}

// node_exporter's systemd collector takes both unit filters (include, then exclude).
TEST(ApplyCollectorSettingsTest, SystemdUnitIncludeAndExcludeCombine) {
  const auto flags = Parse({"--collector.systemd.unit-include=.+\\.service",
                            "--collector.systemd.unit-exclude=cron\\..+",
                            "--collector.systemd.enable-task-metrics"});
  ASSERT_TRUE(flags.ok()) << flags.error();
  Config config;
  const auto status = ApplyCollectorSettings(*flags, config);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto& options = config.collector_options.Get<collectors::SystemdOptions>();
  EXPECT_EQ(options.unit_include.pattern(), "^(?:.+\\.service)$");
  EXPECT_EQ(options.unit_exclude.pattern(), "^(?:cron\\..+)$");
  EXPECT_TRUE(options.enable_task_metrics);
  EXPECT_FALSE(options.enable_restarts_metrics);

  // kingpin's --no- form turns a boolean off again; the last one wins.
  const auto off = Parse(
      {"--collector.systemd.enable-task-metrics", "--no-collector.systemd.enable-task-metrics"});
  ASSERT_TRUE(off.ok()) << off.error();
  Config off_config;
  ASSERT_TRUE(ApplyCollectorSettings(*off, off_config).ok());
  EXPECT_FALSE(off_config.collector_options.Get<collectors::SystemdOptions>().enable_task_metrics);
}

TEST(ApplyCollectorSettingsTest, InvalidDurationIsAnError) {
  for (const char* value : {"5", "soon", "0s", "-1s"}) {
    const auto flags = Parse({"--collector.filesystem.mount-timeout", value});
    ASSERT_TRUE(flags.ok()) << flags.error();
    Config config;
    const auto status = ApplyCollectorSettings(*flags, config);
    ASSERT_FALSE(status.ok()) << value;
    EXPECT_NE(status.message().find("--collector.filesystem.mount-timeout"), std::string::npos)
        << status.message();
  }
}

}  // namespace
}  // namespace vitals::server
