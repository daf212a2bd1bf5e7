#include "collectors/process_identity.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <utility>

#include "procfs/pid_cgroup.h"

namespace vitals::collectors {
namespace {

// Entries not used for this long go (GPU-only use never calls Forget()).
constexpr std::chrono::minutes kUnusedLifetime{10};

bool UsesUsername(const std::vector<ProcessGroupSpec>& specs) {
  return std::any_of(specs.begin(), specs.end(), [](const ProcessGroupSpec& spec) {
    return spec.name.text().find(".Username") != std::string::npos;
  });
}

bool UsesCgroups(const std::vector<ProcessGroupSpec>& specs) {
  return std::any_of(specs.begin(), specs.end(),
                     [](const ProcessGroupSpec& spec) { return spec.name.UsesCgroups(); });
}

struct Registered {
  std::string procfs_root;
  ProcessesOptions options;
  std::weak_ptr<ProcessClassifier> classifier;
};

}  // namespace

std::shared_ptr<ProcessClassifier> ProcessClassifier::Shared(const std::string& procfs_root,
                                                             const ProcessesOptions& options) {
  static std::mutex mutex;
  static std::vector<Registered> registry;
  std::lock_guard lock(mutex);
  std::erase_if(registry, [](const Registered& r) { return r.classifier.expired(); });
  for (const Registered& r : registry) {
    if (r.procfs_root != procfs_root || !(r.options == options)) continue;
    if (auto shared = r.classifier.lock()) return shared;
  }
  auto created = std::make_shared<ProcessClassifier>(procfs_root, options);
  registry.push_back({procfs_root, options, created});
  return created;
}

ProcessClassifier::ProcessClassifier(const std::string& procfs_root,
                                     const ProcessesOptions& options)
    : fs_(procfs_root),
      options_(options),
      uses_username_(UsesUsername(options.groups)),
      uses_cgroups_(UsesCgroups(options.groups)),
      self_pid_(getpid()),
      pruned_(std::chrono::steady_clock::now()) {}

Identity ProcessClassifier::Classify(int64_t pid, const procfs::PidStat& stat, bool rematch) {
  std::lock_guard lock(mutex_);
  return ClassifyLocked(pid, stat, rematch);
}

std::optional<Identity> ProcessClassifier::Classify(int64_t pid) {
  std::lock_guard lock(mutex_);
  auto stat = procfs::Pid(fs_, pid).Stat(buffer_);
  if (!stat.ok()) return std::nullopt;
  const std::string comm(stat->comm);  // Matching reuses buffer_, where comm points.
  procfs::PidStat kept = *stat;
  kept.comm = comm;
  return ClassifyLocked(pid, kept, false);
}

void ProcessClassifier::Forget(int64_t pid) {
  std::lock_guard lock(mutex_);
  entries_.erase(pid);
}

Identity ProcessClassifier::ClassifyLocked(int64_t pid, const procfs::PidStat& stat, bool rematch) {
  PruneUnused();
  Entry& entry = Refresh(pid, stat);
  if (!entry.matched || rematch) {
    entry.own = MatchOwn(pid, stat);
    entry.matched = true;
    entry.decided.reset();
  }
  if (!entry.decided) {
    Identity identity{entry.own, false};
    if (!identity.group && options_.children) {
      identity.group = Inherit(entry.ppid);
      identity.inherited = identity.group.has_value();
    }
    entry.decided = std::move(identity);
  }
  return *entry.decided;
}

// The entry of `pid`, started afresh when the pid now belongs to another process.
ProcessClassifier::Entry& ProcessClassifier::Refresh(int64_t pid, const procfs::PidStat& stat) {
  auto [it, inserted] = entries_.try_emplace(pid);
  Entry& entry = it->second;
  if (!inserted && entry.start_time != stat.start_time) entry = Entry{};
  entry.start_time = stat.start_time;
  entry.ppid = stat.ppid;  // Changes when the parent exits and the child is reparented.
  entry.used = std::chrono::steady_clock::now();
  return entry;
}

std::optional<GroupMatch> ProcessClassifier::MatchOwn(int64_t pid, const procfs::PidStat& stat) {
  const procfs::Pid process(fs_, pid);
  std::vector<std::string> argv;
  if (auto cmdline = process.Cmdline(buffer_); cmdline.ok()) argv = std::move(*cmdline);
  std::string username;
  if (uses_username_) {
    if (auto status = process.Status(buffer_); status.ok()) {
      username = Username(status->effective_uid);
    }
  }
  const std::string cgroups = uses_cgroups_ ? Cgroups(process) : std::string();
  const ProcessFacts facts{stat.comm, &argv, username, pid, stat.start_time, cgroups};
  return MatchGroup(options_.groups, facts);
}

// The group of the nearest ancestor that has one, starting at `ancestor`. The walk
// stops at a process it cannot read and at the exporter itself, which no group counts.
std::optional<GroupMatch> ProcessClassifier::Inherit(int64_t ancestor) {
  for (int depth = 0; depth < kMaxAncestry && ancestor > 0 && ancestor != self_pid_; ++depth) {
    const Entry* entry = Ancestor(ancestor);
    if (entry == nullptr) break;
    if (entry->decided ? entry->decided->group.has_value() : entry->own.has_value()) {
      return entry->decided ? entry->decided->group : entry->own;
    }
    ancestor = entry->ppid;
  }
  return std::nullopt;
}

// A known ancestor as decided, or one seen for the first time, matched on its own.
ProcessClassifier::Entry* ProcessClassifier::Ancestor(int64_t pid) {
  if (auto it = entries_.find(pid); it != entries_.end()) {
    it->second.used = std::chrono::steady_clock::now();
    return &it->second;
  }
  auto stat = procfs::Pid(fs_, pid).Stat(buffer_);
  if (!stat.ok()) return nullptr;
  procfs::PidStat kept = *stat;
  const std::string comm(stat->comm);  // MatchOwn reuses buffer_.
  kept.comm = comm;
  Entry& entry = Refresh(pid, kept);
  entry.own = MatchOwn(pid, kept);
  entry.matched = true;
  return &entry;
}

std::string ProcessClassifier::Username(uint32_t uid) {
  auto [it, inserted] = usernames_.try_emplace(uid);
  if (inserted) {
    struct passwd entry {};
    struct passwd* found = nullptr;
    std::array<char, 4096> scratch{};
    if (getpwuid_r(uid, &entry, scratch.data(), scratch.size(), &found) == 0 && found != nullptr) {
      it->second = found->pw_name;
    } else {
      it->second = std::to_string(uid);
    }
  }
  return it->second;
}

// {{.Cgroups}} as process-exporter renders it: Go's fmt of the []string of paths,
// "[/ /user.slice]"; "[]" when the file cannot be read or parsed.
std::string ProcessClassifier::Cgroups(const procfs::Pid& process) {
  std::string rendered = "[";
  if (auto text = process.ReadFile("cgroup", buffer_); text.ok()) {
    if (auto paths = procfs::ParsePidCgroupPaths(*text); paths.ok()) {
      for (size_t i = 0; i < paths->size(); ++i) {
        if (i > 0) rendered += ' ';
        rendered += (*paths)[i];
      }
    }
  }
  return rendered + "]";
}

void ProcessClassifier::PruneUnused() {
  const auto now = std::chrono::steady_clock::now();
  if (now - pruned_ < kUnusedLifetime) return;
  pruned_ = now;
  std::erase_if(entries_,
                [&](const auto& item) { return now - item.second.used > kUnusedLifetime; });
}

}  // namespace vitals::collectors
