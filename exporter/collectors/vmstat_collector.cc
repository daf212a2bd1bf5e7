#include "collectors/vmstat_collector.h"

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
  }
  return matched;
}

Status VmstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = vmstat_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseVmstat(*text, entries_); !parsed.ok()) {
    return Status::Fail(vmstat_file_.path() + ": " + parsed.message());
  }
  const size_t first = out.size();
  for (size_t i = 0; i < entries_.size(); ++i) {
    const auto& entry = entries_[i];
    if (!Selected(i, entry.name)) continue;
    std::string name = "node_vmstat_";
    name += entry.name;
    // node_exporter would fail the scrape on a duplicate metric; so do we, rather than
    // publish a family twice.
    for (size_t j = first; j < out.size(); ++j) {
      if (out[j].name == name) {
        return Status::Fail(vmstat_file_.path() + ": duplicate field " + std::string(entry.name));
      }
    }
    std::string help = "/proc/vmstat information field ";
    help += entry.name;
    help += '.';
    // Through double, like node_exporter's strconv.ParseFloat: exact up to 2^53.
    AddSingle(out, std::move(name), std::move(help), kUntyped, static_cast<double>(entry.value));
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
