// ProbeOnce, the collectors-level entry point behind /probe: refusals with their HTTP
// status, and one real TCP probe on loopback answered without target labels.
#include "collectors/probes_collector.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

ProbesOptions TcpModule() {
  ProbesOptions options;
  options.modules["tcp_connect"].prober = ProberKind::kTcp;
  options.modules["tcp_connect"].timeout = std::chrono::milliseconds(2000);
  return options;
}

// A loopback port bound but not listening: connections to it are refused at once.
class RefusingPort {
 public:
  RefusingPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    socklen_t length = sizeof(address);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { close(fd_); }
  std::string Target() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = 0;
};

TEST(ProbeOnceTest, UnknownModuleIsA400) {
  const auto answer = ProbeOnce(TcpModule(), "127.0.0.1:1", "http_2xx", ScrapeContext{});
  EXPECT_EQ(answer.http_status, 400);
  EXPECT_EQ(answer.refusal, "unknown module \"http_2xx\"");
  EXPECT_TRUE(answer.families.empty());
}

TEST(ProbeOnceTest, TargetOutsideAllowedTargetsIsA403) {
  ProbesOptions options = TcpModule();
  options.allowed_targets.push_back(*Regex::Compile("^(?:10\\.0\\.0\\.1:.*)\\z"));
  const auto answer = ProbeOnce(options, "127.0.0.1:1", "tcp_connect", ScrapeContext{});
  EXPECT_EQ(answer.http_status, 403);
  EXPECT_TRUE(answer.families.empty());
}

TEST(ProbeOnceTest, RefusedTcpProbeFailsWithoutTargetLabels) {
  const RefusingPort port;
  const auto answer = ProbeOnce(TcpModule(), port.Target(), "tcp_connect", ScrapeContext{});
  ASSERT_EQ(answer.http_status, 200);
  EXPECT_EQ(test::SampleValue(answer.families, "probe_success", {}), 0);
  EXPECT_TRUE(test::SampleValue(answer.families, "probe_duration_seconds", {}).has_value());
  // Families a TCP probe leaves empty are not sent at all.
  EXPECT_EQ(test::FindFamily(answer.families, "probe_http_status_code"), nullptr);
}

}  // namespace
}  // namespace vitals::collectors
