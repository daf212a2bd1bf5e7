// sysctl: node_sysctl_<name> and node_sysctl_info from the /proc/sys files the user
// names, node_exporter 1.5's sysctl collector (off by default).
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"

namespace vitals::collectors {

struct SysctlOptions {
  // "name" or "name:key1,key2,...", numeric (--collector.sysctl.include, repeatable).
  std::vector<std::string> include;
  // As text, in node_sysctl_info (--collector.sysctl.include-info, repeatable).
  std::vector<std::string> include_info;

  bool operator==(const SysctlOptions&) const = default;
};

class SysctlCollector : public Collector {
 public:
  SysctlCollector(const Paths& paths, const SysctlOptions& options);
  // Numeric sysctls first, then the info ones, each in the order given. The first that
  // is missing, empty, not numbers (numeric ones) or has a different number of values
  // than keys fails the collector; what came before it is still published, as in
  // node_exporter.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  struct Sysctl {
    std::string name;
    std::vector<std::string> keys;
    bool has_keys = false;
    bool numeric = true;
  };

  std::string procfs_;
  std::vector<Sysctl> sysctls_;
};

}  // namespace vitals::collectors
