#include "collectors/selinux_collector.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/selinux.h"

namespace vitals::collectors {
namespace {

constexpr unsigned long kSelinuxMagic = 0xf97cff8c;  // SELINUX_MAGIC, linux/magic.h.

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

SelinuxCollector::SelinuxCollector(const Paths& paths)
    : sysfs_(paths.sysfs),
      selinuxfs_(procfs::JoinPath(paths.sysfs, "fs/selinux")),
      label_file_(procfs::JoinPath(paths.procfs, "thread-self/attr/current")),
      config_file_(procfs::JoinPath(paths.rootfs, "etc/selinux/config")) {}

// go-selinux's getEnabled: a writable selinuxfs mount, and this thread not labelled
// "kernel". A real mount is told by its magic (read-only: disabled, as in a container
// that hides SELinux); anything else (a fixture tree) by its enforce file. go-selinux
// would also look for selinuxfs mounted elsewhere than /sys/fs/selinux: we do not.
bool SelinuxCollector::Enabled() const {
  struct statfs fs {};
  if (statfs(selinuxfs_.c_str(), &fs) != 0) return false;
  if (static_cast<unsigned long>(fs.f_type) == kSelinuxMagic) {
    if ((fs.f_flags & ST_RDONLY) != 0) return false;
  } else if (!IsRegularFile(selinuxfs_ + "/enforce")) {
    return false;
  }
  // An unreadable label is "", not "kernel", as go-selinux ignores the error.
  std::string buffer;
  const auto label = procfs::ReadFileAt(AT_FDCWD, label_file_.c_str(), buffer);
  std::string_view current = label.ok() ? *label : std::string_view();
  if (!current.empty() && current.back() == '\0') current.remove_suffix(1);
  return current != "kernel";
}

Status SelinuxCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // A wrong --path.sysfs fails rather than reporting SELinux off.
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no such directory: " + sysfs_);
  if (!Enabled()) {
    AddSingle(out, "node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", kGauge, 0);
    return Status::Ok();
  }
  AddSingle(out, "node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", kGauge, 1);
  // go-selinux reads both whole; any read error is "disabled" (-1).
  const auto config = procfs::ReadSmallFile(config_file_);
  AddSingle(out, "node_selinux_config_mode", "Configured SELinux enforcement mode", kGauge,
            procfs::SelinuxConfigMode(config.ok() ? std::string_view(*config) : ""));
  std::string enforce_text;
  const std::string enforce_file = selinuxfs_ + "/enforce";
  const auto enforce = procfs::ReadFileAt(AT_FDCWD, enforce_file.c_str(), enforce_text);
  const auto mode = enforce.ok() ? procfs::ParseGoAtoi(*enforce) : std::nullopt;
  AddSingle(out, "node_selinux_current_mode", "Current SELinux enforcement mode", kGauge,
            static_cast<double>(mode.value_or(-1)));
  return Status::Ok();
}

extern const CollectorSpec selinux_spec = {
    .name = "selinux",
    .enabled_by_default = true,
    .description = "SELinux state (/sys/fs/selinux, /etc/selinux/config)",
    .make = MakeWithPaths<SelinuxCollector>,
};

}  // namespace vitals::collectors
