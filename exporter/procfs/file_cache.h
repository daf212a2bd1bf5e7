// Keeps small kernel files (sysfs attributes) open between scrapes: a pread on an
// open sysfs or procfs file regenerates its content, so steady-state scrapes pay no
// path walk, open or close. Files not read during a scrape are closed by Sweep(),
// and the number kept open is bounded; past it files are read the plain way.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "procfs/file_reader.h"

namespace vitals::procfs {

class FileCache {
 public:
  explicit FileCache(size_t max_open = 256) : max_open_(max_open) {}

  // Content of `path`; valid until the next Read() of the same path or Sweep().
  Result<std::string_view> Read(const std::string& path);
  // Content with surrounding whitespace removed, or empty when unreadable.
  std::string_view ReadTrimmed(const std::string& path);
  // Closes every file not read since the previous Sweep().
  void Sweep();
  size_t open_files() const { return files_.size(); }

 private:
  struct Entry {
    std::unique_ptr<FileReader> reader;
    bool used = false;
  };
  size_t max_open_;
  std::unordered_map<std::string, Entry> files_;
  std::string overflow_buffer_;
};

}  // namespace vitals::procfs
