#include "collectors/os_collector.h"

#include <charconv>
#include <cmath>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

std::optional<double> OsVersionNumber(std::string_view version_id) {
  size_t end = 0;
  const auto digits = [&] {
    while (end < version_id.size() && version_id[end] >= '0' && version_id[end] <= '9') ++end;
  };
  digits();
  if (end == 0) return 0.0;
  if (end < version_id.size() && version_id[end] == '.') {
    ++end;
    digits();
  }
  std::string_view match = version_id.substr(0, end);
  if (match.back() == '.') match.remove_suffix(1);  // "12." is 12 to Go's ParseFloat.
  double value = 0;
  const auto [ptr, ec] = std::from_chars(match.data(), match.data() + match.size(), value);
  if (ec != std::errc() || ptr != match.data() + match.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

OsCollector::OsCollector(const Paths& paths)
    : rootfs_(paths.rootfs),
      candidates_{procfs::JoinPath(paths.rootfs, "etc/os-release"),
                  procfs::JoinPath(paths.rootfs, "usr/lib/os-release")} {}

Status OsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  bool found = false;
  for (const std::string& path : candidates_) {
    procfs::FileTime mtime = path == cached_path_ ? cached_mtime_ : procfs::FileTime{};
    const auto read = procfs::ReadIfModified(path, mtime, content_);
    if (!read.ok()) {
      if (read.failure().Vanished()) continue;  // Try the next; /etc's may be absent.
      return Status::Fail(read.error());
    }
    found = true;
    if (*read) {
      cached_path_ = path;
      cached_mtime_ = mtime;
      cached_status_ = procfs::ParseOsRelease(content_, os_);
      if (cached_status_.ok()) {
        const auto version = OsVersionNumber(os_.version_id);
        if (version) {
          version_ = *version;
        } else {
          cached_status_ = Status::Fail("VERSION_ID out of range: " + os_.version_id);
        }
      } else {
        cached_status_ = Status::Fail(path + ": " + cached_status_.message());
      }
    }
    break;
  }
  if (!found) {
    if (procfs::IsDirectory(rootfs_)) return Status::Ok();
    return Status::Fail("no " + candidates_[0] + " nor " + candidates_[1]);
  }
  if (!cached_status_.ok()) return cached_status_;
  AddSample(AddFamily(out, "node_os_info",
                      "A metric with a constant '1' value labeled by build_id, id, id_like, "
                      "image_id, image_version, name, pretty_name, variant, variant_id, "
                      "version, version_codename, version_id.",
                      kGauge),
            1,
            {{"build_id", os_.build_id},
             {"id", os_.id},
             {"id_like", os_.id_like},
             {"image_id", os_.image_id},
             {"image_version", os_.image_version},
             {"name", os_.name},
             {"pretty_name", os_.pretty_name},
             {"variant", os_.variant},
             {"variant_id", os_.variant_id},
             {"version", os_.version},
             {"version_codename", os_.version_codename},
             {"version_id", os_.version_id}});
  if (version_ > 0) {
    AddSample(AddFamily(out, "node_os_version",
                        "Metric containing the major.minor part of the OS version.", kGauge),
              version_, {{"id", os_.id}, {"id_like", os_.id_like}, {"name", os_.name}});
  }
  return Status::Ok();
}

extern const CollectorSpec os_spec = {
    .name = "os",
    .enabled_by_default = true,
    .description = "Operating system identity (os-release(5) under --path.rootfs)",
    .make = MakeWithPaths<OsCollector>,
};

}  // namespace vitals::collectors
