#include "procfs/file_cache.h"

#include <fcntl.h>

#include "base/text.h"

namespace vitals::procfs {

Result<std::string_view> FileCache::Read(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    if (files_.size() >= max_open_) {
      return ReadFileAt(AT_FDCWD, path.c_str(), overflow_buffer_, ReadMode::kOneRecord);
    }
    it =
        files_.emplace(path, Entry{std::make_unique<FileReader>(path, ReadMode::kOneRecord), false})
            .first;
  }
  it->second.used = true;
  auto content = it->second.reader->Read();
  if (!it->second.reader->is_open()) files_.erase(it);  // Gone: do not keep a dead entry.
  return content;
}

std::string_view FileCache::ReadTrimmed(const std::string& path) {
  auto content = Read(path);
  return content.ok() ? Trim(*content) : std::string_view();
}

void FileCache::Sweep() {
  std::erase_if(files_, [](const auto& item) { return !item.second.used; });
  for (auto& [path, entry] : files_) entry.used = false;
}

}  // namespace vitals::procfs
