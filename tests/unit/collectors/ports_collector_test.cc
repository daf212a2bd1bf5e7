// The ports collector on the captured /proc/net tables (tests/fixtures/proc/net, see
// tests/fixtures/README.md: which sockets were open at capture time), on temporary
// procfs trees with hand-made /proc/PID/fd symlinks for owners, and live on this
// machine's kernel (sockets the test opens on 127.0.0.1 / ::1).
#include "collectors/ports_collector.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "live_socket.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

namespace fs = std::filesystem;
using test::LabelMap;

PortSpec Port(int port, PortProtocol protocol = PortProtocol::kTcp, const char* name = "",
              const char* address = nullptr) {
  PortSpec spec;
  spec.port = static_cast<uint16_t>(port);
  spec.protocol = protocol;
  spec.name = name;
  if (address != nullptr) {
    spec.address = ParseInetAddress(address);
    EXPECT_TRUE(spec.address) << address;
  }
  return spec;
}

constexpr auto kTcp = PortProtocol::kTcp;
constexpr auto kUdp = PortProtocol::kUdp;

LabelMap Key(int port, PortProtocol protocol, const std::string& name) {
  return {{"name", name},
          {"port", std::to_string(port)},
          {"protocol", protocol == kTcp ? "tcp" : "udp"}};
}

Families Collect(PortsCollector& collector, bool expect_ok = true) {
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_EQ(status.ok(), expect_ok) << status.message();
  return families;
}

double Listening(const Families& families, int port, PortProtocol protocol,
                 const std::string& name) {
  return test::Value(families, "vitals_port_listening", Key(port, protocol, name));
}

// Owners of one configured port, from vitals_port_listener_info.
std::vector<std::string> Owners(const Families& families, int port, PortProtocol protocol,
                                const std::string& name) {
  std::vector<std::string> owners;
  const auto* family = test::FindFamily(families, "vitals_port_listener_info");
  if (family == nullptr) return owners;
  for (const auto& metric : family->metric) {
    auto labels = test::Labels(metric);
    const std::string process = labels["process"];
    labels.erase("process");
    if (labels == Key(port, protocol, name)) {
      EXPECT_EQ(metric.gauge.value, 1);
      owners.push_back(process);
    }
  }
  return owners;
}

double Errors(const Families& families, const char* reason) {
  return test::Value(families, "vitals_port_read_errors_total", {{"reason", reason}});
}

// The inode of the socket on `hex_local` ("0100007F:4269") in state `state` of a fixture
// table, read from the text independently of the parser.
uint64_t FixtureInode(const std::string& table, const std::string& hex_local,
                      const std::string& state) {
  for (const auto& line : test::Lines(test::ReadFixture("proc/net/" + table))) {
    const auto fields = test::Tokens(line);
    if (fields.size() >= 10 && fields[1] == hex_local && fields[3] == state) {
      return std::stoull(fields[9]);
    }
  }
  ADD_FAILURE() << "no " << hex_local << " in state " << state << " in " << table;
  return 0;
}

// A procfs tree with the fixture's four tables and processes made of a comm file and
// fd symlinks, as /proc/PID/fd/N -> "socket:[INODE]".
class Tree {
 public:
  Tree() {
    for (const char* table : {"tcp", "tcp6", "udp", "udp6"}) {
      test::WriteFile(dir_.path() / "net" / table,
                      test::ReadFixture(std::string("proc/net/") + table));
    }
  }
  void Process(int pid, const std::string& comm) {
    test::WriteFile(dir_.path() / std::to_string(pid) / "comm", comm + "\n");
    fs::create_directories(dir_.path() / std::to_string(pid) / "fd");
  }
  void Fd(int pid, int fd, const std::string& target) {
    fs::create_symlink(target, dir_.path() / std::to_string(pid) / "fd" / std::to_string(fd));
  }
  void Socket(int pid, int fd, uint64_t inode) {
    Fd(pid, fd, "socket:[" + std::to_string(inode) + "]");
  }
  Paths paths() const {
    Paths paths = test::FixturePaths();
    paths.procfs = dir_.path().string();
    return paths;
  }
  fs::path path() const { return dir_.path(); }

 private:
  test::TempDir dir_;
};

TEST(PortsCollectorTest, FixtureListeningAndAddresses) {
  // What the capture had open (tests/fixtures/capture_proc_net.py).
  PortsOptions options;
  options.listener_info = false;
  options.ports = {
      Port(17001, kTcp, "v4"),                     // LISTEN 127.0.0.1
      Port(17001, kTcp, "v4-other", "127.0.0.2"),  // ... not on 127.0.0.2
      Port(17001, kTcp, "v4-as-mapped", "::ffff:127.0.0.1"),
      Port(17002, kTcp, "wild4", "192.0.2.7"),         // LISTEN 0.0.0.0: any address
      Port(17002, kTcp, "wild4-v6", "2001:db8::1"),    // ... even an IPv6 one
      Port(17003, kTcp, "v6only"),                     // LISTEN [::1], IPV6_V6ONLY
      Port(17003, kTcp, "v6only-as-v4", "127.0.0.1"),  // ::1 is not 127.0.0.1
      Port(17003, kTcp, "v6only-exact", "::1"),
      Port(17004, kTcp, "wild6", "10.1.2.3"),    // LISTEN [::]
      Port(17005, kTcp, "mapped", "127.0.0.1"),  // LISTEN [::ffff:127.0.0.1]
      Port(17005, kTcp, "mapped-v6", "::1"),
      Port(17011, kUdp, "udp4"),
      Port(17012, kUdp, "udp6"),
      Port(17013, kUdp, "udp-wild", "127.0.0.9"),
      Port(17014, kUdp, "udp-mapped", "127.0.0.1"),
      Port(17015, kUdp, "udp-connected"),  // Connected (01), not a server.
      Port(17011, kTcp, "udp-port-as-tcp"),
      Port(17001, kUdp, "tcp-port-as-udp"),
      Port(0x9884, kTcp, "established-only"),  // The capture's client: ESTABLISHED.
      Port(0xD210, kTcp, "time-wait-only"),    // A TIME_WAIT client.
      Port(1, kTcp, "nothing"),
  };
  PortsCollector collector(test::FixturePaths(), options);
  const Families families = Collect(collector);
  const struct {
    int port;
    PortProtocol protocol;
    const char* name;
    double value;
  } expected[] = {
      {17001, kTcp, "v4", 1},
      {17001, kTcp, "v4-other", 0},
      {17001, kTcp, "v4-as-mapped", 1},
      {17002, kTcp, "wild4", 1},
      {17002, kTcp, "wild4-v6", 1},
      {17003, kTcp, "v6only", 1},
      {17003, kTcp, "v6only-as-v4", 0},
      {17003, kTcp, "v6only-exact", 1},
      {17004, kTcp, "wild6", 1},
      {17005, kTcp, "mapped", 1},
      {17005, kTcp, "mapped-v6", 0},
      {17011, kUdp, "udp4", 1},
      {17012, kUdp, "udp6", 1},
      {17013, kUdp, "udp-wild", 1},
      {17014, kUdp, "udp-mapped", 1},
      {17015, kUdp, "udp-connected", 0},
      {17011, kTcp, "udp-port-as-tcp", 0},
      {17001, kUdp, "tcp-port-as-udp", 0},
      {0x9884, kTcp, "established-only", 0},
      {0xD210, kTcp, "time-wait-only", 0},
      {1, kTcp, "nothing", 0},
  };
  for (const auto& e : expected) {
    EXPECT_EQ(Listening(families, e.port, e.protocol, e.name), e.value) << e.name;
  }
  const auto* family = test::FindFamily(families, "vitals_port_listening");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(family->metric.size(), options.ports.size());  // Every port, always.
  EXPECT_EQ(test::FindFamily(families, "vitals_port_listener_info"), nullptr);
  EXPECT_EQ(Errors(families, "malformed"), 0);
  EXPECT_EQ(Errors(families, "netlink"), 0);  // Not a real procfs: netlink not tried.
  EXPECT_EQ(Errors(families, "permission"), 0);
}

TEST(PortsCollectorTest, ListenerInfoFromFdSymlinks) {
  Tree tree;
  const uint64_t tcp4 = FixtureInode("tcp", "0100007F:4269", "0A");
  const uint64_t tcp6 = FixtureInode("tcp6", "00000000000000000000000001000000:426B", "0A");
  const uint64_t udp4 = FixtureInode("udp", "0100007F:4273", "07");
  const uint64_t established = FixtureInode("tcp", "0100007F:4269", "01");
  tree.Process(4242, "python3");
  tree.Fd(4242, 0, "/dev/null");
  tree.Fd(4242, 1, "pipe:[1234]");
  tree.Socket(4242, 3, established);  // Same port, not listening: no owner from it.
  tree.Socket(4242, 5, tcp4);
  tree.Process(4243, "named");
  tree.Socket(4243, 7, udp4);
  tree.Socket(4243, 8, tcp6);
  tree.Process(4244, "worker");
  tree.Socket(4244, 4, tcp4);  // A second holder (fork): the first one found is named.
  PortsOptions options;
  options.ports = {Port(17001, kTcp, "web"), Port(17011, kUdp, "dns"), Port(17003, kTcp, "six"),
                   Port(17002, kTcp, "nobody-holds-it"), Port(17999, kTcp, "closed")};
  options.ports[2].listener_info = true;
  PortsCollector collector(tree.paths(), options);
  Families families = Collect(collector);
  const auto web = Owners(families, 17001, kTcp, "web");
  ASSERT_EQ(web.size(), 1u);
  EXPECT_TRUE(web[0] == "python3" || web[0] == "worker") << web[0];
  EXPECT_EQ(Owners(families, 17011, kUdp, "dns"), std::vector<std::string>{"named"});
  EXPECT_EQ(Owners(families, 17003, kTcp, "six"), std::vector<std::string>{"named"});
  EXPECT_TRUE(Owners(families, 17002, kTcp, "nobody-holds-it").empty());
  EXPECT_TRUE(Owners(families, 17999, kTcp, "closed").empty());
  EXPECT_EQ(Listening(families, 17002, kTcp, "nobody-holds-it"), 1);

  // A process renames itself: the next scrape says so.
  test::WriteFile(tree.path() / "4243" / "comm", "named-renamed\n");
  families = Collect(collector);
  EXPECT_EQ(Owners(families, 17011, kUdp, "dns"), std::vector<std::string>{"named-renamed"});

  // The socket moves to another process (the old holder closed it): found again.
  fs::remove(tree.path() / "4243" / "fd" / "7");
  tree.Process(5000, "named2");
  tree.Socket(5000, 9, udp4);
  families = Collect(collector);
  EXPECT_EQ(Owners(families, 17011, kUdp, "dns"), std::vector<std::string>{"named2"});

  // A socket whose owner was not found is not searched for again at once (the /proc walk
  // is the expensive part): an owner appearing now shows up after the retry delay.
  tree.Process(5001, "late");
  tree.Socket(5001, 3, FixtureInode("tcp", "00000000:426A", "0A"));
  families = Collect(collector);
  EXPECT_TRUE(Owners(families, 17002, kTcp, "nobody-holds-it").empty());
  EXPECT_EQ(Errors(families, "permission"), 0);
}

TEST(PortsCollectorTest, ListenerInfoSwitches) {
  Tree tree;
  tree.Process(4242, "python3");
  tree.Socket(4242, 5, FixtureInode("tcp", "0100007F:4269", "0A"));
  tree.Socket(4242, 6, FixtureInode("udp", "0100007F:4273", "07"));
  // Section default off, one entry on.
  PortsOptions options;
  options.listener_info = false;
  options.ports = {Port(17001, kTcp, "on"), Port(17011, kUdp, "off")};
  options.ports[0].listener_info = true;
  {
    PortsCollector collector(tree.paths(), options);
    const Families families = Collect(collector);
    EXPECT_EQ(Owners(families, 17001, kTcp, "on"), std::vector<std::string>{"python3"});
    EXPECT_TRUE(Owners(families, 17011, kUdp, "off").empty());
  }
  // Section default on, one entry off.
  options.listener_info = true;
  options.ports[0].listener_info = false;
  options.ports[1].listener_info.reset();
  {
    PortsCollector collector(tree.paths(), options);
    const Families families = Collect(collector);
    EXPECT_TRUE(Owners(families, 17001, kTcp, "on").empty());
    EXPECT_EQ(Owners(families, 17011, kUdp, "off"), std::vector<std::string>{"python3"});
  }
}

TEST(PortsCollectorTest, MalformedLinesAreCountedAndTheRestIsRead) {
  Tree tree;
  const std::string tcp = test::ReadFixture("proc/net/tcp");
  test::WriteFile(tree.path() / "net" / "tcp",
                  tcp + "  99: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000\n" + "garbage\n");
  PortsOptions options;
  options.ports = {Port(17001, kTcp, "web"), Port(17011, kUdp, "dns")};
  PortsCollector collector(tree.paths(), options);
  Families families = Collect(collector);
  EXPECT_EQ(Errors(families, "malformed"), 2);
  EXPECT_EQ(Listening(families, 17001, kTcp, "web"), 1);
  EXPECT_EQ(Listening(families, 17011, kUdp, "dns"), 1);
  families = Collect(collector);
  EXPECT_EQ(Errors(families, "malformed"), 4);  // A counter: every scrape adds.
}

TEST(PortsCollectorTest, MissingTablesFailTheirProtocolOnly) {
  Tree tree;
  fs::remove(tree.path() / "net" / "tcp6");  // IPv6 disabled: no tcp6. Not an error.
  PortsOptions options;
  options.ports = {Port(17001, kTcp, "web"), Port(17003, kTcp, "six"), Port(17011, kUdp, "dns")};
  {
    PortsCollector collector(tree.paths(), options);
    const Families families = Collect(collector);
    EXPECT_EQ(Listening(families, 17001, kTcp, "web"), 1);
    EXPECT_EQ(Listening(families, 17003, kTcp, "six"), 0);  // It was in tcp6.
    EXPECT_EQ(Listening(families, 17011, kUdp, "dns"), 1);
  }
  fs::remove(tree.path() / "net" / "tcp");
  {
    PortsCollector collector(tree.paths(), options);
    const Families families = Collect(collector, /*expect_ok=*/false);
    // Unknown is not "down": no tcp samples; udp is still answered.
    EXPECT_FALSE(test::SampleValue(families, "vitals_port_listening", Key(17001, kTcp, "web")));
    EXPECT_EQ(Listening(families, 17011, kUdp, "dns"), 1);
    EXPECT_EQ(Errors(families, "malformed"), 0);
  }
  // A file that is not a socket table at all.
  test::WriteFile(tree.path() / "net" / "tcp", "Inter-|   Receive\n");
  PortsCollector collector(tree.paths(), options);
  Collect(collector, /*expect_ok=*/false);
}

TEST(PortsCollectorTest, NoPortsConfigured) {
  PortsCollector collector(test::FixturePaths(), PortsOptions{});
  const Families families = Collect(collector);
  const auto* family = test::FindFamily(families, "vitals_port_listening");
  ASSERT_NE(family, nullptr);
  EXPECT_TRUE(family->metric.empty());
  EXPECT_EQ(Errors(families, "permission"), 0);
}

TEST(ParseInetAddressTest, LiteralsOnly) {
  EXPECT_EQ(ParseInetAddress("127.0.0.1"), ParseInetAddress("::ffff:127.0.0.1"));
  EXPECT_FALSE(ParseInetAddress("::ffff:127.0.0.1")->v6);
  EXPECT_TRUE(ParseInetAddress("::1")->v6);
  EXPECT_TRUE(ParseInetAddress("::"));
  EXPECT_TRUE(ParseInetAddress("fe80::1"));
  for (const char* bad : {"", "localhost", "127.0.0", "127.0.0.256", "::1%lo", "[::1]", "1.2.3.4 ",
                          "1.2.3.4:80", "::1::2"}) {
    EXPECT_FALSE(ParseInetAddress(bad)) << bad;
  }
}

// ---------------------------------------------------------------- live kernel

using test::LiveSocket;

std::string SelfComm() {
  std::string comm = test::ReadFile("/proc/self/comm");
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

// Netlink and /proc/net on the same live sockets say the same.
class LivePortsTest : public ::testing::TestWithParam<SocketSource> {};

TEST_P(LivePortsTest, OpenThenClosed) {
  auto tcp4 = std::make_unique<LiveSocket>(AF_INET, SOCK_STREAM, "127.0.0.1");
  auto tcp6 = std::make_unique<LiveSocket>(AF_INET6, SOCK_STREAM, "::1");
  auto udp4 = std::make_unique<LiveSocket>(AF_INET, SOCK_DGRAM, "127.0.0.1");
  PortsOptions options;
  options.source = GetParam();
  options.ports = {Port(tcp4->port(), kTcp, "tcp4"), Port(tcp6->port(), kTcp, "tcp6"),
                   Port(udp4->port(), kUdp, "udp4"),
                   Port(tcp4->port(), kTcp, "tcp4-other", "127.0.0.2"),
                   Port(tcp6->port(), kUdp, "tcp6-as-udp")};
  Paths paths;  // The live /proc.
  PortsCollector collector(paths, options);
  Families families = Collect(collector);
  EXPECT_EQ(Listening(families, tcp4->port(), kTcp, "tcp4"), 1);
  EXPECT_EQ(Listening(families, tcp6->port(), kTcp, "tcp6"), 1);
  EXPECT_EQ(Listening(families, udp4->port(), kUdp, "udp4"), 1);
  EXPECT_EQ(Listening(families, tcp4->port(), kTcp, "tcp4-other"), 0);
  const std::string comm = SelfComm();
  EXPECT_EQ(Owners(families, tcp4->port(), kTcp, "tcp4"), std::vector<std::string>{comm});
  EXPECT_EQ(Owners(families, tcp6->port(), kTcp, "tcp6"), std::vector<std::string>{comm});
  EXPECT_EQ(Owners(families, udp4->port(), kUdp, "udp4"), std::vector<std::string>{comm});
  EXPECT_EQ(Errors(families, "netlink"), 0);
  tcp4.reset();
  tcp6.reset();
  udp4->Close();
  families = Collect(collector);
  EXPECT_EQ(Listening(families, options.ports[0].port, kTcp, "tcp4"), 0);
  EXPECT_EQ(Listening(families, options.ports[1].port, kTcp, "tcp6"), 0);
  EXPECT_EQ(Listening(families, options.ports[2].port, kUdp, "udp4"), 0);
  EXPECT_EQ(test::FindFamily(families, "vitals_port_listener_info"), nullptr);
}

TEST_P(LivePortsTest, TablesLongerThanOnePage) {
  // /proc/net/tcp returns about 4 KiB (27 lines) per read(): 80 listeners and 80 UDP
  // sockets make every table several pages long, and every one must be seen.
  std::vector<std::unique_ptr<LiveSocket>> sockets;
  PortsOptions options;
  options.source = GetParam();
  options.listener_info = false;
  for (int i = 0; i < 160; ++i) {
    const bool tcp = i % 2 == 0;
    sockets.push_back(std::make_unique<LiveSocket>(i % 4 < 2 ? AF_INET : AF_INET6,
                                                   tcp ? SOCK_STREAM : SOCK_DGRAM,
                                                   i % 4 < 2 ? "127.0.0.1" : "::1"));
    options.ports.push_back(
        Port(sockets.back()->port(), tcp ? kTcp : kUdp, ("s" + std::to_string(i)).c_str()));
  }
  PortsCollector collector(Paths{}, options);
  // /proc/net/* is resumed by position between reads, so sockets that other processes
  // (parallel tests) open or close in the same network namespace meanwhile can shift a
  // line out of one read. A port must be seen in one of three collections; a reader
  // that stops after the first page never sees the later ones.
  std::set<std::string> seen;
  for (int attempt = 0; attempt < 3 && seen.size() < options.ports.size(); ++attempt) {
    const Families families = Collect(collector);
    for (const auto& spec : options.ports) {
      if (Listening(families, spec.port, spec.protocol, spec.name) == 1) seen.insert(spec.name);
    }
  }
  for (const auto& spec : options.ports) EXPECT_TRUE(seen.contains(spec.name)) << spec.name;
}

INSTANTIATE_TEST_SUITE_P(Sources, LivePortsTest,
                         ::testing::Values(SocketSource::kNetlink, SocketSource::kProcfs,
                                           SocketSource::kAuto),
                         [](const auto& param_info) {
                           switch (param_info.param) {
                             case SocketSource::kNetlink:
                               return "Netlink";
                             case SocketSource::kProcfs:
                               return "Procfs";
                             default:
                               return "Auto";
                           }
                         });

}  // namespace
}  // namespace vitals::collectors
