#include "collectors/filesystem_collector.h"

#include <gtest/gtest.h>
#include <sys/statfs.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using std::chrono::milliseconds;
using test::LabelMap;
using test::SampleValue;

// The mounts of tests/fixtures/proc/1/mountinfo that node_exporter's default filters keep.
const LabelMap kRoot = {{"device", "/dev/vda"}, {"fstype", "ext4"}, {"mountpoint", "/"}};
const LabelMap kSandbox = {{"device", "model_tools_unavailable"},
                           {"fstype", "tmpfs"},
                           {"mountpoint", "/mnt/sandboxing/model_tools_env/v1/python"}};
const LabelMap kData = {
    {"device", "/dev/vdb1"}, {"fstype", "ext4"}, {"mountpoint", "/srv/data dir"}};
const LabelMap kBoot = {{"device", "/dev/vdb2"}, {"fstype", "vfat"}, {"mountpoint", "/boot"}};
const LabelMap kMissing = {{"device", "/dev/vdc"}, {"fstype", "xfs"}, {"mountpoint", "/missing"}};

FilesystemOptions DefaultOptions() {
  return CollectorOptions::Defaults().Get<collectors::FilesystemOptions>();
}

TEST(FilesystemCollectorTest, FixtureMountsWithRealStatfs) {
  FilesystemCollector collector(test::FixturePaths(), DefaultOptions());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();

  const auto* device_error = test::FindFamily(families, "node_filesystem_device_error");
  ASSERT_NE(device_error, nullptr);
  EXPECT_EQ(test::LabelSets(*device_error),
            (std::vector<LabelMap>{kRoot, kSandbox, kData, kBoot, kMissing}));
  // /missing has no directory under rootfs/: statfs fails.
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", kMissing), 1);
  EXPECT_EQ(SampleValue(families, "node_filesystem_size_bytes", kMissing), std::nullopt);
  for (const auto& labels : {kRoot, kSandbox, kData, kBoot}) {
    EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", labels), 0)
        << labels.at("mountpoint");
  }
  // /boot is "ro,nosuid" per mount; the sandbox tmpfs is "ro" too; the rest are rw.
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", kBoot), 1);
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", kSandbox), 1);
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", kRoot), 0);
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", kData), 0);
  // node_exporter 1.5 publishes only device_error for a mount it could not stat.
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", kMissing), std::nullopt);

  // The rootfs directories live on the checkout's filesystem: compare with statfs(2).
  struct statfs expected {};
  ASSERT_EQ(statfs(test::FixturePath("rootfs").c_str(), &expected), 0);
  EXPECT_EQ(SampleValue(families, "node_filesystem_size_bytes", kRoot),
            static_cast<double>(expected.f_blocks) * static_cast<double>(expected.f_bsize));
  EXPECT_EQ(SampleValue(families, "node_filesystem_files", kRoot),
            static_cast<double>(expected.f_files));
  for (const auto& labels : {kRoot, kData, kBoot}) {
    const double size = test::Value(families, "node_filesystem_size_bytes", labels);
    const double free = test::Value(families, "node_filesystem_free_bytes", labels);
    const double avail = test::Value(families, "node_filesystem_avail_bytes", labels);
    EXPECT_GT(size, 0);
    EXPECT_LE(free, size);
    EXPECT_LE(avail, free);
  }
}

TEST(FilesystemCollectorTest, DefaultFiltersDropPseudoAndDockerMounts) {
  FilesystemCollector collector(test::FixturePaths(), DefaultOptions());
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  for (const auto& family : families) {
    for (const auto& mount_point : test::LabelValues(family, "mountpoint")) {
      EXPECT_EQ(mount_point.find("/var/lib/docker"), std::string::npos) << family.name;
      EXPECT_NE(mount_point.rfind("/proc", 0), 0u) << mount_point;
      EXPECT_NE(mount_point.rfind("/sys", 0), 0u) << mount_point;
      EXPECT_NE(mount_point.rfind("/dev", 0), 0u) << mount_point;
    }
    for (const auto& fs_type : test::LabelValues(family, "fstype")) {
      EXPECT_NE(fs_type, "overlay");
      EXPECT_NE(fs_type, "cgroup");
    }
  }
}

TEST(FilesystemCollectorTest, WithoutFiltersEveryDistinctMountIsReported) {
  FilesystemOptions options;  // No filters at all.
  FilesystemCollector collector(test::FixturePaths(), options,
                                [](const std::string&, struct statfs&) { return EACCES; });
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const auto* device_error = test::FindFamily(families, "node_filesystem_device_error");
  ASSERT_NE(device_error, nullptr);
  // 24 lines; /dev/pts and /dev/shm are mounted twice with the same labels.
  EXPECT_EQ(device_error->metric.size(),
            test::Lines(test::ReadFixture("proc/1/mountinfo")).size() - 2);
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error",
                        {{"device", "overlay"},
                         {"fstype", "overlay"},
                         {"mountpoint", "/var/lib/docker/overlay2/abc/merged"}}),
            1);
}

// statfs results scripted per path: every mount gets distinct numbers.
struct statfs Scripted(int seed) {
  struct statfs st {};
  st.f_bsize = 4096 * seed;
  st.f_blocks = 1000 + seed;
  st.f_bfree = 500 + seed;
  st.f_bavail = 400 + seed;
  st.f_files = 9000 + seed;
  st.f_ffree = 8000 + seed;
  return st;
}

Paths FakeRootPaths() {
  Paths paths = test::FixturePaths();
  paths.rootfs = "/fake-root";  // Never touched: the StatFn is scripted.
  return paths;
}

TEST(FilesystemCollectorTest, ScriptedStatfsValues) {
  const std::map<std::string, int> seeds = {
      {"/fake-root", 1},
      {"/fake-root/mnt/sandboxing/model_tools_env/v1/python", 2},
      {"/fake-root/srv/data dir", 3},
      {"/fake-root/boot", 4}};
  auto asked = std::make_shared<std::vector<std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  FilesystemCollector collector(FakeRootPaths(), DefaultOptions(),
                                [seeds, asked, mutex](const std::string& path, struct statfs& out) {
                                  std::lock_guard lock(*mutex);
                                  asked->push_back(path);
                                  const auto it = seeds.find(path);
                                  if (it == seeds.end()) return ENOENT;
                                  out = Scripted(it->second);
                                  return 0;
                                });
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());

  const std::vector<std::pair<LabelMap, int>> expected = {
      {kRoot, 1}, {kSandbox, 2}, {kData, 3}, {kBoot, 4}};
  for (const auto& [labels, seed] : expected) {
    SCOPED_TRACE(labels.at("mountpoint"));
    const struct statfs st = Scripted(seed);
    const double bsize = static_cast<double>(st.f_bsize);
    EXPECT_EQ(SampleValue(families, "node_filesystem_size_bytes", labels),
              static_cast<double>(st.f_blocks) * bsize);
    EXPECT_EQ(SampleValue(families, "node_filesystem_free_bytes", labels),
              static_cast<double>(st.f_bfree) * bsize);
    EXPECT_EQ(SampleValue(families, "node_filesystem_avail_bytes", labels),
              static_cast<double>(st.f_bavail) * bsize);
    EXPECT_EQ(SampleValue(families, "node_filesystem_files", labels),
              static_cast<double>(st.f_files));
    EXPECT_EQ(SampleValue(families, "node_filesystem_files_free", labels),
              static_cast<double>(st.f_ffree));
    EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", labels), 0);
  }
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", kMissing), 1);
  EXPECT_EQ(SampleValue(families, "node_filesystem_files", kMissing), std::nullopt);
  {
    std::lock_guard lock(*mutex);
    std::sort(asked->begin(), asked->end());
    EXPECT_EQ(*asked,
              (std::vector<std::string>{"/fake-root", "/fake-root/boot", "/fake-root/missing",
                                        "/fake-root/mnt/sandboxing/model_tools_env/v1/python",
                                        "/fake-root/srv/data dir"}));
  }
}

TEST(FilesystemCollectorTest, MountPointsUnderRootfsAreStripped) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "proc/1/mountinfo",
                  "1 0 8:1 / /host rw - ext4 /dev/sda1 rw\n"
                  "2 1 8:2 / /host/data rw - ext4 /dev/sda2 rw\n"
                  "3 1 8:3 / /hostile rw - ext4 /dev/sda3 rw\n"
                  "4 1 8:4 / /other rw - ext4 /dev/sda4 rw\n"
                  "5 1 8:4 / /other rw - ext4 /dev/sda4 rw\n");  // Over-mount: same labels.
  Paths paths;
  paths.procfs = dir.Sub("proc");
  paths.rootfs = "/host/";
  auto asked = std::make_shared<std::vector<std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  FilesystemCollector collector(paths, FilesystemOptions{},
                                [asked, mutex](const std::string& path, struct statfs& out) {
                                  std::lock_guard lock(*mutex);
                                  asked->push_back(path);
                                  out = Scripted(1);
                                  return 0;
                                });
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const auto* size = test::FindFamily(families, "node_filesystem_size_bytes");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(test::LabelValues(*size, "mountpoint"),
            (std::vector<std::string>{"/", "/data", "/hostile", "/other"}));
  std::lock_guard lock(*mutex);
  std::sort(asked->begin(), asked->end());
  EXPECT_EQ(*asked,
            (std::vector<std::string>{"/host", "/host/data", "/host/hostile", "/host/other"}));
}

TEST(FilesystemCollectorTest, FallsBackToSelfMountinfo) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "self/mountinfo", "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n");
  Paths paths;
  paths.procfs = dir.path().string();
  FilesystemCollector collector(paths, FilesystemOptions{},
                                [](const std::string&, struct statfs& out) {
                                  out = Scripted(1);
                                  return 0;
                                });
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error",
                        {{"device", "/dev/sda1"}, {"fstype", "ext4"}, {"mountpoint", "/"}}),
            0);
}

TEST(FilesystemCollectorTest, NoMountinfoFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  FilesystemCollector collector(paths, FilesystemOptions{});
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

TEST(FilesystemCollectorTest, MalformedMountinfoFails) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "1/mountinfo", "1 0 8:1 / / rw ext4 /dev/sda1 rw\n");
  Paths paths;
  paths.procfs = dir.path().string();
  FilesystemCollector collector(paths, FilesystemOptions{});
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("mountinfo"), std::string::npos) << status.message();
}

// A statfs that hangs for one path until released, like a dead NFS server.
struct BlockingStat {
  std::string blocked_path;
  std::mutex mutex;
  std::condition_variable changed;
  bool released = false;
  bool blocked_returned = false;
  std::map<std::string, int> calls;

  int Call(const std::string& path, struct statfs& out) {
    std::unique_lock lock(mutex);
    ++calls[path];
    if (path == blocked_path) {
      changed.wait(lock, [&] { return released; });
      blocked_returned = true;
      changed.notify_all();
    }
    out = Scripted(2);
    return 0;
  }
  int Calls(const std::string& path) {
    std::lock_guard lock(mutex);
    return calls[path];
  }
  void Release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
  bool WaitReturned(milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return blocked_returned; });
  }
};

// Releases the blocked statfs and waits for it, whatever the test's outcome.
class ReleaseGuard {
 public:
  explicit ReleaseGuard(std::shared_ptr<BlockingStat> stat) : stat_(std::move(stat)) {}
  ~ReleaseGuard() {
    stat_->Release();
    stat_->WaitReturned(milliseconds(5000));
  }
  ReleaseGuard(const ReleaseGuard&) = delete;
  ReleaseGuard& operator=(const ReleaseGuard&) = delete;

 private:
  std::shared_ptr<BlockingStat> stat_;
};

class FilesystemTimeoutTest : public ::testing::TestWithParam<int> {};

TEST_P(FilesystemTimeoutTest, HungMountIsReportedAndNotRetriedUntilItAnswers) {
  const int workers = GetParam();
  auto stat = std::make_shared<BlockingStat>();
  stat->blocked_path = "/fake-root/srv/data dir";
  ReleaseGuard guard(stat);
  FilesystemOptions options = DefaultOptions();
  options.mount_timeout = milliseconds(200);
  options.stat_workers = workers;
  FilesystemCollector collector(
      FakeRootPaths(), options,
      [stat](const std::string& path, struct statfs& out) { return stat->Call(path, out); });
  using Clock = std::chrono::steady_clock;

  // First scrape: waits for the timeout, not for the hung call.
  Families first;
  const auto start = Clock::now();
  ASSERT_TRUE(collector.Collect({}, first).ok());
  const auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(190));
  EXPECT_LT(elapsed, milliseconds(1000));
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", kData), 1);
  EXPECT_EQ(SampleValue(first, "node_filesystem_size_bytes", kData), std::nullopt);
  EXPECT_EQ(SampleValue(first, "node_filesystem_readonly", kData), std::nullopt);
  if (workers > 1) {
    // Mounts queued behind the hung one still answer in the same scrape.
    for (const auto& labels : {kRoot, kSandbox, kBoot, kMissing}) {
      EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", labels), 0)
          << labels.at("mountpoint");
    }
  }
  EXPECT_EQ(stat->Calls(stat->blocked_path), 1);

  // Second scrape while still hung: reported at once, without another statfs call.
  Families second;
  const auto second_start = Clock::now();
  ASSERT_TRUE(collector.Collect({}, second).ok());
  EXPECT_LT(Clock::now() - second_start, milliseconds(200));
  EXPECT_EQ(stat->Calls(stat->blocked_path), 1);
  EXPECT_EQ(SampleValue(second, "node_filesystem_device_error", kData), 1);
  for (const auto& labels : {kRoot, kSandbox, kBoot, kMissing}) {
    EXPECT_EQ(SampleValue(second, "node_filesystem_device_error", labels), 0)
        << labels.at("mountpoint");
    EXPECT_EQ(SampleValue(second, "node_filesystem_size_bytes", labels),
              static_cast<double>(Scripted(2).f_blocks) * Scripted(2).f_bsize);
  }
  EXPECT_EQ(stat->Calls("/fake-root/boot"), workers > 1 ? 2 : 1);

  // Once it answers, a later scrape stats it again and reports it healthy.
  stat->Release();
  ASSERT_TRUE(stat->WaitReturned(milliseconds(5000)));
  std::optional<double> error;
  Families later;
  for (int attempt = 0; attempt < 100; ++attempt) {
    later.clear();
    ASSERT_TRUE(collector.Collect({}, later).ok());
    error = SampleValue(later, "node_filesystem_device_error", kData);
    if (error == 0) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(error, 0);
  EXPECT_EQ(stat->Calls(stat->blocked_path), 2);
  EXPECT_EQ(SampleValue(later, "node_filesystem_readonly", kData), 0);
  EXPECT_EQ(SampleValue(later, "node_filesystem_size_bytes", kData),
            static_cast<double>(Scripted(2).f_blocks) * Scripted(2).f_bsize);
}

INSTANTIATE_TEST_SUITE_P(Workers, FilesystemTimeoutTest, ::testing::Values(4, 1),
                         [](const auto& param) { return std::to_string(param.param) + "Workers"; });

}  // namespace
}  // namespace vitals::collectors
