#include "collectors/tcpstat_collector.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

constexpr const char* kHeader =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n";

Families Collect(const Paths& paths, Status* status_out = nullptr) {
  TcpstatCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  if (status_out != nullptr) {
    *status_out = status;
  } else {
    EXPECT_TRUE(status.ok()) << status.message();
  }
  return families;
}

double State(const Families& families, const char* state) {
  return SampleValue(families, "node_tcp_connection_states", {{"state", state}}).value_or(0);
}

TEST(TcpstatCollectorTest, FixtureTablesByState) {
  // Independent reading of tests/fixtures/proc/net/tcp and tcp6: the "st" column.
  std::map<std::string, double> by_state;
  for (const char* name : {"proc/net/tcp", "proc/net/tcp6"}) {
    const auto lines = test::Lines(test::ReadFixture(name));
    for (size_t i = 1; i < lines.size(); ++i) ++by_state[test::Tokens(lines[i])[3]];
  }
  // 2 ESTABLISHED, 14 TIME_WAIT, 6 LISTEN (tests/fixtures/README.md), every queue 0.
  ASSERT_EQ(by_state, (std::map<std::string, double>{{"01", 2}, {"06", 14}, {"0A", 6}}));
  const Families families = Collect(test::FixturePaths());
  ASSERT_EQ(families.size(), 1u);
  const auto& family = families[0];
  EXPECT_EQ(family.name, "node_tcp_connection_states");
  EXPECT_EQ(family.help, "Number of connection states.");
  EXPECT_EQ(family.type, prometheus::MetricType::Gauge);
  EXPECT_EQ(family.metric.size(), 5u);  // The three states seen, and the two queues.
  EXPECT_EQ(Value(families, "node_tcp_connection_states", {{"state", "established"}}),
            by_state["01"]);
  EXPECT_EQ(Value(families, "node_tcp_connection_states", {{"state", "time_wait"}}),
            by_state["06"]);
  EXPECT_EQ(Value(families, "node_tcp_connection_states", {{"state", "listen"}}), by_state["0A"]);
  EXPECT_EQ(Value(families, "node_tcp_connection_states", {{"state", "rx_queued_bytes"}}), 0);
  EXPECT_EQ(Value(families, "node_tcp_connection_states", {{"state", "tx_queued_bytes"}}), 0);
}

class TcpstatTreeTest : public ::testing::Test {
 protected:
  void SetUp() override { paths_.procfs = dir_.path().string(); }
  static std::string Line(int slot, const char* state, const char* queues) {
    return "  " + std::to_string(slot) + ": 0100007F:4269 0100007F:D210 " + state + " " + queues +
           " 00:00000000 00000000 0 0 " + std::to_string(100 + slot) + " 1\n";
  }
  test::TempDir dir_;
  Paths paths_;
};

TEST_F(TcpstatTreeTest, EveryStateNameAndQueuesSummedOverBothFiles) {
  const char* names[] = {"established", "syn_sent",  "syn_recv", "fin_wait1",
                         "fin_wait2",   "time_wait", "close",    "close_wait",
                         "last_ack",    "listen",    "closing"};
  std::string tcp = kHeader;
  for (int state = 1; state <= 11; ++state) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", state);
    tcp += Line(state, hex, "00000010:00000001");
  }
  tcp += Line(12, "0C", "00000100:00000100");  // NEW_SYN_RECV: not in node_exporter's dump.
  test::WriteFile(dir_.path() / "net/tcp", tcp);
  test::WriteFile(dir_.path() / "net/tcp6",
                  std::string(kHeader) +
                      "   0: 00000000000000000000000001000000:426B "
                      "00000000000000000000000000000000:0000 0A 00000000:00000005 00:00000000 "
                      "00000000 0 0 9 1\n");
  const Families families = Collect(paths_);
  for (int state = 1; state <= 11; ++state) {
    EXPECT_EQ(State(families, names[state - 1]), state == 10 ? 2 : 1) << names[state - 1];
  }
  EXPECT_EQ(State(families, "rx_queued_bytes"), 11 * 1 + 5);
  EXPECT_EQ(State(families, "tx_queued_bytes"), 11 * 16);
  EXPECT_EQ(families[0].metric.size(), 13u);
}

TEST_F(TcpstatTreeTest, WithoutTcp6) {
  test::WriteFile(dir_.path() / "net/tcp",
                  std::string(kHeader) + Line(0, "01", "00000000:00000000"));
  const Families families = Collect(paths_);
  EXPECT_EQ(State(families, "established"), 1);
}

TEST_F(TcpstatTreeTest, MalformedLineFailsNamingTheFile) {
  test::WriteFile(dir_.path() / "net/tcp", std::string(kHeader) +
                                               Line(0, "01", "00000000:00000000") +
                                               "   1: 0100007F:4269 0100007F:D210 01 garbage\n");
  Status status;
  const Families families = Collect(paths_, &status);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir_.Sub("net/tcp")), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST_F(TcpstatTreeTest, MissingTableFails) {
  Status status;
  const Families families = Collect(paths_, &status);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(families.empty());
  EXPECT_FALSE(FindCollector("tcpstat")->enabled_by_default);
}

// Loopback sockets this test opens, in known states and with known queues.
class LoopbackSockets {
 public:
  static constexpr int kPairs = 3;
  static constexpr size_t kUnread = 3000;  // Per connection, left in the server's queue.
  static constexpr int kBacklogs[2] = {77, 91};

  LoopbackSockets() {
    for (int backlog : kBacklogs) listeners_.push_back(Listen(backlog));
    for (int i = 0; i < kPairs; ++i) {
      const int client = Connect(port_of_first_);
      const int server = accept4(listeners_[0], nullptr, nullptr, SOCK_CLOEXEC);
      EXPECT_GE(server, 0);
      const std::string data(kUnread, 'x');
      EXPECT_EQ(send(client, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
      fds_.push_back(client);
      fds_.push_back(server);
    }
    // One more pair whose client half-closes: the server is in CLOSE_WAIT, the
    // client in FIN_WAIT2.
    const int client = Connect(port_of_first_);
    const int server = accept4(listeners_[0], nullptr, nullptr, SOCK_CLOEXEC);
    EXPECT_EQ(shutdown(client, SHUT_WR), 0);
    fds_.push_back(client);
    fds_.push_back(server);
    usleep(100 * 1000);  // Let loopback deliver the data and the FIN.
  }
  ~LoopbackSockets() {
    for (int fd : fds_) close(fd);
    for (int fd : listeners_) close(fd);
  }

 private:
  int Listen(int backlog) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(fd, backlog), 0);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    if (port_of_first_ == 0) port_of_first_ = ntohs(address.sin_port);
    return fd;
  }
  static int Connect(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
  }

  int port_of_first_ = 0;
  std::vector<int> listeners_;
  std::vector<int> fds_;
};

// The live kernel over sock_diag (the real /proc: netlink). Other programs' sockets
// come and go meanwhile, so the test's own sockets are lower bounds.
TEST(TcpstatLiveTest, NetlinkSeesTheTestsSocketsAndQueues) {
  const LoopbackSockets sockets;
  const Families families = Collect(Paths{});
  EXPECT_GE(State(families, "listen"), 2);
  EXPECT_GE(State(families, "established"), 2 * LoopbackSockets::kPairs);
  EXPECT_GE(State(families, "close_wait"), 1);
  EXPECT_GE(State(families, "fin_wait2"), 1);
  EXPECT_GE(State(families, "rx_queued_bytes"),
            static_cast<double>(LoopbackSockets::kPairs * LoopbackSockets::kUnread));
  // sock_diag reports a listener's backlog limit as its write queue (node_exporter
  // publishes that sum): at least the two listen(2) backlogs.
  EXPECT_GE(State(families, "tx_queued_bytes"), 77 + 91);
}

// The same moment read from /proc/net/tcp: a procfs root that is not the kernel's
// (a directory whose net/ points at /proc/net) takes the file path.
TEST(TcpstatLiveTest, ProcfsFallbackSeesTheSameSockets) {
  const LoopbackSockets sockets;
  test::TempDir dir;
  std::filesystem::create_directory_symlink("/proc/net", dir.path() / "net");
  Paths paths;
  paths.procfs = dir.path().string();
  const Families families = Collect(paths);
  EXPECT_GE(State(families, "listen"), 2);
  EXPECT_GE(State(families, "established"), 2 * LoopbackSockets::kPairs);
  EXPECT_GE(State(families, "close_wait"), 1);
  EXPECT_GE(State(families, "fin_wait2"), 1);
  EXPECT_GE(State(families, "rx_queued_bytes"),
            static_cast<double>(LoopbackSockets::kPairs * LoopbackSockets::kUnread));
}

}  // namespace
}  // namespace vitals::collectors
