#include "collectors/conntrack_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/conntrack.h"
#include "procfs/sysctl.h"

namespace vitals::collectors {

ConntrackCollector::ConntrackCollector(const Paths& paths)
    : procfs_(paths.procfs),
      count_file_(procfs::JoinPath(paths.procfs, "sys/net/netfilter/nf_conntrack_count"),
                  procfs::ReadMode::kOneRecord),
      max_file_(procfs::JoinPath(paths.procfs, "sys/net/netfilter/nf_conntrack_max"),
                procfs::ReadMode::kOneRecord),
      stat_file_(procfs::JoinPath(paths.procfs, "net/stat/nf_conntrack")) {}

Status ConntrackCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // node_exporter stops at the first missing file (the module is not loaded) and keeps
  // what it already sent; so does this, but as a success: see the header.
  const auto absent_or_fail = [this](const Error& error) {
    if (error.Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(error.message);
  };
  struct Gauge {
    procfs::FileReader& file;
    const char* name;
    const char* help;
  };
  const Gauge gauges[] = {
      {count_file_, "node_nf_conntrack_entries",
       "Number of currently allocated flow entries for connection tracking."},
      {max_file_, "node_nf_conntrack_entries_limit", "Maximum size of connection tracking table."},
  };
  for (const Gauge& gauge : gauges) {
    const auto text = gauge.file.Read();
    if (!text.ok()) return absent_or_fail(text.failure());
    const auto value = procfs::ParseSysctlUint(*text);
    if (!value.ok()) return Status::Fail(gauge.file.path() + ": " + value.error());
    AddSingle(out, gauge.name, gauge.help, kGauge, static_cast<double>(*value));
  }

  const auto text = stat_file_.Read();
  if (!text.ok()) return absent_or_fail(text.failure());
  const auto stat = procfs::ParseConntrackStat(*text);
  if (!stat.ok()) return Status::Fail(stat_file_.path() + ": " + stat.error());
  // Gauges, as node_exporter 1.5 declares them, although they count up.
  const auto add = [&out](const char* name, const char* help, uint64_t value) {
    AddSingle(out, name, help, kGauge, static_cast<double>(value));
  };
  add("node_nf_conntrack_stat_found", "Number of searched entries which were successful.",
      stat->found);
  add("node_nf_conntrack_stat_invalid", "Number of packets seen which can not be tracked.",
      stat->invalid);
  add("node_nf_conntrack_stat_ignore",
      "Number of packets seen which are already connected to a conntrack entry.", stat->ignore);
  add("node_nf_conntrack_stat_insert", "Number of entries inserted into the list.", stat->insert);
  add("node_nf_conntrack_stat_insert_failed",
      "Number of entries for which list insertion was attempted but failed.", stat->insert_failed);
  add("node_nf_conntrack_stat_drop", "Number of packets dropped due to conntrack failure.",
      stat->drop);
  add("node_nf_conntrack_stat_early_drop",
      "Number of dropped conntrack entries to make room for new ones, if maximum table size "
      "was reached.",
      stat->early_drop);
  add("node_nf_conntrack_stat_search_restart",
      "Number of conntrack table lookups which had to be restarted due to hashtable resizes.",
      stat->search_restart);
  return Status::Ok();
}

extern const CollectorSpec conntrack_spec = {
    .name = "conntrack",
    .enabled_by_default = true,
    .description = "Connection tracking table (/proc/sys/net/netfilter, /proc/net/stat)",
    .make = MakeWithPaths<ConntrackCollector>,
};

}  // namespace vitals::collectors
