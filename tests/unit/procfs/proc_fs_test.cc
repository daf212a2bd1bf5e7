// The /proc handle on a fixture tree built from tests/fixtures/pid/sleep (a process
// captured from a real /proc), and on this machine's live /proc.
#include "procfs/proc_fs.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

namespace fs = std::filesystem;

// <root>/42 holds the captured sleep process; <root>/self is not a pid.
class FakeProcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"stat", "status", "io", "limits", "cmdline"}) {
      test::WriteFile(dir_.path() / "42" / name,
                      test::ReadFixture(std::string("pid/sleep/") + name));
    }
    test::WriteFile(dir_.path() / "42" / "comm", "sleep\n");
    test::WriteFile(dir_.path() / "self" / "stat", "not a pid\n");
    test::WriteFile(dir_.path() / "stat", "btime 1700000000\n");
  }
  std::string root() const { return dir_.path().string(); }
  fs::path pid_dir() const { return dir_.path() / "42"; }

  test::TempDir dir_;
  std::string buffer_;
};

size_t OpenFds() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

TEST_F(FakeProcTest, ReadsTheFilesOfOneProcess) {
  const ProcFs proc(root());
  ASSERT_TRUE(proc.ok());
  EXPECT_FALSE(proc.is_real());
  const Pid pid(proc, 42);
  const auto stat = pid.Stat(buffer_);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "sleep");
  EXPECT_EQ(stat->ppid, 28871);  // From the fixture's stat line.
  const auto status = pid.Status(buffer_);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->voluntary_ctxt_switches, 16u);
  EXPECT_EQ(pid.Cmdline(buffer_).value(), (std::vector<std::string>{"sleep", "100"}));
  EXPECT_EQ(pid.Comm(buffer_).value(), "sleep");
  ASSERT_TRUE(pid.Io(buffer_).ok());
  const auto limit = pid.MaxOpenFiles(buffer_);  // Not a real procfs: from the limits file.
  ASSERT_TRUE(limit.ok()) << limit.error();
  EXPECT_EQ(*limit, std::optional<uint64_t>(256));
  EXPECT_EQ(proc.ReadFile("stat", buffer_).value(), "btime 1700000000\n");
}

TEST_F(FakeProcTest, MissingProcessIsVanishedAndMalformedFileHasNoErrno) {
  const ProcFs proc(root());
  const auto gone = Pid(proc, 43).Stat(buffer_);
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(gone.failure().Vanished());
  test::WriteFile(pid_dir() / "status", "Name:\tsleep\n");  // No Uid line.
  const auto malformed = Pid(proc, 42).Status(buffer_);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.sys_errno(), 0);
  EXPECT_FALSE(malformed.failure().Vanished());
}

TEST_F(FakeProcTest, ForEachPidSkipsOtherEntries) {
  test::WriteFile(dir_.path() / "7" / "stat", "");
  const ProcFs proc(root());
  std::set<int64_t> pids;
  ASSERT_TRUE(proc.ForEachPid([&](int64_t pid) {
                    pids.insert(pid);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(pids, (std::set<int64_t>{7, 42}));
}

TEST_F(FakeProcTest, FdCountAndSocketsFromTheFdDirectory) {
  fs::create_directories(pid_dir() / "fd");
  fs::create_symlink("/dev/null", pid_dir() / "fd" / "0");
  fs::create_symlink("socket:[4242]", pid_dir() / "fd" / "3");
  fs::create_symlink("pipe:[77]", pid_dir() / "fd" / "4");
  const ProcFs proc(root());
  const Pid pid(proc, 42);
  EXPECT_EQ(pid.FdCount().value(), 3u);
  EXPECT_EQ(pid.SocketInode(3).value(), std::optional<uint64_t>(4242));
  EXPECT_EQ(pid.SocketInode(4).value(), std::nullopt);
  std::vector<std::pair<int, uint64_t>> sockets;
  const auto seen = pid.ForEachSocket([&](int fd, uint64_t inode) {
    sockets.emplace_back(fd, inode);
    return true;
  });
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, 1u);
  EXPECT_EQ(sockets, (std::vector<std::pair<int, uint64_t>>{{3, 4242}}));
}

// The process exits between openat() and fdopendir(): an error, not a readdir(NULL)
// crash, and the fd is closed.
DIR* FailingOpenDir(int /*fd*/) {
  errno = ENOENT;
  return nullptr;
}

TEST_F(FakeProcTest, FdopendirFailureIsAnErrorAndLeaksNoFd) {
  fs::create_directories(pid_dir() / "fd");
  fs::create_directories(pid_dir() / "task" / "42");
  const ProcFs proc(root(), FailingOpenDir);
  const Pid pid(proc, 42);
  const size_t before = OpenFds();
  const auto count = pid.FdCount();
  ASSERT_FALSE(count.ok());
  EXPECT_TRUE(count.failure().Vanished()) << count.error();
  EXPECT_FALSE(pid.ForEachSocket([](int, uint64_t) { return true; }).ok());
  EXPECT_FALSE(pid.SumThreadSwitches(buffer_).ok());
  EXPECT_FALSE(proc.ForEachPid([](int64_t) { return true; }).ok());
  EXPECT_EQ(OpenFds(), before);
}

TEST_F(FakeProcTest, ThreadSwitchesAreSummedOverTasks) {
  const std::string status = test::ReadFixture("pid/sleep/status");  // 16 and 15.
  test::WriteFile(pid_dir() / "task" / "42" / "status", status);
  test::WriteFile(pid_dir() / "task" / "43" / "status", status);
  const ProcFs proc(root());
  const auto sum = Pid(proc, 42).SumThreadSwitches(buffer_);
  ASSERT_TRUE(sum.ok()) << sum.error();
  EXPECT_EQ(sum->voluntary, 32u);
  EXPECT_EQ(sum->nonvoluntary, 30u);
}

TEST(ProcFsTest, MissingRootIsNotOk) {
  const ProcFs proc("/nonexistent/proc");
  EXPECT_FALSE(proc.ok());
  EXPECT_FALSE(proc.ForEachPid([](int64_t) { return true; }).ok());
}

TEST(ProcFsTest, LiveProcIsRealAndCountsOurFds) {
  const ProcFs proc("/proc");
  ASSERT_TRUE(proc.ok());
  EXPECT_TRUE(proc.is_real());
  const Pid self(proc, getpid());
  const auto count = self.FdCount();
  ASSERT_TRUE(count.ok()) << count.error();
  EXPECT_GE(*count, 3u);  // At least stdin, stdout and stderr.
  EXPECT_LE(*count, OpenFds());
  std::string buffer;
  EXPECT_TRUE(self.MaxOpenFiles(buffer).ok());
}

TEST(SplitCmdlineTest, NulSeparatedWithTrailingEmptiesDropped) {
  using namespace std::string_literals;
  EXPECT_EQ(SplitCmdline("a\0b c\0\0"s), (std::vector<std::string>{"a", "b c"}));
  EXPECT_TRUE(SplitCmdline("").empty());
  EXPECT_EQ(SplitCmdline("no-nul"), (std::vector<std::string>{"no-nul"}));
}

TEST(ParseSocketLinkTest, OnlySocketLinks) {
  EXPECT_EQ(ParseSocketLink("socket:[12345]"), std::optional<uint64_t>(12345));
  EXPECT_EQ(ParseSocketLink("socket:[]"), std::nullopt);
  EXPECT_EQ(ParseSocketLink("pipe:[12345]"), std::nullopt);
  EXPECT_EQ(ParseSocketLink("socket:[12x]"), std::nullopt);
}

}  // namespace
}  // namespace vitals::procfs
