// The netstat collector's configuration: collectors.netstat.fields and node_exporter's
// --collector.netstat.fields, a regex of the "<Protocol>_<Field>" names to publish.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/netstat_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() {
  NetstatOptions options;
  options.fields = *Regex::Compile(kDefaultNetstatFields);
  return AnyOptions(std::move(options));
}

constexpr auto kKeys = std::to_array<std::string_view>({"fields"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadRegexSetting<NetstatOptions, &NetstatOptions::fields>(node, where, "fields", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.netstat.fields", "REGEX",
     "Regexp of fields to return for netstat collector (default "
     "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|"
     "TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|"
     "OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|"
     "RcvbufErrors|SndbufErrors))$)",
     ApplyRegexSetting<NetstatOptions, &NetstatOptions::fields>},
});

}  // namespace

extern const CollectorSpec netstat_spec = {
    .name = "netstat",
    .enabled_by_default = true,
    .description = "Network protocol counters (/proc/net/netstat, snmp, snmp6)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<NetstatCollector>(p, o.Get<NetstatOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
