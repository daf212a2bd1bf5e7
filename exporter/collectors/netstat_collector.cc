#include "collectors/netstat_collector.h"

#include <string>
#include <unordered_set>
#include <utility>

#include "collectors/metric_builder.h"

namespace vitals::collectors {

NetstatCollector::NetstatCollector(const Paths& paths, const NetstatOptions& options)
    : options_(options),
      netstat_file_(procfs::JoinPath(paths.procfs, "net/netstat")),
      snmp_file_(procfs::JoinPath(paths.procfs, "net/snmp")),
      snmp6_file_(procfs::JoinPath(paths.procfs, "net/snmp6")) {}

Status NetstatCollector::UpdateFields() {
  bool same = fields_.size() == entries_.size();
  for (size_t i = 0; same && i < entries_.size(); ++i) {
    same = fields_[i].protocol == entries_[i].protocol && fields_[i].name == entries_[i].name;
  }
  if (!same) {
    fields_.clear();
    duplicate_.clear();
    std::unordered_set<std::string> seen;
    for (const auto& entry : entries_) {
      Field field;
      field.protocol = entry.protocol;
      field.name = entry.name;
      std::string key = field.protocol + "_" + field.name;
      field.selected = options_.fields.Search(key);
      if (field.selected) {
        field.metric = "node_netstat_" + key;
        field.help = "Statistic " + field.protocol + field.name + ".";
        if (!seen.insert(key).second && duplicate_.empty()) duplicate_ = key;
      }
      fields_.push_back(std::move(field));
    }
  }
  // node_exporter keeps the last of two equal fields (a map); publishing either would be
  // a guess, and both a duplicate family.
  if (!duplicate_.empty()) return Status::Fail("duplicate netstat field " + duplicate_);
  return Status::Ok();
}

Status NetstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  entries_.clear();
  for (procfs::FileReader* file : {&netstat_file_, &snmp_file_, &snmp6_file_}) {
    const auto text = file->Read();
    if (!text.ok()) {
      // As node_exporter: a kernel without IPv6 has no snmp6.
      if (file == &snmp6_file_ && text.failure().Vanished()) continue;
      return Status::Fail(text.error());
    }
    const Status parsed = file == &snmp6_file_ ? procfs::ParseSnmp6(*text, entries_)
                                               : procfs::ParseNetstat(*text, entries_);
    if (!parsed.ok()) return Status::Fail(file->path() + ": " + parsed.message());
  }
  if (Status fields = UpdateFields(); !fields.ok()) return fields;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Field& field = fields_[i];
    if (!field.selected) continue;
    AddSingle(out, field.metric, field.help, kUntyped, entries_[i].value);
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
