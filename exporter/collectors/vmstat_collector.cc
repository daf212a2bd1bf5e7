#include "collectors/vmstat_collector.h"

#include <set>
#include <string>
#include <utility>

#include "collectors/metric_builder.h"

namespace vitals::collectors {

VmstatCollector::VmstatCollector(const Paths& paths, const VmstatOptions& options)
    : options_(options), vmstat_file_(procfs::JoinPath(paths.procfs, "vmstat")) {}

bool VmstatCollector::Selected(size_t index, std::string_view name) {
  if (index >= selected_.size()) selected_.resize(index + 1);
  auto& [cached_name, matched] = selected_[index];
  if (cached_name != name) {
    cached_name = name;
    matched = options_.fields.Search(name);
    fields_changed_ = true;
  }
  return matched;
}

Status VmstatCollector::CheckUnique() const {
  std::set<std::string_view> names;
  for (const auto& entry : entries_) {
    if (!names.insert(entry.name).second) {
      return Status::Fail(vmstat_file_.path() + ": duplicate field " + std::string(entry.name));
    }
  }
  return Status::Ok();
}

Status VmstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = vmstat_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseVmstat(*text, entries_); !parsed.ok()) {
    return Status::Fail(vmstat_file_.path() + ": " + parsed.message());
  }
  fields_changed_ = entries_.size() != selected_.size();
  for (size_t i = 0; i < entries_.size(); ++i) Selected(i, entries_[i].name);
  selected_.resize(entries_.size());
  if (fields_changed_) {
    if (Status unique = CheckUnique(); !unique.ok()) {
      selected_.clear();  // Check again on the next read.
      return unique;
    }
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    const auto& entry = entries_[i];
    if (!selected_[i].second) continue;
    std::string name = "node_vmstat_";
    name += entry.name;
    std::string help = "/proc/vmstat information field ";
    help += entry.name;
    help += '.';
    // Through double, like node_exporter's strconv.ParseFloat: exact up to 2^53.
    AddSingle(out, std::move(name), std::move(help), kUntyped, static_cast<double>(entry.value));
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
