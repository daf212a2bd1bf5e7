// /sys/class/nvme: one directory per NVMe controller (prometheus/procfs 0.8.0's
// sysfs/class_nvme.go), with text attributes firmware_rev, model, serial and state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct NvmeDevice {
  std::string name;  // "nvme0"
  // Each attribute's first 128 bytes, trimmed (model is space-padded); empty when
  // the file is missing or its read fails (EIO, ENODATA, EINVAL).
  std::string firmware_revision, model, serial, state;
};

// The entries of `dir` (files included, as os.ReadDir lists them), sorted, without
// "." and "..". Fails with the errno when `dir` cannot be listed.
Result<std::vector<std::string>> ListClassDir(const std::string& dir);

// A sysfs attribute as prometheus/procfs's util.SysReadFile reads it: one read of at
// most 128 bytes, Unicode white space trimmed. Nullopt when it cannot be read.
std::optional<std::string> ReadSysAttribute(FileCache& files, const std::string& path);

NvmeDevice ReadNvmeDevice(FileCache& files, const std::string& dir, std::string name);

}  // namespace vitals::procfs
