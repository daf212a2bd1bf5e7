#include "procfs/proc_fs.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/text.h"
#include "procfs/file_reader.h"

namespace vitals::procfs {
namespace {

Error ErrnoError(std::string_view what, std::string_view path, int err) {
  return Error{std::string(what) + " " + std::string(path) + ": " + std::strerror(err), err};
}

// A parse failure: the file was read, so no errno.
Error Malformed(const Error& parse_error, std::string_view path) {
  return Error{std::string(path) + ": " + parse_error.message, 0};
}

}  // namespace

ProcFs::ProcFs(std::string root, OpenDirFn open_dir) : root_(std::move(root)), open_dir_(open_dir) {
  fd_ = open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct statfs fs {};
  is_real_ = fd_ >= 0 && fstatfs(fd_, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

ProcFs::~ProcFs() {
  if (fd_ >= 0) close(fd_);
}

Result<std::string_view> ProcFs::ReadFile(std::string_view relative, std::string& buffer) const {
  // By path, not by fd: error messages then name the whole path.
  const std::string path = JoinPath(root_, relative);
  return ReadFileAt(AT_FDCWD, path.c_str(), buffer);
}

Result<DIR*> ProcFs::OpenDirAt(int dir_fd, const char* name) const {
  const int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open", name, errno);
  DIR* dir = open_dir_(fd);
  if (dir == nullptr) {
    const int err = errno;  // close() may overwrite it.
    close(fd);
    return ErrnoError("opendir", name, err);
  }
  return dir;
}

Status ProcFs::ForEachPid(const std::function<bool(int64_t pid)>& fn) const {
  if (fd_ < 0) return Status::Fail("cannot open " + root_);
  auto dir = OpenDirAt(fd_, ".");  // A fresh listing: our own fd's offset is not shared.
  if (!dir.ok()) return Status::Fail(root_ + ": " + dir.error());
  while (const dirent* entry = readdir(*dir)) {
    const auto pid = ParseU64(entry->d_name);
    if (pid && !fn(static_cast<int64_t>(*pid))) break;
  }
  closedir(*dir);
  return Status::Ok();
}

Pid::Pid(const ProcFs& fs, int64_t pid) : fs_(&fs), pid_(pid) {}

const char* Pid::Path(const char* name) const {
  std::snprintf(path_.data(), path_.size(), "%lld/%s", static_cast<long long>(pid_), name);
  return path_.data();
}

Result<std::string_view> Pid::ReadFile(const char* name, std::string& buffer) const {
  // Every per-process file is printed as one record.
  return ReadFileAt(fs_->fd_, Path(name), buffer, ReadMode::kOneRecord);
}

Result<PidStat> Pid::Stat(std::string& buffer) const {
  auto text = ReadFile("stat", buffer);
  if (!text.ok()) return text.failure();
  auto stat = ParsePidStat(*text);
  if (!stat.ok()) return Malformed(stat.failure(), Path("stat"));
  return stat;
}

Result<int> Pid::Open(const char* name) const {
  const int fd = openat(fs_->fd_, Path(name), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{std::string("open ") + Path(name) + ": " + std::strerror(errno), errno};
  return fd;
}

namespace {

// Reads a kept per-process fd and parses it; `what` names it in errors.
template <typename T, typename Parse>
Result<T> ParseKept(int fd, std::string& buffer, const char* what, Parse parse) {
  auto text = ReadOpenFile(fd, buffer, what, ReadMode::kOneRecord);
  if (!text.ok()) return text.failure();
  auto parsed = parse(*text);
  if (!parsed.ok()) return Error{std::string("malformed ") + what + ": " + parsed.error()};
  return parsed;
}

}  // namespace

Result<PidStat> Pid::StatFrom(int fd, std::string& buffer) {
  return ParseKept<PidStat>(fd, buffer, "kept stat", ParsePidStat);
}

Result<PidStatus> Pid::StatusFrom(int fd, std::string& buffer) {
  return ParseKept<PidStatus>(fd, buffer, "kept status", ParsePidStatus);
}

Result<PidIo> Pid::IoFrom(int fd, std::string& buffer) {
  return ParseKept<PidIo>(fd, buffer, "kept io", ParsePidIo);
}

Result<PidStatus> Pid::Status(std::string& buffer) const {
  auto text = ReadFile("status", buffer);
  if (!text.ok()) return text.failure();
  auto status = ParsePidStatus(*text);
  if (!status.ok()) return Malformed(status.failure(), Path("status"));
  return status;
}

Result<PidIo> Pid::Io(std::string& buffer) const {
  auto text = ReadFile("io", buffer);
  if (!text.ok()) return text.failure();
  auto io = ParsePidIo(*text);
  if (!io.ok()) return Malformed(io.failure(), Path("io"));
  return io;
}

Result<std::vector<std::string>> Pid::Cmdline(std::string& buffer) const {
  auto text = ReadFile("cmdline", buffer);
  if (!text.ok()) return text.failure();
  return SplitCmdline(*text);
}

Result<std::string> Pid::Comm(std::string& buffer) const {
  auto text = ReadFile("comm", buffer);
  if (!text.ok()) return text.failure();
  std::string_view comm = *text;
  if (!comm.empty() && comm.back() == '\n') comm.remove_suffix(1);
  return std::string(comm);
}

Result<uint64_t> Pid::FdCount() const {
  struct stat fd_stat {};
  if (fs_->is_real_ && fstatat(fs_->fd_, Path("fd"), &fd_stat, 0) == 0 && fd_stat.st_size > 0) {
    return static_cast<uint64_t>(fd_stat.st_size);  // Linux 6.2+: the fd count.
  }
  auto dir = fs_->OpenDirAt(fs_->fd_, Path("fd"));
  if (!dir.ok()) return dir.failure();
  uint64_t count = 0;
  while (const dirent* entry = readdir(*dir)) count += entry->d_name[0] != '.';
  closedir(*dir);
  return count;
}

Result<std::optional<uint64_t>> Pid::MaxOpenFiles(std::string& buffer) const {
  // prlimit(2) is one system call; /proc/PID/limits costs an open, sixteen formatted
  // lines and a close. It needs the same uid or CAP_SYS_RESOURCE, and a live /proc.
  struct rlimit limit {};
  if (fs_->is_real_ && prlimit(static_cast<pid_t>(pid_), RLIMIT_NOFILE, nullptr, &limit) == 0) {
    if (limit.rlim_cur == RLIM_INFINITY) return std::optional<uint64_t>();
    return std::optional<uint64_t>(limit.rlim_cur);
  }
  auto text = ReadFile("limits", buffer);
  if (!text.ok()) return text.failure();
  auto parsed = ParseMaxOpenFiles(*text);
  if (!parsed.ok()) return Malformed(parsed.failure(), Path("limits"));
  return parsed;
}

Result<std::vector<int64_t>> Pid::TaskIds() const {
  auto dir = fs_->OpenDirAt(fs_->fd_, Path("task"));
  if (!dir.ok()) return dir.failure();
  std::vector<int64_t> tids;
  while (const dirent* entry = readdir(*dir)) {
    if (const auto tid = ParseU64(entry->d_name)) tids.push_back(static_cast<int64_t>(*tid));
  }
  closedir(*dir);
  return tids;
}

Result<PidStat> Pid::TaskStat(int64_t tid, std::string& buffer) const {
  std::array<char, 48> name{};
  std::snprintf(name.data(), name.size(), "task/%lld/stat", static_cast<long long>(tid));
  auto text = ReadFile(name.data(), buffer);
  if (!text.ok()) return text.failure();
  auto stat = ParsePidStat(*text);
  if (!stat.ok()) return Malformed(stat.failure(), Path(name.data()));
  return stat;
}

Result<ThreadSwitches> Pid::SumThreadSwitches(std::string& buffer) const {
  auto dir = fs_->OpenDirAt(fs_->fd_, Path("task"));
  if (!dir.ok()) return dir.failure();
  ThreadSwitches sum;
  bool any = false;
  while (const dirent* entry = readdir(*dir)) {
    const auto tid = ParseU64(entry->d_name);
    if (!tid) continue;  // "." and "..".
    std::array<char, 48> status_path{};
    std::snprintf(status_path.data(), status_path.size(), "%llu/status",
                  static_cast<unsigned long long>(*tid));
    auto text = ReadFileAt(dirfd(*dir), status_path.data(), buffer, ReadMode::kOneRecord);
    if (!text.ok()) continue;  // A thread that exited meanwhile.
    if (auto status = ParsePidStatus(*text); status.ok()) {
      sum.voluntary += status->voluntary_ctxt_switches;
      sum.nonvoluntary += status->nonvoluntary_ctxt_switches;
      any = true;
    }
  }
  closedir(*dir);
  if (!any) return Error{std::string(Path("task")) + ": no thread status could be read", ENOENT};
  return sum;
}

Result<std::optional<uint64_t>> Pid::SocketInode(int fd) const {
  std::array<char, 48> name{};
  std::snprintf(name.data(), name.size(), "fd/%d", fd);
  std::array<char, 64> link{};
  const ssize_t length = readlinkat(fs_->fd_, Path(name.data()), link.data(), link.size());
  if (length < 0) return ErrnoError("readlink", path_.data(), errno);
  if (static_cast<size_t>(length) >= link.size()) return std::optional<uint64_t>();
  return ParseSocketLink(std::string_view(link.data(), static_cast<size_t>(length)));
}

Result<size_t> Pid::ForEachSocket(const std::function<bool(int fd, uint64_t inode)>& fn) const {
  auto dir = fs_->OpenDirAt(fs_->fd_, Path("fd"));
  if (!dir.ok()) return dir.failure();
  size_t seen = 0;
  while (const dirent* entry = readdir(*dir)) {
    std::array<char, 64> link{};
    const ssize_t length = readlinkat(dirfd(*dir), entry->d_name, link.data(), link.size());
    if (length <= 0 || static_cast<size_t>(length) >= link.size()) continue;
    const auto inode = ParseSocketLink(std::string_view(link.data(), static_cast<size_t>(length)));
    const auto fd = ParseU64(entry->d_name);
    if (!inode || !fd) continue;
    ++seen;
    if (!fn(static_cast<int>(*fd), *inode)) break;
  }
  closedir(*dir);
  return seen;
}

std::optional<uint64_t> ParseSocketLink(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!StartsWith(link, kPrefix) || link.size() < kPrefix.size() + 2 || link.back() != ']') {
    return std::nullopt;
  }
  return ParseU64(link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1));
}

std::vector<std::string> SplitCmdline(std::string_view text) {
  std::vector<std::string> argv;
  while (!text.empty()) {
    const size_t nul = text.find('\0');
    argv.emplace_back(text.substr(0, nul));
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  while (!argv.empty() && argv.back().empty()) argv.pop_back();
  return argv;
}

}  // namespace vitals::procfs
