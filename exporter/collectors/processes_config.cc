// The processes collector's configuration: the processes: section (groups with
// process-exporter's keys plus ours) and process-exporter's own file format, a
// top-level process_names: list.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/processes_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

using yaml_input::AsBool;
using yaml_input::AsNonNegativeInt;
using yaml_input::AsPositiveInt;
using yaml_input::AsString;
using yaml_input::AsStringList;
using yaml_input::CheckKeys;
using yaml_input::Describe;
using yaml_input::Error;
using yaml_input::ExpectMap;

// One process group: process-exporter's keys (name, comm, exe, cmdline) plus ours.
ProcessGroupSpec ReadProcessGroup(const YAML::Node& node, const std::string& where) {
  ExpectMap(node, where);
  CheckKeys(node, where, {"name", "comm", "exe", "cmdline", "per_pid", "max_pids"});
  ProcessGroupSpec spec;
  const YAML::Node name = node["name"];
  auto parsed = NameTemplate::Parse(name ? AsString(name, "name") : "{{.ExeBase}}");
  if (!parsed.ok()) throw Error(name.Mark(), where + ".name: " + parsed.error());
  spec.name = std::move(*parsed);
  if (node["comm"]) spec.comm = AsStringList(node["comm"], "comm");
  if (node["exe"]) spec.exe = AsStringList(node["exe"], "exe");
  if (const YAML::Node cmdline = node["cmdline"]) {
    const auto patterns = AsStringList(cmdline, "cmdline");
    for (size_t i = 0; i < patterns.size(); ++i) {
      spec.cmdline.push_back(CompileAt(cmdline[i], where + ".cmdline", patterns[i]));
    }
  }
  if (spec.comm.empty() && spec.exe.empty() && spec.cmdline.empty()) {
    throw Error(node.Mark(), where + " needs at least one of comm, exe or cmdline");
  }
  if (node["per_pid"]) spec.per_pid = AsBool(node["per_pid"], "per_pid");
  if (node["max_pids"]) spec.max_pids = AsPositiveInt(node["max_pids"], "max_pids");
  return spec;
}

void ReadProcessGroups(const YAML::Node& list, const std::string& where,
                       ProcessesOptions& options) {
  if (!list.IsSequence()) {
    throw Error(list.Mark(), where + " must be a list of groups, got " + Describe(list));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    options.groups.push_back(ReadProcessGroup(list[i], where + "[" + std::to_string(i) + "]"));
  }
}

// processes_source.h: auto (BPF when permitted, else /proc), procfs, or bpf (no fallback).
ProcessReader ReadReader(const YAML::Node& node) {
  const std::string reader = AsString(node, "reader");
  if (reader == "auto") return ProcessReader::kAuto;
  if (reader == "procfs") return ProcessReader::kProcfs;
  if (reader == "bpf") return ProcessReader::kBpf;
  throw Error(node.Mark(), "processes.reader: must be auto, procfs or bpf, got \"" + reader + "\"");
}

SectionOutcome ReadSections(const YAML::Node& root, AnyOptions& any) {
  auto& options = OptionsAs<ProcessesOptions>(any);
  SectionOutcome outcome;
  if (const YAML::Node node = root["processes"]) {
    ExpectMap(node, "processes");
    CheckKeys(node, "processes",
              {"enabled", "groups", "children", "recheck", "max_groups", "threads", "gather_smaps",
               "remove_empty_groups", "reader", "kept_files"});
    if (node["children"]) options.children = AsBool(node["children"], "children");
    if (node["threads"]) options.threads = AsBool(node["threads"], "threads");
    if (node["gather_smaps"]) options.gather_smaps = AsBool(node["gather_smaps"], "gather_smaps");
    if (node["remove_empty_groups"]) {
      options.remove_empty_groups = AsBool(node["remove_empty_groups"], "remove_empty_groups");
    }
    if (node["recheck"]) options.recheck = AsBool(node["recheck"], "recheck");
    if (node["max_groups"]) options.max_groups = AsPositiveInt(node["max_groups"], "max_groups");
    if (node["reader"]) options.reader = ReadReader(node["reader"]);
    if (node["kept_files"]) options.kept_files = AsNonNegativeInt(node["kept_files"], "kept_files");
    if (node["enabled"]) outcome.enabled = AsBool(node["enabled"], "enabled");
    if (node["groups"]) {
      ReadProcessGroups(node["groups"], "processes.groups", options);
      outcome.has_content = true;  // A groups list turns the collector on.
    }
  }
  // process-exporter's own file format: a top-level list of groups.
  if (const YAML::Node names = root["process_names"]) {
    if (root["processes"] && root["processes"]["groups"]) {
      throw Error(names.Mark(), "process_names and processes.groups cannot both be set; use one");
    }
    ReadProcessGroups(names, "process_names", options);
    outcome.has_content = true;
  }
  return outcome;
}

constexpr auto kSections = std::to_array<std::string_view>({"processes", "process_names"});

}  // namespace

// "process_groups", not "processes": node_exporter's --collector.processes names its
// PID and thread counts (node_processes_collector.h), which must keep working as a
// drop-in flag. Configured by the processes: section as before.
extern const CollectorSpec process_groups_spec = {
    .name = "process_groups",
    .enabled_by_default = false,
    .description =
        "Process groups from the processes: config section (on when the section is present)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<ProcessesCollector>(p, o.Get<ProcessesOptions>());
    },
    .defaults = [] { return AnyOptions(ProcessesOptions{}); },
    .sections = kSections,
    .read_sections = ReadSections,
};

}  // namespace vitals::collectors
