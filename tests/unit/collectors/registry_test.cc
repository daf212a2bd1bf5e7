#include "collectors/registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "collectors/diskstats_collector.h"
#include "collectors/filesystem_collector.h"
#include "collectors/gpu_collector.h"
#include "collectors/netclass_collector.h"
#include "collectors/netdev_collector.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

TEST(RegistryTest, ListsEveryCollectorOnce) {
  std::set<std::string> names;
  for (const auto* each : AllCollectors()) {
    const auto& spec = *each;
    EXPECT_TRUE(names.insert(std::string(spec.name)).second) << spec.name;
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    // Host collectors are on by default, as in node_exporter, except those node_exporter
    // leaves off (interrupts, processes, systemd, tcpstat and the /proc and /sys readers
    // below); process_groups, ports and probes need
    // a config. gpu is on: without NVML it costs one failed dlopen().
    const std::set<std::string> off = {"buddyinfo",  "cgroups",  "drbd",           "interrupts",
                                       "ksmd",       "lnstat",   "meminfo_numa",   "mountstats",
                                       "ports",      "probes",   "process_groups", "processes",
                                       "slabinfo",   "sysctl",   "systemd",        "tcpstat",
                                       "thresholds", "watchdog", "zoneinfo"};
    EXPECT_EQ(spec.enabled_by_default, !off.contains(std::string(spec.name))) << spec.name;
    EXPECT_EQ(FindCollector(spec.name), &spec);
  }
  EXPECT_EQ(names, (std::set<std::string>{"arp",
                                          "bcache",
                                          "bonding",
                                          "btrfs",
                                          "buddyinfo",
                                          "cgroups",
                                          "conntrack",
                                          "cpu",
                                          "cpufreq",
                                          "diskstats",
                                          "dmi",
                                          "drbd",
                                          "edac",
                                          "entropy",
                                          "fibrechannel",
                                          "filefd",
                                          "filesystem",
                                          "gpu",
                                          "hwmon",
                                          "infiniband",
                                          "interrupts",
                                          "ipvs",
                                          "ksmd",
                                          "lnstat",
                                          "loadavg",
                                          "mdadm",
                                          "meminfo",
                                          "meminfo_numa",
                                          "mountstats",
                                          "netclass",
                                          "netdev",
                                          "netstat",
                                          "nfs",
                                          "nfsd",
                                          "nvme",
                                          "os",
                                          "ports",
                                          "powersupplyclass",
                                          "pressure",
                                          "probes",
                                          "process_groups",
                                          "processes",
                                          "rapl",
                                          "schedstat",
                                          "selinux",
                                          "slabinfo",
                                          "sockstat",
                                          "softnet",
                                          "stat",
                                          "sysctl",
                                          "systemd",
                                          "tapestats",
                                          "tcpstat",
                                          "textfile",
                                          "thermal_zone",
                                          "thresholds",
                                          "time",
                                          "timex",
                                          "udp_queues",
                                          "uname",
                                          "vmstat",
                                          "watchdog",
                                          "xfs",
                                          "zfs",
                                          "zoneinfo"}));
  EXPECT_EQ(FindCollector("nope"), nullptr);
  EXPECT_EQ(FindCollector(""), nullptr);
  EXPECT_EQ(FindCollector("CPU"), nullptr);
}

TEST(RegistryTest, EveryFactoryCollectsOnTheFixture) {
  CollectorOptions options = CollectorOptions::Defaults();
  options.Get<collectors::GpuOptions>().library =
      "/nonexistent/libnvidia-ml.so.1";  // The fixture host has no GPU.
  for (const auto* each : AllCollectors()) {
    const auto& spec = *each;
    // systemd asks the host's system bus, not the fixture (systemd_collector_test, e2e).
    if (spec.name == "systemd") continue;
    const auto collector = spec.make(test::FixturePaths(), options);
    ASSERT_NE(collector, nullptr) << spec.name;
    Families families;
    const Status status = collector->Collect({}, families);
    EXPECT_TRUE(status.ok()) << spec.name << ": " << status.message();
    size_t samples = 0;
    for (const auto& family : families) samples += family.metric.size();
    // Without configured targets there is nothing to probe (and no network in unit tests);
    // without NVML the gpu collector publishes nothing; thresholds need a thresholds: section.
    if (spec.name != "probes" && spec.name != "gpu" && spec.name != "thresholds" &&
        spec.name != "sysctl") {
      EXPECT_GT(samples, 0u) << spec.name;
    }
  }
}

TEST(CollectorOptionsTest, DefaultsAreNodeExporters) {
  const CollectorOptions options = CollectorOptions::Defaults();
  const auto& mounts = options.Get<collectors::FilesystemOptions>().mount_points;
  for (const char* ignored : {"/proc", "/proc/sys/fs/binfmt_misc", "/sys", "/dev", "/dev/shm",
                              "/run/credentials/x.service", "/var/lib/docker/overlay2/a",
                              "/var/lib/containers/storage/overlay"}) {
    EXPECT_TRUE(mounts.Ignored(ignored)) << ignored;
  }
  for (const char* kept : {"/", "/home", "/device", "/var/lib/docker", "/run", "/srv/proc"}) {
    EXPECT_FALSE(mounts.Ignored(kept)) << kept;
  }
  const auto& types = options.Get<collectors::FilesystemOptions>().fs_types;
  for (const char* ignored : {"overlay", "cgroup", "cgroup2", "proc", "sysfs", "tracefs"}) {
    EXPECT_TRUE(types.Ignored(ignored)) << ignored;
  }
  for (const char* kept : {"ext4", "xfs", "tmpfs", "vfat", "nfs4", "overlayfs2"}) {
    EXPECT_FALSE(types.Ignored(kept)) << kept;
  }
  const auto& disks = options.Get<collectors::DiskstatsOptions>().devices;
  for (const char* ignored : {"loop0", "ram1", "sda1", "vda1", "xvdb2", "hdc3", "nvme0n1p1"}) {
    EXPECT_TRUE(disks.Ignored(ignored)) << ignored;
  }
  for (const char* kept : {"sda", "vda", "nvme0n1", "dm-0", "md0", "zram0", "mmcblk0"}) {
    EXPECT_FALSE(disks.Ignored(kept)) << kept;
  }
  EXPECT_FALSE(options.Get<collectors::NetdevOptions>().devices.Ignored("lo"));
  EXPECT_FALSE(options.Get<collectors::NetclassOptions>().devices.Ignored("lo"));
  EXPECT_FALSE(options.Get<collectors::NetclassOptions>().ignore_invalid_speed);
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().mount_timeout.count(), 5000);
  EXPECT_EQ(options.Get<collectors::FilesystemOptions>().stat_workers, 4);
}

}  // namespace
}  // namespace vitals::collectors
