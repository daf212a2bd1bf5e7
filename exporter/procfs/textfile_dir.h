// Reading node_exporter-style textfile directories: the *.prom names of a directory and
// one bounded read of each file, with its mtime, that detects a file rewritten in place
// while it was read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// node_exporter 1.5's reading of --collector.textfile.directory: a glob pattern (glob(3),
// which for *, ? and [...] matches Go's filepath.Glob) expanded in sorted order; a
// pattern that matches nothing, or a plain path, stands for itself.
std::vector<std::string> ExpandDirectoryPattern(const std::string& pattern);

// The names in `dir` ending in ".prom" (".prom" itself included, as Go's HasSuffix), sorted
// bytewise (Go's os.ReadDir order). Fails, keeping the errno, when the directory cannot be opened
// or read.
Result<std::vector<std::string>> ListPromFiles(const std::string& dir);

// Go's filepath.Join(dir, name) on Unix: the two joined by '/' and made lexically clean
// (no "//", "." or "dir/.." elements; ".." kept at the front of a relative path), so
// node_textfile_mtime_seconds{file} and the HELP name a file as node_exporter does.
std::string JoinCleanPath(std::string_view dir, std::string_view name);

struct TextfileContent {
  std::string_view text;  // Points into the caller's buffer.
  int64_t mtime_seconds = 0;
};

// Reads the regular file `path` whole into `buffer` with reads bounded by `max_bytes`.
// Fails on anything that is not a regular file, on a file larger than `max_bytes`, and
// when the file's size or mtime changed between the fstat before and the one
// after the read, or when the bytes read differ from the size (a writer rewriting it
// in place: the text may be torn). A symlink to a regular file is followed, as Go's
// os.Open does.
Result<TextfileContent> ReadTextfile(const std::string& path, size_t max_bytes,
                                     std::string& buffer);

}  // namespace vitals::procfs
