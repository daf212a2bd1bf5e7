// netstat: node_netstat_<Protocol>_<Field>, untyped, for each field of /proc/net/netstat,
// /proc/net/snmp and /proc/net/snmp6 whose "<Protocol>_<Field>" the fields regex matches
// (node_exporter's --collector.netstat.fields).
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/regex.h"
#include "procfs/file_reader.h"
#include "procfs/net_netstat.h"

namespace vitals::collectors {

// node_exporter 1.5's default for --collector.netstat.fields.
inline constexpr const char* kDefaultNetstatFields =
    "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|"
    "TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|"
    "OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|"
    "RcvbufErrors|SndbufErrors))$";

struct NetstatOptions {
  Regex fields;  // Searched unanchored in "<Protocol>_<Field>", like Go's MatchString.

  bool operator==(const NetstatOptions&) const = default;
};

class NetstatCollector : public Collector {
 public:
  NetstatCollector(const Paths& paths, const NetstatOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  // What is decided once per field: the kernel prints the same fields in the same order
  // on every read, so this is rebuilt only when the list of fields changes.
  struct Field {
    std::string protocol, name;  // As in the file, to notice a change.
    bool selected = false;
    std::string metric, help;  // Set when selected.
  };
  // Rebuilds fields_ from entries_ when they differ; fails on a field selected twice.
  Status UpdateFields();

  NetstatOptions options_;
  procfs::FileReader netstat_file_, snmp_file_, snmp6_file_;
  std::vector<procfs::NetstatEntry> entries_;
  std::vector<Field> fields_;
  std::string duplicate_;  // The first "<Protocol>_<Field>" selected twice, if any.
};

}  // namespace vitals::collectors
