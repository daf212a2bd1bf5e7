#include "procfs/textfile_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vitals::procfs {
namespace {

Error SysError(std::string_view what, const std::string& path, int err) {
  return Error{std::string(what) + " " + path + ": " + std::strerror(err), err};
}

// Not the ctime: it also moves when a writer renames the next version over this one
// (the inode we hold is unlinked), which leaves the bytes we read whole.
bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_ino == b.st_ino;
}

}  // namespace

std::string JoinCleanPath(std::string_view dir, std::string_view name) {
  std::string joined = dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
  if (joined.empty()) return ".";
  const bool rooted = joined.front() == '/';
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view element = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (element.empty() || element == ".") continue;
    if (element != "..") {
      parts.push_back(element);
    } else if (!parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (!rooted) {
      parts.push_back(element);  // "/.." is "/"; a relative path keeps leading "..".
    }
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

std::vector<std::string> ExpandDirectoryPattern(const std::string& pattern) {
  glob_t matches{};
  std::vector<std::string> paths;
  if (glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
  }
  globfree(&matches);
  if (paths.empty()) paths.push_back(pattern);
  return paths;
}

Result<std::vector<std::string>> ListPromFiles(const std::string& dir) {
  DIR* handle = opendir(dir.c_str());
  if (handle == nullptr) return SysError("open", dir, errno);
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = readdir(handle)) {
    const std::string_view name = entry->d_name;
    if (name.size() >= 5 && name.substr(name.size() - 5) == ".prom") names.emplace_back(name);
    errno = 0;
  }
  const int err = errno;
  closedir(handle);
  if (err != 0) return SysError("read", dir, err);
  std::sort(names.begin(), names.end());
  return names;
}

Result<TextfileContent> ReadTextfile(const std::string& path, size_t max_bytes,
                                     std::string& buffer) {
  // O_NONBLOCK: a FIFO named *.prom must not hang the scrape (it is refused below).
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return SysError("open", path, errno);
  struct stat before {};
  if (fstat(fd, &before) != 0) {
    const int err = errno;
    close(fd);
    return SysError("stat", path, err);
  }
  if (!S_ISREG(before.st_mode)) {
    close(fd);
    return Error{path + ": not a regular file", 0};
  }
  if (static_cast<uint64_t>(before.st_size) > max_bytes) {
    close(fd);
    return Error{path + ": larger than " + std::to_string(max_bytes) + " bytes", EFBIG};
  }
  // One byte more than the cap, so a file that grew past it is seen.
  buffer.resize(max_bytes + 1 < static_cast<size_t>(before.st_size) + 4096
                    ? max_bytes + 1
                    : static_cast<size_t>(before.st_size) + 4096);
  size_t used = 0;
  while (used < buffer.size()) {
    const ssize_t n = read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      close(fd);
      return SysError("read", path, err);
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  struct stat after {};
  const int stat_result = fstat(fd, &after);
  const int err = errno;
  close(fd);
  if (stat_result != 0) return SysError("stat", path, err);
  if (used > max_bytes) {
    return Error{path + ": larger than " + std::to_string(max_bytes) + " bytes", EFBIG};
  }
  if (!SameFile(before, after) || used != static_cast<size_t>(after.st_size)) {
    return Error{path + ": changed while being read (write it to a temporary file and rename it)",
                 0};
  }
  return TextfileContent{std::string_view(buffer.data(), used), after.st_mtim.tv_sec};
}

}  // namespace vitals::procfs
