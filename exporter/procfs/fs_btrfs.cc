#include "procfs/fs_btrfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "base/text.h"
#include "procfs/file_reader.h"

namespace vitals::procfs {
namespace {

constexpr size_t kSysReadSize = 128;  // util.SysReadFile's one read.
constexpr uint64_t kSectorSize = 512;

struct Entry {
  std::string name;
  bool is_dir = false;  // DirEntry.IsDir(): the entry itself, links not followed.
};

// os.ReadDir: sorted entries, or the error.
Result<std::vector<Entry>> ReadDir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Error{"open " + dir + ": " + std::strerror(errno), errno};
  std::vector<Entry> entries;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool is_dir = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st {};
      is_dir =
          fstatat(dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    }
    entries.push_back({std::string(name), is_dir});
  }
  closedir(d);
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return entries;
}

// prometheus/procfs's btrfs reader: one directory and its kept error.
class Reader {
 public:
  Reader(std::string path, size_t dev_count) : path_(std::move(path)), dev_count_(dev_count) {}

  std::string ReadFile(const std::string& name) {
    const auto text =
        ReadFileAt(AT_FDCWD, (path_ + "/" + name).c_str(), buffer_, ReadMode::kOneRecord);
    if (!text.ok()) {
      if (text.sys_errno() != ENOENT) err_ = text.failure();
      return "";
    }
    return std::string(TrimGoSpace(text->substr(0, kSysReadSize)));
  }

  uint64_t ReadValue(const std::string& name) {
    const std::string text = ReadFile(name);
    if (err_) return 0;
    return ParseBtrfsValue(text);
  }

  std::vector<std::string> ListFiles(const std::string& name) {
    const auto entries = ReadDir(path_ + "/" + name);
    std::vector<std::string> names;
    if (!entries.ok()) {
      err_ = entries.failure();
      return names;
    }
    for (const Entry& entry : *entries) names.push_back(entry.name);
    return names;
  }

  BtrfsAllocation ReadAllocation(const std::string& name) {
    Reader sub(path_ + "/" + name, dev_count_);
    BtrfsAllocation allocation;
    for (const char* file : {"bytes_may_use", "bytes_pinned", "bytes_readonly"}) {
      sub.ReadValue(file);  // Read (and possibly failing) in procfs's order.
    }
    allocation.reserved_bytes = sub.ReadValue("bytes_reserved");
    for (const char* file :
         {"bytes_used", "disk_used", "disk_total", "flags", "total_bytes", "total_bytes_pinned"}) {
      sub.ReadValue(file);
    }
    sub.ReadLayouts(allocation.layouts);
    err_ = sub.err_;
    return allocation;
  }

  void ReadLayouts(std::map<std::string, BtrfsLayout>& layouts) {
    const auto entries = ReadDir(path_);
    if (!entries.ok()) {
      err_ = entries.failure();
      return;
    }
    for (const Entry& entry : *entries) {
      if (!entry.is_dir) continue;
      BtrfsLayout& layout = layouts[entry.name];
      layout.total_bytes = ReadValue(entry.name + "/total_bytes");
      layout.used_bytes = ReadValue(entry.name + "/used_bytes");
      layout.ratio = Ratio(entry.name);
    }
  }

  double Ratio(std::string_view layout) const {
    const double n = static_cast<double>(dev_count_);
    if (layout == "single" || layout == "raid0") return 1;
    if (layout == "dup" || layout == "raid1" || layout == "raid10") return 2;
    if (layout == "raid5") return n / (n - 1);
    if (layout == "raid6") return n / (n - 2);
    return 0;
  }

  void set_dev_count(size_t n) { dev_count_ = n; }
  const std::optional<Error>& err() const { return err_; }

 private:
  std::string path_;
  size_t dev_count_;
  std::optional<Error> err_;
  std::string buffer_;
};

}  // namespace

uint64_t ParseBtrfsValue(std::string_view text) { return ParseU64(TrimGoSpace(text)).value_or(0); }

std::vector<std::string> ListBtrfsFilesystems(const std::string& fs_btrfs) {
  std::vector<std::string> names;
  const auto entries = ListDirSorted(fs_btrfs);
  if (!entries.ok()) return names;  // Glob ignores an unreadable directory.
  for (const std::string& name : *entries) {
    if (name.find('-') != std::string::npos) names.push_back(name);
  }
  return names;
}

Result<BtrfsStats> ReadBtrfs(const std::string& dir) {
  Reader reader(dir, 0);
  BtrfsStats stats;
  // readDeviceInfo first: its count decides the raid5/6 ratios.
  for (const std::string& device : reader.ListFiles("devices")) {
    stats.device_sizes[device] = kSectorSize * reader.ReadValue("devices/" + device + "/size");
  }
  reader.set_dev_count(stats.device_sizes.size());
  stats.label = reader.ReadFile("label");
  stats.uuid = reader.ReadFile("metadata_uuid");
  reader.ListFiles("features");
  for (const char* file : {"clone_alignment", "nodesize", "quota_override", "sectorsize",
                           "allocation/global_rsv_reserved"}) {
    reader.ReadValue(file);
  }
  stats.global_rsv_size = reader.ReadValue("allocation/global_rsv_size");
  stats.data = reader.ReadAllocation("allocation/data");
  stats.metadata = reader.ReadAllocation("allocation/metadata");
  stats.system = reader.ReadAllocation("allocation/system");
  if (reader.err()) return *reader.err();
  if (stats.uuid.empty()) {
    const size_t slash = dir.find_last_of('/');
    stats.uuid = slash == std::string::npos ? dir : dir.substr(slash + 1);
  }
  return stats;
}

}  // namespace vitals::procfs
