// selinux: node_selinux_enabled, and when enabled node_selinux_config_mode and
// node_selinux_current_mode, from <sysfs>/fs/selinux (selinuxfs), <procfs>/thread-self/
// attr/current and <rootfs>/etc/selinux/config, as go-selinux decides them for
// node_exporter 1.5 (which reads the absolute paths; we honour --path.*).
#pragma once

#include <string>

#include "collectors/collector.h"

namespace vitals::collectors {

class SelinuxCollector : public Collector {
 public:
  explicit SelinuxCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  bool Enabled() const;

  std::string sysfs_;
  std::string selinuxfs_;
  std::string label_file_;
  std::string config_file_;
};

}  // namespace vitals::collectors
