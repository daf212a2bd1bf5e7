// Reading kernel pseudo-files cheaply: keep the fd open, pread into a reusable
// buffer that grows until one read holds the whole file (netdata's procfile).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// How many reads a whole file takes. A seq_file with many records (mountinfo,
// diskstats, net/dev, net/tcp) returns about one page per read, so it is read until a
// read returns 0. Regular files, sysfs attributes and procfs files printed as one
// record (/proc/stat, meminfo, loadavg, /proc/PID/stat, status, io, limits, cmdline)
// come whole in one read that the buffer can hold: a short read is the end.
enum class ReadMode { kUntilEof, kOneRecord };

class FileReader {
 public:
  explicit FileReader(std::string path, ReadMode mode = ReadMode::kUntilEof)
      : path_(std::move(path)), mode_(mode) {}
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Reads the whole file; the view stays valid until the next Read().
  Result<std::string_view> Read();
  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }

 private:
  bool Open();
  void Close();

  std::string path_;
  ReadMode mode_;
  int fd_ = -1;
  std::string buffer_;
};

// One-shot read of a small file relative to `dir_fd` (or absolute when dir_fd is
// AT_FDCWD) into `buffer`. Returns the content or an error that keeps the errno
// (Error::Vanished() and Denied() tell an exited process from a forbidden one).
Result<std::string_view> ReadFileAt(int dir_fd, const char* name, std::string& buffer,
                                    ReadMode mode = ReadMode::kUntilEof);

// Reads the whole of an open file from offset 0 with pread (a procfs file regenerates
// its text on each read at 0); `what` names it in errors.
Result<std::string_view> ReadOpenFile(int fd, std::string& buffer, std::string_view what,
                                      ReadMode mode = ReadMode::kUntilEof);

// Convenience for one-off reads (startup, sysfs attributes): content with trailing
// newline removed, or the error.
Result<std::string> ReadSmallFile(const std::string& path);

// Joins a root (e.g. "/proc" or a fixture dir) with a relative path.
std::string JoinPath(std::string_view root, std::string_view relative);

// Whether `path` names a directory (following symlinks). Collectors whose source may be
// absent by design (PSI, the conntrack module, os-release) ask it of their root
// (--path.procfs, --path.rootfs) to tell "this kernel has no such file" from a wrong
// root, which must fail.
bool IsDirectory(const std::string& path);

// The entries of `dir` but "." and "..", sorted by name as Go's os.ReadDir sorts them
// (sysfs class directories: hwmon, power_supply, powercap).
Result<std::vector<std::string>> ListDirSorted(const std::string& dir);

}  // namespace vitals::procfs
