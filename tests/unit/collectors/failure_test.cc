// Every collector that reads the kernel's files reports failure, not an empty success,
// when its directory is missing (wrong --path.procfs / --path.sysfs). textfile is not
// here: like node_exporter's, it reports a missing directory in
// node_textfile_scrape_error and succeeds (textfile_collector_test).
#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

class MissingDirectoryTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MissingDirectoryTest, CollectFails) {
  Paths paths;
  paths.procfs = test::FixturePath("no-such-proc");
  paths.sysfs = test::FixturePath("no-such-sys");
  paths.rootfs = test::FixturePath("no-such-rootfs");
  paths.udev_data = test::FixturePath("no-such-udev");
  const auto* spec = FindCollector(GetParam());
  ASSERT_NE(spec, nullptr);
  const auto collector = spec->make(paths, CollectorOptions::Defaults());
  Families families;
  const Status status = collector->Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no-such-"), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Collectors, MissingDirectoryTest,
    ::testing::Values("arp", "bcache", "bonding", "btrfs", "buddyinfo", "cgroups", "conntrack",
                      "cpu", "cpufreq", "diskstats", "dmi", "drbd", "edac", "entropy",
                      "fibrechannel", "filefd", "filesystem", "hwmon", "infiniband", "interrupts",
                      "ipvs", "ksmd", "lnstat", "loadavg", "mdadm", "meminfo", "meminfo_numa",
                      "mountstats", "netclass", "netdev", "netstat", "nfs", "nfsd", "nvme", "os",
                      "powersupplyclass", "pressure", "processes", "rapl", "schedstat", "selinux",
                      "slabinfo", "sockstat", "softnet", "stat", "tapestats", "tcpstat",
                      "thermal_zone", "udp_queues", "vmstat", "watchdog", "xfs", "zfs",
                      "zoneinfo"));

}  // namespace
}  // namespace vitals::collectors
