#include "collectors/fibrechannel_collector.h"

#include <optional>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/class_nvme.h"
#include "procfs/class_scsi_tape.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {
namespace {

// The text attributes that label node_fibrechannel_info. procfs drops the first two
// characters ("0x") of the WWN-like ones when they are longer than that.
struct InfoLabel {
  const char* label;
  const char* file;
  bool strip_0x;
};
constexpr InfoLabel kInfoLabels[] = {
    {"dev_loss_tmo", "dev_loss_tmo", false},
    {"fabric_name", "fabric_name", true},
    {"port_id", "port_id", true},
    {"port_name", "port_name", true},
    {"port_state", "port_state", false},
    {"port_type", "port_type", false},
    {"speed", "speed", false},
    {"supported_classes", "supported_classes", false},
    {"supported_speeds", "supported_speeds", false},
    {"symbolic_name", "symbolic_name", false},
};

struct Counter {
  const char* name;
  const char* help;
  const char* file;  // Under statistics/.
};
constexpr Counter kCounters[] = {
    {"node_fibrechannel_error_frames_total", "Number of errors in frames", "error_frames"},
    {"node_fibrechannel_fcp_packet_aborts_total", "Number of aborted packets", "fcp_packet_aborts"},
    {"node_fibrechannel_invalid_crc_total", "Invalid Cyclic Redundancy Check count",
     "invalid_crc_count"},
    {"node_fibrechannel_invalid_tx_words_total", "Number of invalid words transmitted by host port",
     "invalid_tx_word_count"},
    {"node_fibrechannel_link_failure_total", "Number of times the host port link has failed",
     "link_failure_count"},
    {"node_fibrechannel_loss_of_signal_total", "Number of times signal has been lost",
     "loss_of_signal_count"},
    {"node_fibrechannel_loss_of_sync_total",
     "Number of failures on either bit or transmission word boundaries", "loss_of_sync_count"},
    {"node_fibrechannel_nos_total",
     "Number Not_Operational Primitive Sequence received by host port", "nos_count"},
    {"node_fibrechannel_rx_frames_total", "Number of frames received", "rx_frames"},
    {"node_fibrechannel_rx_words_total", "Number of words received by host port", "rx_words"},
    {"node_fibrechannel_seconds_since_last_reset_total",
     "Number of seconds since last host port reset", "seconds_since_last_reset"},
    {"node_fibrechannel_tx_frames_total", "Number of frames transmitted by host port", "tx_frames"},
    {"node_fibrechannel_tx_words_total", "Number of words transmitted by host port", "tx_words"},
};

}  // namespace

FibrechannelCollector::FibrechannelCollector(const Paths& paths)
    : sysfs_(paths.sysfs), class_fc_(procfs::JoinPath(paths.sysfs, "class/fc_host")) {}

Status FibrechannelCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto hosts = procfs::ListClassDir(class_fc_);
  if (!hosts.ok()) {
    if (hosts.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(hosts.error());
  }
  if (hosts->empty()) return Status::Ok();
  auto& info =
      AddFamily(out, "node_fibrechannel_info",
                "Non-numeric data from /sys/class/fc_host/<host>, value is always 1.", kGauge);
  std::vector<prometheus::MetricFamily*> counters;
  for (const Counter& counter : kCounters) {
    counters.push_back(&AddFamily(out, counter.name, counter.help, kCounter));
  }
  for (const std::string& host : *hosts) {
    const std::string dir = class_fc_ + "/" + host + "/";
    std::vector<std::string> values;
    for (const InfoLabel& label : kInfoLabels) {
      std::string value = procfs::ReadSysAttribute(files_, dir + label.file).value_or("");
      if (label.strip_0x && value.size() > 2) value.erase(0, 2);
      values.push_back(std::move(value));
    }
    AddSample(info, 1,
              {{"fc_host", host},
               {kInfoLabels[0].label, values[0]},
               {kInfoLabels[1].label, values[1]},
               {kInfoLabels[2].label, values[2]},
               {kInfoLabels[3].label, values[3]},
               {kInfoLabels[4].label, values[4]},
               {kInfoLabels[5].label, values[5]},
               {kInfoLabels[6].label, values[6]},
               {kInfoLabels[7].label, values[7]},
               {kInfoLabels[8].label, values[8]},
               {kInfoLabels[9].label, values[9]}});
    for (size_t i = 0; i < std::size(kCounters); ++i) {
      const auto text = files_.Read(dir + "statistics/" + kCounters[i].file);
      if (!text.ok()) continue;
      // util.SysReadFile reads at most 128 bytes.
      const auto value = procfs::ParseSysfsCounter(text->substr(0, 128));
      if (value) AddSample(*counters[i], static_cast<double>(*value), {{"fc_host", host}});
    }
  }
  files_.Sweep();
  return Status::Ok();
}

extern const CollectorSpec fibrechannel_spec = {
    .name = "fibrechannel",
    .enabled_by_default = true,
    .description = "Fibre Channel hosts' state and error counters (/sys/class/fc_host)",
    .make = MakeWithPaths<FibrechannelCollector>,
};

}  // namespace vitals::collectors
