// os: node_os_info and node_os_version from os-release(5) under --path.rootfs:
// etc/os-release, or usr/lib/os-release when that does not exist.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "collectors/collector.h"
#include "procfs/os_release.h"

namespace vitals::collectors {

// node_exporter's major.minor of VERSION_ID: the match of ^[0-9]+\.?[0-9]* as a
// number, or 0 when it does not match (node_os_version is then not published);
// nullopt when the digits overflow a double (node_exporter fails then).
std::optional<double> OsVersionNumber(std::string_view version_id);

class OsCollector : public Collector {
 public:
  explicit OsCollector(const Paths& paths);
  // The file is parsed again only when its path or modification time changes, as in
  // node_exporter; a parse failure is kept (and fails every scrape) until then. With
  // neither file (while --path.rootfs exists) nothing is published and the collector
  // succeeds.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string rootfs_;
  std::string candidates_[2];
  std::string content_;
  std::string cached_path_;  // Whose parse is below; "" before the first.
  procfs::FileTime cached_mtime_;
  Status cached_status_;
  procfs::OsRelease os_;
  double version_ = 0;
};

}  // namespace vitals::collectors
