#include "procfs/sock_diag.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

namespace vitals::procfs {
namespace {

// Dumps come in datagrams of at most ~32 KiB (the kernel caps its dump buffer there);
// a larger buffer lets recv() report truncation instead of losing sockets silently.
constexpr size_t kBufferSize = 64 * 1024;
// A dump ends with NLMSG_DONE; these bound the loop if it never does.
constexpr int kMaxDatagrams = 1 << 16;
constexpr int kTimeoutSeconds = 2;

Status Errno(const char* what, int err) {
  return Status::Fail(std::string("sock_diag: ") + what + ": " + std::strerror(err));
}

}  // namespace

SockDiag::~SockDiag() { Close(); }

void SockDiag::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Status SockDiag::Dump(int family, int protocol, uint32_t states, std::vector<InetSocket>& out) {
  if (fd_ < 0) {
    fd_ = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd_ < 0) return Errno("socket", errno);
    const timeval timeout{kTimeoutSeconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    buffer_.resize(kBufferSize);
  }
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  const uint32_t seq = ++seq_;
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.header.nlmsg_seq = seq;
  message.request.sdiag_family = static_cast<uint8_t>(family);
  message.request.sdiag_protocol = static_cast<uint8_t>(protocol);
  message.request.idiag_states = states;  // No extensions: the fixed part is all we read.
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_, &message, sizeof message, 0, reinterpret_cast<const sockaddr*>(&kernel),
             sizeof kernel) < 0) {
    const int err = errno;
    Close();
    return Errno("send", err);
  }
  Status status = Receive(seq, out);
  if (!status.ok()) Close();  // Whatever is left of this dump must not reach the next one.
  return status;
}

Status SockDiag::Receive(uint32_t seq, std::vector<InetSocket>& out) {
  for (int datagram = 0; datagram < kMaxDatagrams; ++datagram) {
    const ssize_t received = recv(fd_, buffer_.data(), buffer_.size(), MSG_TRUNC);
    if (received < 0) {
      if (errno == EINTR) continue;
      return Errno("recv", errno);
    }
    if (static_cast<size_t>(received) > buffer_.size()) {
      return Status::Fail("sock_diag: datagram of " + std::to_string(received) +
                          " bytes truncated");
    }
    bool done = false;
    Status status = ParseSockDiag(std::string_view(buffer_.data(), static_cast<size_t>(received)),
                                  seq, out, done);
    if (!status.ok() || done) return status;
  }
  return Status::Fail("sock_diag: no end of dump after " + std::to_string(kMaxDatagrams) +
                      " datagrams");
}

Status ParseSockDiag(std::string_view datagram, uint32_t seq, std::vector<InetSocket>& out,
                     bool& done) {
  done = false;
  int length = static_cast<int>(datagram.size());
// NLMSG_OK compares the __u32 nlmsg_len with the int length: clang's -Wsign-compare.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
  for (auto* header = reinterpret_cast<const nlmsghdr*>(datagram.data()); NLMSG_OK(header, length);
       header = NLMSG_NEXT(header, length)) {
#pragma GCC diagnostic pop
    if (header->nlmsg_seq != seq) continue;  // Not an answer to this request.
    if (header->nlmsg_type == NLMSG_DONE) {
      done = true;
      // A dump that failed midway says so with a negative errno after the header.
      int error = 0;
      if (header->nlmsg_len >= NLMSG_LENGTH(sizeof error)) {
        std::memcpy(&error, NLMSG_DATA(header), sizeof error);
      }
      return error < 0 ? Errno("dump", -error) : Status::Ok();
    }
    if (header->nlmsg_type == NLMSG_ERROR) {
      nlmsgerr error{};
      if (header->nlmsg_len >= NLMSG_LENGTH(sizeof error)) {
        std::memcpy(&error, NLMSG_DATA(header), sizeof error);
      }
      return Errno("request", error.error < 0 ? -error.error : EPROTO);
    }
    if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
        header->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) {
      return Status::Fail("sock_diag: unexpected message type " +
                          std::to_string(header->nlmsg_type));
    }
    inet_diag_msg diag{};
    std::memcpy(&diag, NLMSG_DATA(header), sizeof diag);
    InetSocket& socket = out.emplace_back();
    socket.local.v6 = diag.idiag_family == AF_INET6;
    std::memcpy(socket.local.bytes.data(), diag.id.idiag_src, socket.local.v6 ? 16 : 4);
    socket.local_port = ntohs(diag.id.idiag_sport);
    socket.state = diag.idiag_state;
    socket.uid = diag.idiag_uid;
    socket.inode = diag.idiag_inode;
    socket.rx_queue = diag.idiag_rqueue;
    socket.tx_queue = diag.idiag_wqueue;
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
