#include "procfs/file_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vitals::procfs {
namespace {

constexpr size_t kInitialBuffer = 4096;
constexpr size_t kMaxFileSize = 64 << 20;  // A runaway pseudo-file must not eat memory.

Error ErrnoError(std::string_view what, std::string_view path, int err) {
  return Error{std::string(what) + " " + std::string(path) + ": " + std::strerror(err), err};
}

// Reads from offset 0 to the end (see ReadMode). Every failure carries an errno, so a
// caller can take sys_errno 0 to mean "read fine, content malformed".
Result<std::string_view> ReadWhole(int fd, std::string& buffer, std::string_view path,
                                   ReadMode mode) {
  if (buffer.size() < kInitialBuffer) buffer.resize(kInitialBuffer);
  size_t total = 0;
  while (true) {
    if (total == buffer.size()) {
      if (buffer.size() >= kMaxFileSize)
        return Error{"file too large: " + std::string(path), EFBIG};
      buffer.resize(buffer.size() * 2);
    }
    const ssize_t n =
        pread(fd, buffer.data() + total, buffer.size() - total, static_cast<off_t>(total));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read", path, errno);
    }
    total += static_cast<size_t>(n);
    if (n == 0 || (mode == ReadMode::kOneRecord && total < buffer.size())) {
      return std::string_view(buffer.data(), total);
    }
  }
}

bool IsStale(int err) { return err == ENODEV || err == ESTALE || err == ENOENT || err == EBADF; }

}  // namespace

FileReader::~FileReader() { Close(); }

bool FileReader::Open() {
  fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  return fd_ >= 0;
}

void FileReader::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Result<std::string_view> FileReader::Read() {
  if (fd_ < 0 && !Open()) return ErrnoError("open", path_, errno);
  auto result = ReadWhole(fd_, buffer_, path_, mode_);
  if (!result.ok() && IsStale(result.sys_errno())) {
    // The file was replaced or its device went away: reopen once by path.
    Close();
    if (!Open()) return ErrnoError("open", path_, errno);
    result = ReadWhole(fd_, buffer_, path_, mode_);
  }
  // Other errors (EINVAL from an attribute the driver lacks) keep the fd: retrying
  // next scrape costs one pread, not an open and a close.
  return result;
}

Result<std::string_view> ReadFileAt(int dir_fd, const char* name, std::string& buffer,
                                    ReadMode mode) {
  const int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open", name, errno);
  auto result = ReadWhole(fd, buffer, name, mode);
  close(fd);
  return result;
}

Result<std::string_view> ReadOpenFile(int fd, std::string& buffer, std::string_view what,
                                      ReadMode mode) {
  return ReadWhole(fd, buffer, what, mode);
}

Result<std::string> ReadSmallFile(const std::string& path) {
  std::string buffer;
  auto content = ReadFileAt(AT_FDCWD, path.c_str(), buffer);
  if (!content.ok()) return content.failure();
  std::string_view text = *content;
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return std::string(text);
}

std::string JoinPath(std::string_view root, std::string_view relative) {
  std::string path(root);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  if (relative.empty()) return path;
  if (path != "/") path += '/';
  path += relative;
  return path;
}

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::vector<std::string>> ListDirSorted(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Error{"open " + dir + ": " + std::strerror(errno), errno};
  std::vector<std::string> names;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace vitals::procfs
