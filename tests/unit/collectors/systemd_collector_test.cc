#include "collectors/systemd_collector.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using std::chrono::steady_clock;

// Points sd-bus's system bus at `address` for one test.
class SystemBusAddress {
 public:
  explicit SystemBusAddress(const std::string& address) {
    if (const char* old = std::getenv("DBUS_SYSTEM_BUS_ADDRESS")) old_ = old;
    setenv("DBUS_SYSTEM_BUS_ADDRESS", address.c_str(), 1);
  }
  ~SystemBusAddress() {
    if (old_.empty()) {
      unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
    } else {
      setenv("DBUS_SYSTEM_BUS_ADDRESS", old_.c_str(), 1);
    }
  }

 private:
  std::string old_;
};

// A unix socket that accepts connections (the kernel's backlog) and never says a word:
// a bus daemon that hangs before authentication.
class SilentSocket {
 public:
  explicit SilentSocket(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(listen(fd_, 8), 0);
  }
  ~SilentSocket() { close(fd_); }

 private:
  int fd_ = -1;
};

SystemdOptions Defaults() { return *FindCollector("systemd")->defaults().As<SystemdOptions>(); }

TEST(SystemdCollectorTest, OffByDefaultWithNodeExporterDefaults) {
  const CollectorSpec* spec = FindCollector("systemd");
  ASSERT_NE(spec, nullptr);
  EXPECT_FALSE(spec->enabled_by_default);
  const SystemdOptions options = Defaults();
  EXPECT_EQ(options.unit_include.pattern(), "^(?:.+)$");
  EXPECT_EQ(options.unit_exclude.pattern(), "^(?:.+\\.(automount|device|mount|scope|slice))$");
  EXPECT_FALSE(options.enable_task_metrics);
  EXPECT_FALSE(options.enable_restarts_metrics);
  EXPECT_FALSE(options.enable_start_time_metrics);
  EXPECT_FALSE(options.enable_cgroup_metrics);
  EXPECT_EQ(options.timeout, std::chrono::seconds(10));
  // Anchored as node_exporter anchors them: the whole name must match.
  EXPECT_TRUE(options.unit_exclude.Search("home.mount"));
  EXPECT_FALSE(options.unit_exclude.Search("home.mount.service"));
  EXPECT_FALSE(options.unit_exclude.Search(".mount"));
}

TEST(SystemdCollectorTest, FlagsSetTheOptions) {
  const CollectorSpec* spec = FindCollector("systemd");
  AnyOptions any = spec->defaults();
  for (const auto& flag : spec->flags) {
    // The flag parser hands a boolean flag "true" (and its --no- form "false").
    std::string_view value = flag.value_name.empty() ? "true" : "ssh|cron";
    if (flag.value_name == "DURATION") value = "2500ms";
    ASSERT_TRUE(flag.apply(any, value).ok()) << flag.flag;
  }
  const SystemdOptions& options = *any.As<SystemdOptions>();
  EXPECT_EQ(options.unit_include.pattern(), "^(?:ssh|cron)$");
  EXPECT_EQ(options.unit_exclude.pattern(), "^(?:ssh|cron)$");
  EXPECT_TRUE(options.enable_task_metrics);
  EXPECT_TRUE(options.enable_restarts_metrics);
  EXPECT_TRUE(options.enable_start_time_metrics);
  EXPECT_TRUE(options.enable_cgroup_metrics);
  EXPECT_EQ(options.timeout, std::chrono::milliseconds(2500));
  EXPECT_FALSE(spec->flags[0].apply(any, "(").ok());
}

TEST(SystemdCollectorTest, NoBusFailsAtOnceWithNothing) {
  test::TempDir dir;
  SystemBusAddress bus("unix:path=" + dir.Sub("no-bus"));
  SystemdCollector collector(Paths{}, Defaults());
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("couldn't get dbus connection"), std::string::npos)
      << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(SystemdCollectorTest, SilentBusStopsAtTheDeadline) {
  test::TempDir dir;
  SilentSocket silent(dir.Sub("bus"));
  SystemBusAddress bus("unix:path=" + dir.Sub("bus"));
  SystemdCollector collector(Paths{}, Defaults());
  Families families;
  const auto start = steady_clock::now();
  const Status status = collector.Collect({start + std::chrono::milliseconds(200)}, families);
  const auto took = steady_clock::now() - start;
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("did not answer in time"), std::string::npos) << status.message();
  EXPECT_GE(took, std::chrono::milliseconds(190));
  EXPECT_LT(took, std::chrono::milliseconds(1000));
  EXPECT_TRUE(families.empty());
}

TEST(SystemdCollectorTest, SilentBusStopsAtTheTimeoutWithoutDeadline) {
  test::TempDir dir;
  SilentSocket silent(dir.Sub("bus"));
  SystemBusAddress bus("unix:path=" + dir.Sub("bus"));
  SystemdOptions options = Defaults();
  options.timeout = std::chrono::milliseconds(150);
  SystemdCollector collector(Paths{}, options);
  Families families;
  const auto start = steady_clock::now();
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_LT(steady_clock::now() - start, std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace vitals::collectors
