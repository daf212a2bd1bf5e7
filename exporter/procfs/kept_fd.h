// An fd kept open between scrapes, counted against a budget: closing it (destruction,
// Reset(), or the move of another into it) gives its slot back.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <utility>

namespace vitals::procfs {

class KeptFd {
 public:
  KeptFd() = default;
  // Takes ownership of `fd` and counts it in `*open` (which must outlive it).
  KeptFd(int fd, size_t* open) : fd_(fd), open_(open) { ++*open_; }
  ~KeptFd() { Reset(); }
  KeptFd(KeptFd&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), open_(std::exchange(other.open_, nullptr)) {}
  KeptFd& operator=(KeptFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
      open_ = std::exchange(other.open_, nullptr);
    }
    return *this;
  }
  KeptFd(const KeptFd&) = delete;
  KeptFd& operator=(const KeptFd&) = delete;

  bool ok() const { return fd_ >= 0; }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ < 0) return;
    close(fd_);
    fd_ = -1;
    --*open_;
    open_ = nullptr;
  }

 private:
  int fd_ = -1;
  size_t* open_ = nullptr;
};

}  // namespace vitals::procfs
