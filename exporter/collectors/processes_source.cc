#include "collectors/processes_source.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "collectors/metric_builder.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

bool ShowsInitialPidNamespace(const std::string& procfs_root) {
  // PROC_PID_INIT_INO: the initial pid namespace's inode, fixed in the kernel.
  constexpr std::string_view kInitial = "pid:[4026531836]";
  std::array<char, 64> link{};
  const std::string path = procfs_root + "/self/ns/pid";
  const ssize_t n = readlink(path.c_str(), link.data(), link.size());
  return n > 0 && std::string_view(link.data(), static_cast<size_t>(n)) == kInitial;
}

bool MayLoadBpf(std::string_view status) {
  constexpr std::string_view kKey = "\nCapEff:";
  const size_t at = status.find(kKey);
  if (at == std::string_view::npos) return false;
  std::string_view hex = status.substr(at + kKey.size());
  hex = hex.substr(0, hex.find('\n'));
  while (!hex.empty() && (hex.front() == ' ' || hex.front() == '\t')) hex.remove_prefix(1);
  uint64_t caps = 0;
  const auto [end, error] = std::from_chars(hex.data(), hex.data() + hex.size(), caps, 16);
  if (error != std::errc() || end == hex.data()) return false;
  constexpr int kCapSysAdmin = 21, kCapPerfmon = 38, kCapBpf = 39;
  const auto has = [caps](int cap) { return (caps >> cap) & 1U; };
  return (has(kCapBpf) && has(kCapPerfmon)) || has(kCapSysAdmin);
}

ProcessSource::ProcessSource(ProcessReader reader, const std::string& procfs_root, bool real_procfs,
                             bool threads)
    : reader_(reader), aggregator_(static_cast<uint64_t>(sysconf(_SC_PAGESIZE)), threads) {
  if (reader_ == ProcessReader::kProcfs) {
    UseProcfs("reader: procfs");
    return;
  }
  if (!real_procfs) {
    UseProcfs(procfs_root + " is not a live procfs (a fixture tree?)");
    return;
  }
  if (!ShowsInitialPidNamespace(procfs_root)) {
    UseProcfs(procfs_root + " is not the initial pid namespace's (the task iterator's pids are)");
    return;
  }
  // Checked first so that an unprivileged exporter never calls bpf(2): the packaged
  // unit's SystemCallFilter= denies it.
  const auto status = procfs::ReadSmallFile(procfs_root + "/self/status");
  if (!status.ok() || !MayLoadBpf(*status)) {
    UseProcfs("no CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) in the effective set");
    return;
  }
  auto loaded = procfs::BpfTaskIterator::Load();
  if (!loaded.ok()) {
    UseProcfs(loaded.error());
    return;
  }
  iterator_ = std::move(*loaded);
  spdlog::info("processes: reading per-process facts with the BPF task iterator");
}

void ProcessSource::UseProcfs(const std::string& why) {
  unavailable_ = why;
  if (reader_ == ProcessReader::kBpf) {
    spdlog::error("processes: reader: bpf, but the BPF task iterator is unavailable: {}", why);
  } else {
    spdlog::info("processes: reading per-process facts from /proc ({})", why);
  }
}

Status ProcessSource::Refresh() {
  processes_.clear();
  index_.clear();
  if (iterator_ == nullptr) {
    if (reader_ == ProcessReader::kBpf) {
      return Status::Fail("reader: bpf, but the BPF task iterator is unavailable: " + unavailable_);
    }
    return Status::Ok();
  }
  auto records = iterator_->Read();
  Status aggregated =
      records.ok() ? aggregator_.Aggregate(*records, processes_) : Status::Fail(records.error());
  if (!aggregated.ok()) {
    processes_.clear();
    if (reader_ == ProcessReader::kBpf) return aggregated;
    iterator_.reset();  // From now on /proc, for good: a broken path should not flap.
    spdlog::warn("processes: the BPF task iterator failed ({}); reading /proc from now on",
                 aggregated.message());
    unavailable_ = aggregated.message();
    return Status::Ok();
  }
  index_.reserve(processes_.size());
  for (size_t i = 0; i < processes_.size(); ++i) index_.emplace(processes_[i].pid, i);
  return Status::Ok();
}

const procfs::BpfProcess* ProcessSource::Find(int64_t pid) const {
  const auto it = index_.find(pid);
  return it == index_.end() ? nullptr : &processes_[it->second];
}

void ProcessSource::Emit(Families& out) const {
  auto& family = AddFamily(out, "vitals_processes_source",
                           "Where the processes collector read per-process facts this scrape: "
                           "bpf (task iterator) or procfs, value 1.",
                           kGauge);
  AddSample(family, 1, {{"source", bpf() ? "bpf" : "procfs"}});
}

ProcessesCollector::Counters CountersFrom(const procfs::BpfProcess& facts,
                                          const ProcessesCollector::Counters& last) {
  ProcessesCollector::Counters now = last;
  now.utime = facts.utime;
  now.stime = facts.stime;
  now.minor_faults = facts.minor_faults;
  now.major_faults = facts.major_faults;
  now.voluntary = std::max(facts.voluntary, last.voluntary);
  now.nonvoluntary = std::max(facts.nonvoluntary, last.nonvoluntary);
  if (facts.has_io) {
    now.read_bytes = facts.read_bytes;
    now.write_bytes = facts.write_bytes;
  }
  return now;
}

}  // namespace vitals::collectors
