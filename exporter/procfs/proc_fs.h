// The /proc handle, after prometheus/procfs's FS and Proc: ProcFs holds the root (the
// live /proc or a fixture tree) and a directory fd on it, and is the one place that
// opens it; Pid reads one process's files relative to that fd, so no caller builds a
// "%lld/..." path. Every failure is an Error that keeps the errno: Vanished() is a
// process that exited meanwhile, Denied() another user's process, and sys_errno 0 a
// file that was read but did not parse.
#pragma once

#include <dirent.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/pid_io.h"
#include "procfs/pid_stat.h"
#include "procfs/pid_status.h"

namespace vitals::procfs {

class Pid;

class ProcFs {
 public:
  // fdopendir(3), replaceable so that tests can make it fail like a process that
  // exits between openat() and fdopendir().
  using OpenDirFn = DIR* (*)(int fd);

  explicit ProcFs(std::string root, OpenDirFn open_dir = ::fdopendir);
  ~ProcFs();
  ProcFs(const ProcFs&) = delete;
  ProcFs& operator=(const ProcFs&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& root() const { return root_; }
  // A real procfs (PROC_SUPER_MAGIC): prlimit(2) and the st_size fd count apply, which
  // a fixture tree cannot fake.
  bool is_real() const { return is_real_; }

  // Reads "<root>/<relative>" (e.g. "stat", "net/tcp") into `buffer`.
  Result<std::string_view> ReadFile(std::string_view relative, std::string& buffer) const;
  // Calls `fn` for every numeric entry of the root in directory order, until it
  // returns false.
  Status ForEachPid(const std::function<bool(int64_t pid)>& fn) const;

  // Opens `name` relative to `dir_fd` as a directory stream; the fd never leaks.
  Result<DIR*> OpenDirAt(int dir_fd, const char* name) const;

 private:
  friend class Pid;

  std::string root_;
  OpenDirFn open_dir_;
  int fd_ = -1;
  bool is_real_ = false;
};

// Context switches summed over every thread of a process.
struct ThreadSwitches {
  uint64_t voluntary = 0, nonvoluntary = 0;
};

// One process, by pid; cheap to copy. Readers take the caller's buffer: views they
// return (PidStat::comm, PidStatus::cpus_allowed_list) point into it.
class Pid {
 public:
  Pid(const ProcFs& fs, int64_t pid);

  int64_t id() const { return pid_; }

  Result<std::string_view> ReadFile(const char* name, std::string& buffer) const;
  Result<PidStat> Stat(std::string& buffer) const;
  // Opens /proc/PID/<name> ("stat", "status", "io") to be re-read with the *From()
  // functions below while the process lives: the fd stays bound to this process (a read
  // after it exited fails with ESRCH, even once the pid is reused), which saves the path
  // walk and open of every later read.
  Result<int> Open(const char* name) const;
  static Result<PidStat> StatFrom(int fd, std::string& buffer);
  static Result<PidStatus> StatusFrom(int fd, std::string& buffer);
  static Result<PidIo> IoFrom(int fd, std::string& buffer);
  Result<PidStatus> Status(std::string& buffer) const;
  Result<PidIo> Io(std::string& buffer) const;
  // argv, split at NULs; trailing empty arguments dropped (kernel threads: none).
  Result<std::vector<std::string>> Cmdline(std::string& buffer) const;
  Result<std::string> Comm(std::string& buffer) const;
  // Open file descriptors.
  Result<uint64_t> FdCount() const;
  // RLIMIT_NOFILE's soft limit; nullopt when unlimited.
  Result<std::optional<uint64_t>> MaxOpenFiles(std::string& buffer) const;
  // The thread ids listed in /proc/PID/task, in directory order.
  Result<std::vector<int64_t>> TaskIds() const;
  // /proc/PID/task/TID/stat.
  Result<PidStat> TaskStat(int64_t tid, std::string& buffer) const;
  // Summed over /proc/PID/task/*/status (status itself counts the main thread only).
  Result<ThreadSwitches> SumThreadSwitches(std::string& buffer) const;
  // The socket inode behind fd `fd` ("socket:[N]"); nullopt for any other file.
  Result<std::optional<uint64_t>> SocketInode(int fd) const;
  // Calls `fn(fd, inode)` for each socket among the process's fds, until it returns
  // false; returns how many sockets it saw.
  Result<size_t> ForEachSocket(const std::function<bool(int fd, uint64_t inode)>& fn) const;

 private:
  const char* Path(const char* name) const;

  const ProcFs* fs_;
  int64_t pid_;
  mutable std::array<char, 64> path_{};
};

// "socket:[12345]" -> 12345.
std::optional<uint64_t> ParseSocketLink(std::string_view link);

// argv from /proc/PID/cmdline's NUL-separated text.
std::vector<std::string> SplitCmdline(std::string_view text);

}  // namespace vitals::procfs
