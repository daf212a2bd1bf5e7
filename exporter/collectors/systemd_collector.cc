#include "collectors/systemd_collector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <string_view>

#include "collectors/metric_builder.h"
#include "collectors/systemd_cgroup.h"

namespace vitals::collectors {
namespace {

// The first systemd with the Manager's SystemState and the timers' LastTriggerUSec;
// node_exporter skips both below it.
constexpr double kMinVersionSystemState = 212;
// The ActiveState values node_exporter publishes for every unit, in its output's order.
constexpr std::array<std::string_view, 5> kStates = {"activating", "active", "deactivating",
                                                     "failed", "inactive"};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

procfs::BusDeadline DeadlineOf(const ScrapeContext& context, std::chrono::milliseconds timeout) {
  const auto bound = std::chrono::steady_clock::now() + timeout;
  return context.deadline && *context.deadline < bound ? *context.deadline : bound;
}

// node_systemd_units counts every unit, before the filters, by ActiveState; the five
// known states always appear.
void AddSummary(Families& out, const std::vector<procfs::SystemdUnit>& units) {
  std::map<std::string_view, double> counts;
  for (const auto state : kStates) counts[state] = 0;
  for (const auto& unit : units) counts[unit.active_state] += 1;
  auto& family = AddFamily(out, "node_systemd_units", "Summary of systemd unit states", kGauge);
  for (const auto& [state, count] : counts) AddSample(family, count, {{"state", state}});
}

// A cgroup path as systemd gives it ("/system.slice/ssh.service"): absolute, and no
// component that would climb out of the cgroup tree.
bool SafeCgroupPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  return path.find("/../") == std::string_view::npos && !path.ends_with("/..") &&
         path.find('\0') == std::string_view::npos;
}

}  // namespace

Result<Regex> CompileUnitPattern(std::string_view pattern) {
  return Regex::Compile("^(?:" + std::string(pattern) + ")$");
}

int SystemdCollector::Ask(const procfs::SystemdUnit& unit, const char* interface,
                          const char* property, char type) {
  requests_.push_back({procfs::UnitObjectPath(unit.name),
                       std::string("org.freedesktop.systemd1.") + interface, property, type});
  return static_cast<int>(requests_.size() - 1);
}

void SystemdCollector::PlanQueries(const std::vector<procfs::SystemdUnit>& units, bool timers) {
  for (const auto& unit : units) {
    const std::string& name = unit.name;
    if (unit.load_state != "loaded" || !options_.unit_include.Search(name) ||
        options_.unit_exclude.Search(name)) {
      continue;
    }
    UnitQuery& query = queries_.emplace_back();
    query.unit = &unit;
    if (EndsWith(name, ".service")) {
      query.type = Ask(unit, "Service", "Type", 's');
      if (options_.enable_restarts_metrics) query.restarts = Ask(unit, "Service", "NRestarts", 'u');
      if (options_.enable_task_metrics) {
        query.tasks_current = Ask(unit, "Service", "TasksCurrent", 't');
        query.tasks_max = Ask(unit, "Service", "TasksMax", 't');
      }
      if (options_.enable_cgroup_metrics) {
        query.control_group = Ask(unit, "Service", "ControlGroup", 's');
      }
    } else if (EndsWith(name, ".mount")) {
      query.type = Ask(unit, "Mount", "Type", 's');
    } else if (EndsWith(name, ".socket")) {
      query.accepted = Ask(unit, "Socket", "NAccepted", 'u');
      query.connections = Ask(unit, "Socket", "NConnections", 'u');
      query.refused = Ask(unit, "Socket", "NRefused", 'u');
    } else if (timers && EndsWith(name, ".timer")) {
      query.last_trigger = Ask(unit, "Timer", "LastTriggerUSec", 't');
    }
    if (options_.enable_start_time_metrics && unit.active_state == "active") {
      query.start_time = Ask(unit, "Unit", "ActiveEnterTimestamp", 't');
    }
  }
}

const procfs::PropertyReply* SystemdCollector::Reply(int index) const {
  if (index < 0) return nullptr;
  const procfs::PropertyReply& reply = replies_[index];
  if (reply.ok) return &reply;
  const procfs::PropertyRequest& request = requests_[index];
  spdlog::debug("systemd: couldn't get {} of {}: {}", request.property, request.path, reply.error);
  return nullptr;
}

void SystemdCollector::AddUnitFamilies(Families& out) const {
  auto& state = AddFamily(out, "node_systemd_unit_state", "Systemd unit", kGauge);
  for (const UnitQuery& query : queries_) {
    const procfs::PropertyReply* type = Reply(query.type);
    const std::string_view type_label = type != nullptr ? std::string_view(type->text) : "";
    for (const auto name : kStates) {
      AddSample(state, name == query.unit->active_state ? 1 : 0,
                {{"name", query.unit->name}, {"state", name}, {"type", type_label}});
    }
  }
  if (!options_.enable_start_time_metrics) return;
  auto& start = AddFamily(out, "node_systemd_unit_start_time_seconds",
                          "Start time of the unit since unix epoch in seconds.", kGauge);
  for (const UnitQuery& query : queries_) {
    // An inactive unit reads 0, as in node_exporter.
    double seconds = 0;
    if (query.start_time >= 0) {
      const procfs::PropertyReply* reply = Reply(query.start_time);
      if (reply == nullptr) continue;
      seconds = static_cast<double>(reply->number) / 1e6;
    }
    AddSample(start, seconds, {{"name", query.unit->name}});
  }
}

void SystemdCollector::AddServiceFamilies(Families& out) const {
  auto& restarts = AddFamily(out, "node_systemd_service_restart_total",
                             "Service unit count of Restart triggers", kCounter);
  auto& tasks_current = AddFamily(out, "node_systemd_unit_tasks_current",
                                  "Current number of tasks per Systemd unit", kGauge);
  auto& tasks_max = AddFamily(out, "node_systemd_unit_tasks_max",
                              "Maximum number of tasks per Systemd unit", kGauge);
  constexpr uint64_t kUnset = std::numeric_limits<uint64_t>::max();  // systemd's "no value".
  for (const UnitQuery& query : queries_) {
    const std::string& name = query.unit->name;
    if (const auto* reply = Reply(query.restarts)) {
      AddSample(restarts, static_cast<double>(reply->number), {{"name", name}});
    }
    if (const auto* reply = Reply(query.tasks_current);
        reply != nullptr && reply->number != kUnset) {
      AddSample(tasks_current, static_cast<double>(reply->number), {{"name", name}});
    }
    if (const auto* reply = Reply(query.tasks_max); reply != nullptr && reply->number != kUnset) {
      AddSample(tasks_max, static_cast<double>(reply->number), {{"name", name}});
    }
  }
}

void SystemdCollector::AddSocketAndTimerFamilies(Families& out) const {
  auto& accepted = AddFamily(out, "node_systemd_socket_accepted_connections_total",
                             "Total number of accepted socket connections", kCounter);
  auto& current = AddFamily(out, "node_systemd_socket_current_connections",
                            "Current number of socket connections", kGauge);
  // A gauge despite its name: node_exporter 1.5 declares it so.
  auto& refused = AddFamily(out, "node_systemd_socket_refused_connections_total",
                            "Total number of refused socket connections", kGauge);
  auto& timers = AddFamily(out, "node_systemd_timer_last_trigger_seconds",
                           "Seconds since epoch of last trigger.", kGauge);
  for (const UnitQuery& query : queries_) {
    const std::string& name = query.unit->name;
    if (const auto* reply = Reply(query.last_trigger)) {
      AddSample(timers, static_cast<double>(reply->number) / 1e6, {{"name", name}});
    }
    // node_exporter stops at the first property it cannot read.
    const auto* reply = Reply(query.accepted);
    if (reply == nullptr) continue;
    AddSample(accepted, static_cast<double>(reply->number), {{"name", name}});
    if ((reply = Reply(query.connections)) == nullptr) continue;
    AddSample(current, static_cast<double>(reply->number), {{"name", name}});
    if ((reply = Reply(query.refused)) == nullptr) continue;
    AddSample(refused, static_cast<double>(reply->number), {{"name", name}});
  }
}

Status SystemdCollector::AddCgroupFamilies(Families& out) const {
  UnitCgroupFamilies families(cgroup_root_, out);
  Status status = Status::Ok();
  for (const UnitQuery& query : queries_) {
    const procfs::PropertyReply* group = Reply(query.control_group);
    // A stopped service has no cgroup (""): nothing to read.
    if (group == nullptr || !SafeCgroupPath(group->text)) continue;
    Status unit = families.Add(query.unit->name, group->text);
    if (!unit.ok() && status.ok()) status = Status::Fail(query.unit->name + ": " + unit.message());
  }
  return status;
}

Status SystemdCollector::Collect(const ScrapeContext& context, Families& out) {
  const procfs::BusDeadline deadline = DeadlineOf(context, options_.timeout);
  auto bus = procfs::SystemdBus::Connect();
  if (!bus.ok()) return Status::Fail("couldn't get dbus connection: " + bus.error());

  // An unreadable version reads 0 (node_exporter); a bus that does not answer fails.
  double version = 0;
  std::string version_label;
  if (auto text = bus->ManagerString("Version", deadline); text.ok()) {
    if (const auto parsed = procfs::ParseSystemdVersion(*text)) {
      version = *parsed;
      version_label = std::move(*text);
    }
  } else if (text.sys_errno() != 0) {
    return Status::Fail(text.error());
  } else {
    spdlog::debug("systemd: unable to get the version, reading 0: {}", text.error());
  }
  AddSample(AddFamily(out, "node_systemd_version", "Detected systemd version", kGauge), version,
            {{"version", version_label}});

  auto units = bus->ListUnits(deadline);
  if (!units.ok()) return Status::Fail("couldn't get units: " + units.error());
  std::sort(units->begin(), units->end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  AddSummary(out, *units);

  const bool recent = version >= kMinVersionSystemState;
  requests_.clear();
  queries_.clear();
  PlanQueries(*units, recent);
  int system_state = -1;
  if (recent) {
    requests_.push_back(
        {"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "SystemState", 's'});
    system_state = static_cast<int>(requests_.size() - 1);
  }
  const Status asked = bus->GetProperties(requests_, replies_, deadline);
  if (!asked.ok()) return asked;  // Half the units would be misleading: none, and success 0.

  AddUnitFamilies(out);
  AddServiceFamilies(out);
  AddSocketAndTimerFamilies(out);
  const Status cgroups = options_.enable_cgroup_metrics ? AddCgroupFamilies(out) : Status::Ok();
  if (system_state >= 0) {
    const procfs::PropertyReply& reply = replies_[system_state];
    if (!reply.ok) return Status::Fail("couldn't get system state: " + reply.error);
    AddSingle(out, "node_systemd_system_running",
              "Whether the system is operational (see 'systemctl is-system-running')", kGauge,
              reply.text == "running" ? 1 : 0);
  }
  return cgroups;
}

}  // namespace vitals::collectors
