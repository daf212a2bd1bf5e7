// sock_diag: the parser on hand-built netlink datagrams, and a dump from this
// machine's kernel that must contain sockets the test opened.
#include "procfs/sock_diag.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "live_socket.h"

namespace vitals::procfs {
namespace {

// Netlink messages laid out as the kernel sends them (4-byte aligned).
class Datagram {
 public:
  void AddSocket(uint32_t seq, int family, const char* address, uint16_t port, uint8_t state,
                 uint32_t inode) {
    inet_diag_msg diag{};
    diag.idiag_family = static_cast<uint8_t>(family);
    diag.idiag_state = state;
    diag.idiag_uid = 1000;
    diag.idiag_inode = inode;
    diag.id.idiag_sport = htons(port);
    inet_pton(family, address, diag.id.idiag_src);
    Add(seq, SOCK_DIAG_BY_FAMILY, &diag, sizeof diag);
  }
  void AddDone(uint32_t seq, int error = 0) { Add(seq, NLMSG_DONE, &error, sizeof error); }
  void AddError(uint32_t seq, int error) {
    nlmsgerr message{};
    message.error = -error;
    Add(seq, NLMSG_ERROR, &message, sizeof message);
  }
  std::string_view view() const { return {reinterpret_cast<const char*>(words_.data()), size_}; }

 private:
  void Add(uint32_t seq, uint16_t type, const void* payload, size_t length) {
    nlmsghdr header{};
    header.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(length));
    header.nlmsg_type = type;
    header.nlmsg_seq = seq;
    const size_t at = size_;
    size_ += NLMSG_SPACE(length);
    words_.resize((size_ + 3) / 4);
    auto* bytes = reinterpret_cast<char*>(words_.data()) + at;
    std::memcpy(bytes, &header, sizeof header);
    std::memcpy(bytes + NLMSG_HDRLEN, payload, length);
  }
  std::vector<uint32_t> words_;
  size_t size_ = 0;
};

TEST(ParseSockDiagTest, SocketsOfThisRequestThenDone) {
  Datagram datagram;
  datagram.AddSocket(7, AF_INET, "127.0.0.1", 8080, kTcpListen, 111);
  datagram.AddSocket(6, AF_INET, "10.0.0.1", 22, kTcpListen, 222);  // An older request.
  datagram.AddSocket(7, AF_INET6, "::1", 53, kTcpClose, 333);
  std::vector<InetSocket> sockets;
  bool done = true;
  ASSERT_TRUE(ParseSockDiag(datagram.view(), 7, sockets, done).ok());
  EXPECT_FALSE(done);
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(FormatAddress(sockets[0].local), "127.0.0.1");
  EXPECT_EQ(sockets[0].local_port, 8080);
  EXPECT_EQ(sockets[0].state, kTcpListen);
  EXPECT_EQ(sockets[0].uid, 1000u);
  EXPECT_EQ(sockets[0].inode, 111u);
  EXPECT_TRUE(sockets[1].local.v6);
  EXPECT_EQ(FormatAddress(sockets[1].local), "::1");
  EXPECT_EQ(sockets[1].inode, 333u);

  Datagram end;
  end.AddDone(7);
  ASSERT_TRUE(ParseSockDiag(end.view(), 7, sockets, done).ok());
  EXPECT_TRUE(done);
  EXPECT_EQ(sockets.size(), 2u);
}

TEST(ParseSockDiagTest, QueuesAreKept) {
  inet_diag_msg diag{};
  diag.idiag_family = AF_INET;
  diag.idiag_state = kTcpListen;
  diag.idiag_rqueue = 3;     // A listener: the accept backlog...
  diag.idiag_wqueue = 4096;  // ...and its limit.
  std::vector<uint32_t> words(NLMSG_SPACE(sizeof diag) / 4);
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(sizeof diag));
  header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  header.nlmsg_seq = 2;
  std::memcpy(words.data(), &header, sizeof header);
  std::memcpy(reinterpret_cast<char*>(words.data()) + NLMSG_HDRLEN, &diag, sizeof diag);
  std::vector<InetSocket> sockets;
  bool done = false;
  ASSERT_TRUE(ParseSockDiag(std::string_view(reinterpret_cast<const char*>(words.data()),
                                             words.size() * sizeof(uint32_t)),
                            2, sockets, done)
                  .ok());
  ASSERT_EQ(sockets.size(), 1u);
  EXPECT_EQ(sockets[0].rx_queue, 3u);
  EXPECT_EQ(sockets[0].tx_queue, 4096u);
}

TEST(ParseSockDiagTest, FailedDumpAndErrorMessagesAreErrors) {
  std::vector<InetSocket> sockets;
  bool done = false;
  Datagram failed;
  failed.AddDone(1, -EINTR);
  const Status interrupted = ParseSockDiag(failed.view(), 1, sockets, done);
  EXPECT_FALSE(interrupted.ok());
  EXPECT_NE(interrupted.message().find(std::strerror(EINTR)), std::string::npos);

  Datagram refused;
  refused.AddError(1, EPERM);
  const Status denied = ParseSockDiag(refused.view(), 1, sockets, done);
  EXPECT_FALSE(denied.ok());
  EXPECT_NE(denied.message().find(std::strerror(EPERM)), std::string::npos);
  EXPECT_TRUE(sockets.empty());
}

TEST(ParseSockDiagTest, TruncatedMessageIsIgnoredAndShortOneIsAnError) {
  Datagram datagram;
  datagram.AddSocket(1, AF_INET, "127.0.0.1", 80, kTcpListen, 1);
  std::vector<InetSocket> sockets;
  bool done = false;
  // Cut inside the message: NLMSG_OK rejects it, nothing is read past the end.
  ASSERT_TRUE(ParseSockDiag(datagram.view().substr(0, 20), 1, sockets, done).ok());
  EXPECT_TRUE(sockets.empty());

  Datagram other;
  uint32_t payload = 0;
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(sizeof payload));
  header.nlmsg_type = SOCK_DIAG_BY_FAMILY;  // Too short to hold an inet_diag_msg.
  header.nlmsg_seq = 1;
  std::vector<uint32_t> words(NLMSG_SPACE(sizeof payload) / 4);
  std::memcpy(words.data(), &header, sizeof header);
  const std::string_view view(reinterpret_cast<const char*>(words.data()),
                              words.size() * sizeof(uint32_t));
  EXPECT_FALSE(ParseSockDiag(view, 1, sockets, done).ok());
}

TEST(SockDiagTest, DumpHasOurListenerWithItsInode) {
  test::LiveSocket tcp(AF_INET, SOCK_STREAM, "127.0.0.1");
  test::LiveSocket udp(AF_INET6, SOCK_DGRAM, "::1");
  SockDiag diag;
  std::vector<procfs::InetSocket> sockets;
  ASSERT_TRUE(diag.Dump(AF_INET, IPPROTO_TCP, 1u << procfs::kTcpListen, sockets).ok());
  ASSERT_TRUE(diag.Dump(AF_INET6, IPPROTO_UDP, 1u << procfs::kTcpClose, sockets).ok());
  int found = 0;
  for (const auto& s : sockets) {
    if (s.inode == tcp.inode()) {
      ++found;
      EXPECT_EQ(s.local_port, tcp.port());
      EXPECT_EQ(procfs::FormatAddress(s.local), "127.0.0.1");
      EXPECT_EQ(s.state, procfs::kTcpListen);
      EXPECT_EQ(s.uid, getuid());
    }
    if (s.inode == udp.inode()) {
      ++found;
      EXPECT_EQ(s.local_port, udp.port());
      EXPECT_EQ(procfs::FormatAddress(s.local), "::1");
      EXPECT_EQ(s.state, procfs::kTcpClose);
    }
  }
  EXPECT_EQ(found, 2);
}

}  // namespace
}  // namespace vitals::procfs
