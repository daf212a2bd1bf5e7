#include "procfs/bpf_tasks.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#ifdef VITALS_HAVE_BPF
#include "procfs/bpf/task_iter_object.h"
#include "procfs/libbpf_api.h"
#endif

namespace vitals::procfs {
namespace {

constexpr uint64_t kNanosPerTick = 1'000'000'000 / 100;  // USER_HZ is 100 on Linux.

uint64_t Positive(int64_t pages) { return pages > 0 ? static_cast<uint64_t>(pages) : 0; }

}  // namespace

PidStat BpfProcess::AsStat() const {
  PidStat stat;
  stat.comm = std::string_view(comm, strnlen(comm, sizeof(comm)));
  stat.state = state;
  stat.ppid = ppid;
  stat.minor_faults = minor_faults;
  stat.major_faults = major_faults;
  stat.utime = utime;
  stat.stime = stime;
  stat.num_threads = num_threads;
  stat.start_time = start_time;
  stat.vsize = vsize;
  stat.rss_pages = rss_pages;
  return stat;
}

PidStatus BpfProcess::AsStatus() const {
  PidStatus status;
  status.rss_anon = rss_anon;
  status.rss_file = rss_file;
  status.rss_shmem = rss_shmem;
  status.vm_swap = vm_swap;
  status.voluntary_ctxt_switches = voluntary;
  status.nonvoluntary_ctxt_switches = nonvoluntary;
  return status;
}

char TaskStateLetter(uint32_t state, uint32_t exit_state) {
  constexpr uint32_t kReport = 0x7f;  // TASK_REPORT: R S D T t X Z P bits.
  constexpr uint32_t kIdle = 0x402;   // TASK_UNINTERRUPTIBLE | TASK_NOLOAD.
  constexpr uint32_t kRtlockWait = 0x1000;
  constexpr uint32_t kFrozen = 0x8000;
  constexpr char kLetters[] = "RSDTtXZPI";
  uint32_t report = (state | exit_state) & kReport;
  if ((state & kIdle) == kIdle) report = 0x80;  // TASK_REPORT_IDLE.
  if ((state & kRtlockWait) != 0 || (state & kFrozen) != 0) report = 0x2;
  const int index = report == 0 ? 0 : 32 - __builtin_clz(report);  // fls().
  return kLetters[index];
}

void CputimeAdjust(uint64_t rtime, uint64_t tick_utime, uint64_t tick_stime, PrevCputime& prev,
                   uint64_t& utime, uint64_t& stime) {
  if (prev.stime + prev.utime < rtime) {
    uint64_t s = tick_stime;
    if (tick_stime == 0) {
      s = 0;
    } else if (tick_utime == 0) {
      s = rtime;
    } else {
      s = static_cast<uint64_t>(static_cast<unsigned __int128>(tick_stime) * rtime /
                                (tick_stime + tick_utime));
      s = std::min(s, rtime);
    }
    // Neither part may go backwards.
    s = std::max(s, prev.stime);
    uint64_t u = rtime - s;
    if (u < prev.utime) {
      u = prev.utime;
      s = rtime - u;
    }
    prev.stime = s;
    prev.utime = u;
  }
  utime = prev.utime;
  stime = prev.stime;
}

struct TaskAggregator::Sums {
  uint64_t utime = 0, stime = 0, rtime = 0;  // Nanoseconds.
  size_t index = 0;
  size_t tasks = 0;
  bool leader = false;
  uint64_t start_boottime = 0;
  PrevCputime kernel_prev;  // signal->prev_cputime.
};

namespace {

void AddLeader(const TaskRecord& r, uint64_t page_size, BpfProcess& p) {
  p.ppid = r.ppid;
  p.state = TaskStateLetter(r.state, r.exit_state);
  static_assert(sizeof(p.comm) == sizeof(r.comm));
  std::memcpy(p.comm, r.comm, sizeof(p.comm));
  p.comm[sizeof(p.comm) - 1] = '\0';
  p.start_time = r.start_boottime / kNanosPerTick;
  p.num_threads = r.nr_threads;
  if ((r.flags & VITALS_TASK_HAS_FDS) != 0) {
    p.has_fds = true;
    p.open_fds = r.open_fds;
  }
  // RLIM_INFINITY is ~0UL.
  p.max_open_files =
      r.nofile_cur == ~uint64_t{0} ? std::nullopt : std::optional<uint64_t>(r.nofile_cur);
  p.minor_faults += r.sig_min_flt;
  p.major_faults += r.sig_maj_flt;
  p.read_bytes += r.sig_read_bytes;
  p.write_bytes += r.sig_write_bytes;
  if ((r.flags & VITALS_TASK_HAS_MM) != 0) {
    const uint64_t file = Positive(r.rss[VITALS_MM_FILEPAGES]);
    const uint64_t anon = Positive(r.rss[VITALS_MM_ANONPAGES]);
    const uint64_t shmem = Positive(r.rss[VITALS_MM_SHMEMPAGES]);
    p.vsize = r.total_vm * page_size;
    p.rss_pages = static_cast<int64_t>(file + anon + shmem);
    p.rss_anon = anon * page_size;
    p.rss_file = file * page_size;
    p.rss_shmem = shmem * page_size;
    p.vm_swap = Positive(r.rss[VITALS_MM_SWAPENTS]) * page_size;
  }
}

}  // namespace

Status TaskAggregator::Aggregate(std::span<const TaskRecord> records,
                                 std::vector<BpfProcess>& out) {
  ++pass_;
  out.clear();
  // Reserved to size (growing by doubling left up to half the table unused).
  out.reserve(static_cast<size_t>(std::ranges::count_if(
      records, [](const TaskRecord& r) { return (r.flags & VITALS_TASK_LEADER) != 0; })));
  std::unordered_map<uint32_t, Sums> sums;
  sums.reserve(records.size());
  for (const TaskRecord& r : records) {
    if (r.version != VITALS_TASK_RECORD_VERSION) {
      return Status::Fail("BPF task record of version " + std::to_string(r.version) +
                          ", expected " + std::to_string(VITALS_TASK_RECORD_VERSION));
    }
    auto [it, inserted] = sums.try_emplace(r.tgid);
    Sums& s = it->second;
    if (inserted) {
      s.index = out.size();
      out.emplace_back().pid = r.tgid;
    }
    BpfProcess& p = out[s.index];
    ++s.tasks;
    s.utime += r.utime;
    s.stime += r.stime;
    s.rtime += r.sum_exec_runtime;
    p.minor_faults += r.min_flt;
    p.major_faults += r.maj_flt;
    p.voluntary += r.nvcsw;
    p.nonvoluntary += r.nivcsw;
    p.read_bytes += r.read_bytes;
    p.write_bytes += r.write_bytes;
    p.has_io = p.has_io || (r.flags & VITALS_TASK_HAS_IO) != 0;
    if ((r.flags & VITALS_TASK_LEADER) != 0 && r.pid == r.tgid) {
      s.leader = true;
      s.start_boottime = r.start_boottime;
      s.utime += r.sig_utime;
      s.stime += r.sig_stime;
      s.rtime += r.sig_sum_sched_runtime;
      s.kernel_prev = {r.sig_prev_utime, r.sig_prev_stime};
      AddLeader(r, page_size_, p);
    }
  }
  for (auto& [tgid, s] : sums) {
    BpfProcess& p = out[s.index];
    if (!s.leader) {
      p.pid = -1;  // Its leader was not seen: the process is leaving.
      continue;
    }
    Adjust(kept_, tgid, s.start_boottime, s.rtime, s.utime, s.stime, s.kernel_prev, p.utime,
           p.stime);
  }
  if (threads_) AddThreads(records, out, sums);
  std::erase_if(out, [](const BpfProcess& p) { return p.pid < 0; });
  std::erase_if(kept_, [this](const auto& item) { return item.second.pass != pass_; });
  std::erase_if(kept_threads_, [this](const auto& item) { return item.second.pass != pass_; });
  return Status::Ok();
}

void TaskAggregator::Adjust(std::unordered_map<int64_t, Kept>& kept, int64_t id,
                            uint64_t start_boottime, uint64_t rtime, uint64_t tick_utime,
                            uint64_t tick_stime, PrevCputime kernel_prev, uint64_t& utime,
                            uint64_t& stime) {
  Kept& k = kept[id];
  if (k.start_boottime != start_boottime) k = Kept{start_boottime, {}, 0};
  k.pass = pass_;
  // Start from where the kernel's own split stands (it decided, say, that early CPU time
  // was all user time, and /proc keeps that), never below ours.
  k.prev.utime = std::max(k.prev.utime, kernel_prev.utime);
  k.prev.stime = std::max(k.prev.stime, kernel_prev.stime);
  uint64_t u = 0, s = 0;
  CputimeAdjust(rtime, tick_utime, tick_stime, k.prev, u, s);
  utime = u / kNanosPerTick;
  stime = s / kNanosPerTick;
}

// A second pass over the records for the processes with two or more threads: a
// process's threads are not adjacent (the iterator goes by tid).
void TaskAggregator::AddThreads(std::span<const TaskRecord> records, std::vector<BpfProcess>& out,
                                const std::unordered_map<uint32_t, Sums>& sums) {
  for (const auto& [tgid, s] : sums) {
    if (s.leader && s.tasks > 1) out[s.index].threads.reserve(s.tasks);
  }
  for (const TaskRecord& r : records) {
    const Sums& s = sums.at(r.tgid);
    if (!s.leader || s.tasks < 2) continue;
    BpfThread& t = out[s.index].threads.emplace_back();
    t.tid = r.pid;
    std::memcpy(t.comm, r.comm, sizeof(t.comm));
    t.comm[sizeof(t.comm) - 1] = '\0';
    t.start_time = r.start_boottime / kNanosPerTick;
    Adjust(kept_threads_, r.pid, r.start_boottime, r.sum_exec_runtime, r.utime, r.stime,
           {r.prev_utime, r.prev_stime}, t.utime, t.stime);
    t.minor_faults = r.min_flt;
    t.major_faults = r.maj_flt;
    t.voluntary = r.nvcsw;
    t.nonvoluntary = r.nivcsw;
    t.read_bytes = r.read_bytes;
    t.write_bytes = r.write_bytes;
  }
}

#ifdef VITALS_HAVE_BPF

namespace {

// libbpf's messages of the current load, for the error that says why it failed.
std::mutex log_mutex;
std::string* log_sink = nullptr;

int CollectLibbpfMessage(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char line[512];
  const int n = vsnprintf(line, sizeof(line), format, args);
  if (log_sink != nullptr && n > 0) {
    std::string text(line, std::min<size_t>(static_cast<size_t>(n), sizeof(line) - 1));
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty()) *log_sink = std::move(text);  // The last one says the most.
  }
  return 0;
}

std::string Why(const char* step, int error, const std::string& libbpf_said) {
  std::string why = std::string(step) + ": " + std::strerror(error);
  if (error == EPERM || error == EACCES) why += " (needs root or CAP_BPF+CAP_PERFMON)";
  if (!libbpf_said.empty()) why += " (" + libbpf_said + ")";
  return why;
}

}  // namespace

struct BpfTaskIterator::Handles {
  const LibbpfApi* api = nullptr;
  bpf_object* object = nullptr;
  bpf_link* link = nullptr;

  ~Handles() {
    if (link != nullptr) api->link_destroy(link);
    if (object != nullptr) api->object_close(object);
  }
};

Result<std::unique_ptr<BpfTaskIterator>> BpfTaskIterator::Load() {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    return Error{"the kernel has no BTF (/sys/kernel/btf/vmlinux), which CO-RE needs"};
  }
  const Result<LibbpfApi>& loaded = LoadLibbpf();
  if (!loaded.ok()) return Error{loaded.error()};
  auto handles = std::make_unique<Handles>();
  handles->api = &*loaded;
  const LibbpfApi& api = *handles->api;
  std::lock_guard lock(log_mutex);
  std::string said;
  log_sink = &said;
  api.set_print(CollectLibbpfMessage);
  auto fail = [&](const char* step, int error) -> Error {
    log_sink = nullptr;
    return Error{Why(step, error, said), error};
  };
  LIBBPF_OPTS(bpf_object_open_opts, options, .object_name = "vitals_task_iter");
  handles->object = api.object_open_mem(kTaskIterObject, kTaskIterObjectSize, &options);
  if (handles->object == nullptr) return fail("cannot open the BPF object", errno);
  if (const int err = api.object_load(handles->object); err != 0) {
    return fail("the kernel refused the BPF program", -err);
  }
  bpf_program* program = api.find_program_by_name(handles->object, "vitals_tasks");
  if (program == nullptr) return fail("no program vitals_tasks in the BPF object", ENOENT);
  handles->link = api.program_attach_iter(program, nullptr);
  if (handles->link == nullptr) return fail("cannot attach the task iterator", errno);
  log_sink = nullptr;
  return std::unique_ptr<BpfTaskIterator>(new BpfTaskIterator(std::move(handles)));
}

Result<std::span<const TaskRecord>> BpfTaskIterator::Read() {
  const int fd = handles_->api->iter_create(handles_->api->link_fd(handles_->link));
  if (fd < 0) return Error{std::string("bpf_iter_create: ") + std::strerror(errno), errno};
  // Read in large pieces: the iterator's seq_file misbehaves when a read() is shorter
  // than what it has buffered (seen on 6.18: records repeated).
  constexpr size_t kChunkRecords = 1024;
  size_t used = 0;  // Bytes.
  for (;;) {
    // Grown a chunk at a time, not doubled: the buffer is kept between passes, and
    // doubling left up to half of it (1 MiB at 5000 tasks) unused for good.
    if (records_.size() * sizeof(TaskRecord) < used + kChunkRecords * sizeof(TaskRecord)) {
      records_.resize(used / sizeof(TaskRecord) + kChunkRecords);
    }
    char* base = reinterpret_cast<char*>(records_.data());
    const ssize_t n = read(fd, base + used, records_.size() * sizeof(TaskRecord) - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return Error{std::string("reading the task iterator: ") + std::strerror(error), error};
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  close(fd);
  if (used % sizeof(TaskRecord) != 0) {
    return Error{"the task iterator returned " + std::to_string(used) +
                 " bytes, not whole records"};
  }
  return std::span<const TaskRecord>(records_.data(), used / sizeof(TaskRecord));
}

#else  // !VITALS_HAVE_BPF

struct BpfTaskIterator::Handles {};

Result<std::unique_ptr<BpfTaskIterator>> BpfTaskIterator::Load() {
  return Error{"this build has no BPF support (built with -DVITALS_BPF=OFF)"};
}

Result<std::span<const TaskRecord>> BpfTaskIterator::Read() {
  return Error{"this build has no BPF support"};
}

#endif  // VITALS_HAVE_BPF

BpfTaskIterator::BpfTaskIterator(std::unique_ptr<Handles> handles) : handles_(std::move(handles)) {}
BpfTaskIterator::~BpfTaskIterator() = default;

}  // namespace vitals::procfs
