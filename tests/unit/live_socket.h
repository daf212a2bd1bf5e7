// Sockets the live-kernel tests open on loopback (the ports collector, sock_diag).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

namespace vitals::test {

// A socket the test opens and closes; the port is the kernel's choice.
class LiveSocket {
 public:
  LiveSocket(int family, int type, const char* address) {
    fd_ = socket(family, type | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd_, 0);
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&storage);
      in->sin_family = AF_INET;
      inet_pton(AF_INET, address, &in->sin_addr);
      length = sizeof *in;
    } else {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
      in6->sin6_family = AF_INET6;
      inet_pton(AF_INET6, address, &in6->sin6_addr);
      length = sizeof *in6;
    }
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&storage), length), 0) << address;
    if (type == SOCK_STREAM) {
      EXPECT_EQ(listen(fd_, 4), 0);
    }
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length), 0);
    port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&storage)->sin_port
                                    : reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
    struct stat st {};
    EXPECT_EQ(fstat(fd_, &st), 0);
    inode_ = st.st_ino;
  }
  ~LiveSocket() { Close(); }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }
  uint64_t inode() const { return inode_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  uint64_t inode_ = 0;
};

}  // namespace vitals::test
