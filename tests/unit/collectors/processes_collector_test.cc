// The processes collector on procfs trees built in a temporary directory. Every
// per-process file is derived from the real captures in tests/fixtures/pid/sleep (the
// kernel's own layout) with the fields under test replaced; expected values are computed
// here from those fields, never read back from the collector.
#include "collectors/processes_collector.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

namespace fs = std::filesystem;
using test::LabelMap;
using test::Lines;
using test::ReadFixture;
using test::SampleValue;
using test::Tokens;
using test::Value;

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD in UTF-8.

// One process of the fake tree.
struct FakeProcess {
  int64_t pid = 0;
  int64_t ppid = 1;
  std::string comm = "sleep";
  std::vector<std::string> argv = {"sleep", "100"};
  char state = 'S';
  uint64_t utime = 0, stime = 0, minflt = 0, majflt = 0;
  int64_t threads = 1;
  uint64_t start = 1000;  // Ticks after boot.
  uint64_t vsize = 2990080;
  int64_t rss_pages = 424;
  uint64_t read_bytes = 0, write_bytes = 0;
  uint64_t rss_anon_kb = 112, rss_file_kb = 1696, rss_shmem_kb = 0, swap_kb = 0;
  uint64_t voluntary = 0, nonvoluntary = 0;
  uint32_t real_uid = 0, effective_uid = 0;
  std::string cpus = "0-1";
  int fds = 3;
  std::optional<uint64_t> max_open_files = 256;  // nullopt: "unlimited".
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// tests/fixtures/pid/sleep/stat with the fields of `p` in place (numbers as in proc(5)).
std::string StatText(const FakeProcess& p) {
  const std::string captured = ReadFixture("pid/sleep/stat");
  auto fields = Tokens(captured.substr(captured.rfind(')') + 1));
  EXPECT_EQ(fields.size(), 50u);
  const auto set = [&](int k, const std::string& value) {
    fields[static_cast<size_t>(k - 3)] = value;
  };
  set(3, std::string(1, p.state));
  set(4, std::to_string(p.ppid));
  set(10, std::to_string(p.minflt));
  set(12, std::to_string(p.majflt));
  set(14, std::to_string(p.utime));
  set(15, std::to_string(p.stime));
  set(20, std::to_string(p.threads));
  set(22, std::to_string(p.start));
  set(23, std::to_string(p.vsize));
  set(24, std::to_string(p.rss_pages));
  std::string line = std::to_string(p.pid) + " (" + p.comm + ")";
  for (const auto& field : fields) line += " " + field;
  return line + "\n";
}

// tests/fixtures/pid/sleep/status with the lines that matter replaced, in the kernel's format.
std::string StatusText(const FakeProcess& p) {
  const auto kb = [](uint64_t value) {
    std::string number = std::to_string(value);
    return "\t" + std::string(number.size() < 8 ? 8 - number.size() : 0, ' ') + number + " kB";
  };
  std::string name = p.comm;  // The kernel escapes '\n' in this line.
  for (size_t at; (at = name.find('\n')) != std::string::npos;) name.replace(at, 1, "\\n");
  const std::string real = std::to_string(p.real_uid), effective = std::to_string(p.effective_uid);
  const std::map<std::string, std::string> values = {
      {"Name", "\t" + name},
      {"Pid", "\t" + std::to_string(p.pid)},
      {"Tgid", "\t" + std::to_string(p.pid)},
      {"PPid", "\t" + std::to_string(p.ppid)},
      {"Uid", "\t" + real + "\t" + effective + "\t" + effective + "\t" + effective},
      {"RssAnon", kb(p.rss_anon_kb)},
      {"RssFile", kb(p.rss_file_kb)},
      {"RssShmem", kb(p.rss_shmem_kb)},
      {"VmSwap", kb(p.swap_kb)},
      {"Cpus_allowed_list", "\t" + p.cpus},
      {"voluntary_ctxt_switches", "\t" + std::to_string(p.voluntary)},
      {"nonvoluntary_ctxt_switches", "\t" + std::to_string(p.nonvoluntary)}};
  std::string text;
  size_t replaced = 0;
  for (const auto& line : Lines(ReadFixture("pid/sleep/status"))) {
    const std::string key = line.substr(0, line.find(':'));
    if (auto it = values.find(key); it != values.end()) {
      text += key + ":" + it->second + "\n";
      ++replaced;
    } else {
      text += line + "\n";
    }
  }
  EXPECT_EQ(replaced, values.size());
  return text;
}

std::string IoText(const FakeProcess& p) {
  std::string text;
  for (const auto& line : Lines(ReadFixture("pid/sleep/io"))) {
    if (line.rfind("read_bytes:", 0) == 0) {
      text += "read_bytes: " + std::to_string(p.read_bytes) + "\n";
    } else if (line.rfind("write_bytes:", 0) == 0) {
      text += "write_bytes: " + std::to_string(p.write_bytes) + "\n";
    } else {
      text += line + "\n";
    }
  }
  return text;
}

std::string LimitsText(const FakeProcess& p) {
  // The capture says "Max open files  256  512  files"; columns are 21 characters wide.
  std::string soft = p.max_open_files ? std::to_string(*p.max_open_files) : "unlimited";
  soft.resize(std::max<size_t>(soft.size() + 1, 21), ' ');
  return Replace(ReadFixture("pid/sleep/limits"), "256                  512", soft + "512");
}

// A procfs root in a temporary directory: "stat" (with btime) and one directory per process.
class FakeProc {
 public:
  FakeProc() { test::WriteFile(root() / "stat", ReadFixture("proc/stat")); }

  fs::path root() const { return dir_.path() / "proc"; }
  fs::path PidDir(int64_t pid) const { return root() / std::to_string(pid); }
  Paths paths() const {
    Paths paths;
    paths.procfs = root().string();
    return paths;
  }

  void Write(const FakeProcess& p) const {
    const fs::path dir = PidDir(p.pid);
    test::WriteFile(dir / "stat", StatText(p));
    test::WriteFile(dir / "status", StatusText(p));
    test::WriteFile(dir / "io", IoText(p));
    test::WriteFile(dir / "limits", LimitsText(p));
    std::string cmdline;
    for (const auto& arg : p.argv) cmdline += arg + '\0';
    test::WriteFile(dir / "cmdline", cmdline);
    fs::remove_all(dir / "fd");
    fs::create_directories(dir / "fd");
    for (int fd = 0; fd < p.fds; ++fd)
      fs::create_symlink("/dev/null", dir / "fd" / std::to_string(fd));
  }

  void Remove(int64_t pid) const { fs::remove_all(PidDir(pid)); }

 private:
  test::TempDir dir_;
};

// btime of tests/fixtures/proc/stat, read independently.
double BootTime() {
  for (const auto& line : Lines(ReadFixture("proc/stat"))) {
    const auto tokens = Tokens(line);
    if (tokens.size() == 2 && tokens[0] == "btime") return std::stod(tokens[1]);
  }
  ADD_FAILURE() << "no btime in tests/fixtures/proc/stat";
  return 0;
}

double PageSize() { return static_cast<double>(sysconf(_SC_PAGESIZE)); }

ProcessGroupSpec Spec(std::string_view name, std::vector<std::string> comm,
                      std::vector<std::string> cmdline = {}, std::vector<std::string> exe = {}) {
  ProcessGroupSpec spec;
  auto parsed = NameTemplate::Parse(name);
  EXPECT_TRUE(parsed.ok()) << name;
  if (parsed.ok()) spec.name = *parsed;
  spec.comm = std::move(comm);
  spec.exe = std::move(exe);
  for (const auto& pattern : cmdline) {
    auto regex = Regex::Compile(pattern);
    EXPECT_TRUE(regex.ok()) << pattern;
    if (regex.ok()) spec.cmdline.push_back(*regex);
  }
  return spec;
}

Families Collect(ProcessesCollector& collector) {
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

// Counters of a process (or of several, summed), in kernel units.
struct Counts {
  uint64_t utime = 0, stime = 0, read = 0, write = 0, majflt = 0, minflt = 0, vol = 0, nonvol = 0;
};

Counts CountsOf(const FakeProcess& p) {
  return {p.utime,  p.stime,  p.read_bytes, p.write_bytes,
          p.majflt, p.minflt, p.voluntary,  p.nonvoluntary};
}

Counts operator+(Counts a, const Counts& b) {
  a.utime += b.utime;
  a.stime += b.stime;
  a.read += b.read;
  a.write += b.write;
  a.majflt += b.majflt;
  a.minflt += b.minflt;
  a.vol += b.vol;
  a.nonvol += b.nonvol;
  return a;
}

std::string StateName(char state) {
  switch (state) {
    case 'R':
      return "Running";
    case 'S':
      return "Sleeping";
    case 'D':
      return "Waiting";
    case 'Z':
      return "Zombie";
    default:
      return "Other";
  }
}

// Checks every namedprocess_namegroup_* sample of `group` against its live `members`
// plus the counters `exited` that former members left behind.
void ExpectGroup(const Families& families, const std::string& group,
                 const std::vector<FakeProcess>& members, const Counts& exited = {}) {
  SCOPED_TRACE("group " + group);
  const std::string prefix = "namedprocess_namegroup_";
  const LabelMap g = {{"groupname", group}};
  const auto with = [&](const std::string& key, const std::string& value) {
    LabelMap labels = g;
    labels[key] = value;
    return labels;
  };
  Counts counts = exited;
  double resident = 0, virtual_bytes = 0, swapped = 0, shared = 0, fds = 0, ratio = 0;
  double threads = 0;
  std::map<std::string, double> states = {
      {"Other", 0}, {"Running", 0}, {"Sleeping", 0}, {"Waiting", 0}, {"Zombie", 0}};
  std::optional<uint64_t> oldest;
  for (const auto& p : members) {
    counts = counts + CountsOf(p);
    resident += static_cast<double>(p.rss_pages) * PageSize();
    virtual_bytes += static_cast<double>(p.vsize);
    swapped += static_cast<double>(p.swap_kb * 1024);
    shared += static_cast<double>((p.rss_file_kb + p.rss_shmem_kb) * 1024);
    fds += p.fds;
    if (p.max_open_files && *p.max_open_files > 0) {
      ratio = std::max(ratio, p.fds / static_cast<double>(*p.max_open_files));
    }
    threads += static_cast<double>(p.threads);
    states[StateName(p.state)] += 1;
    oldest = std::min(oldest.value_or(UINT64_MAX), p.start);
  }
  EXPECT_EQ(SampleValue(families, prefix + "num_procs", g), members.size());
  EXPECT_EQ(SampleValue(families, prefix + "cpu_seconds_total", with("mode", "user")),
            counts.utime / 100.0);
  EXPECT_EQ(SampleValue(families, prefix + "cpu_seconds_total", with("mode", "system")),
            counts.stime / 100.0);
  EXPECT_EQ(SampleValue(families, prefix + "read_bytes_total", g), counts.read);
  EXPECT_EQ(SampleValue(families, prefix + "write_bytes_total", g), counts.write);
  EXPECT_EQ(SampleValue(families, prefix + "major_page_faults_total", g), counts.majflt);
  EXPECT_EQ(SampleValue(families, prefix + "minor_page_faults_total", g), counts.minflt);
  EXPECT_EQ(
      SampleValue(families, prefix + "context_switches_total", with("ctxswitchtype", "voluntary")),
      counts.vol);
  EXPECT_EQ(SampleValue(families, prefix + "context_switches_total",
                        with("ctxswitchtype", "nonvoluntary")),
            counts.nonvol);
  EXPECT_EQ(SampleValue(families, prefix + "memory_bytes", with("memtype", "resident")), resident);
  EXPECT_EQ(SampleValue(families, prefix + "memory_bytes", with("memtype", "virtual")),
            virtual_bytes);
  EXPECT_EQ(SampleValue(families, prefix + "memory_bytes", with("memtype", "swapped")), swapped);
  EXPECT_EQ(SampleValue(families, prefix + "memory_bytes", with("memtype", "shared")), shared);
  EXPECT_EQ(SampleValue(families, prefix + "open_filedesc", g), fds);
  EXPECT_EQ(SampleValue(families, prefix + "worst_fd_ratio", g), ratio);
  EXPECT_EQ(SampleValue(families, prefix + "num_threads", g), threads);
  for (const auto& [state, count] : states) {
    EXPECT_EQ(SampleValue(families, prefix + "states", with("state", state)), count) << state;
  }
  if (oldest) {
    EXPECT_EQ(SampleValue(families, prefix + "oldest_start_time_seconds", g),
              std::floor(BootTime() + static_cast<double>(*oldest) / 100.0));
  } else {
    EXPECT_EQ(SampleValue(families, prefix + "oldest_start_time_seconds", g), std::nullopt);
  }
}

// The groupname labels of namedprocess_namegroup_num_procs, sorted.
std::vector<std::string> GroupNames(const Families& families) {
  const auto* family = test::FindFamily(families, "namedprocess_namegroup_num_procs");
  if (family == nullptr) return {};
  auto names = test::LabelValues(*family, "groupname");
  std::sort(names.begin(), names.end());
  return names;
}

// Every *_total sample of `group`, keyed by family and labels.
std::map<std::string, double> TotalsOf(const Families& families, const std::string& group) {
  std::map<std::string, double> totals;
  for (const auto& family : families) {
    if (family.name.size() < 6 || family.name.substr(family.name.size() - 6) != "_total") continue;
    for (const auto& metric : family.metric) {
      const auto labels = test::Labels(metric);
      if (labels.count("groupname") == 0 || labels.at("groupname") != group) continue;
      std::string key = family.name;
      for (const auto& [name, value] : labels) key += " " + name + "=" + value;
      totals[key] = test::ValueOf(family, metric);
    }
  }
  return totals;
}

void ExpectNotBelow(const std::map<std::string, double>& now,
                    const std::map<std::string, double>& before) {
  EXPECT_EQ(now.size(), before.size());
  for (const auto& [key, value] : before) {
    const auto it = now.find(key);
    ASSERT_NE(it, now.end()) << key << " disappeared";
    EXPECT_GE(it->second, value) << key << " went backwards";
  }
}

double ReadErrors(const Families& families, const std::string& reason) {
  return Value(families, "vitals_process_read_errors_total", {{"reason", reason}});
}

FakeProcess Proc(int64_t pid, std::string comm, uint64_t seed) {
  FakeProcess p;
  p.pid = pid;
  p.comm = std::move(comm);
  p.argv = {"/usr/bin/" + p.comm, "--id=" + std::to_string(pid)};
  // Distinct values per field and per process.
  p.utime = 100 * seed + 1;
  p.stime = 100 * seed + 2;
  p.minflt = 1000 * seed + 3;
  p.majflt = 10 * seed + 4;
  p.threads = static_cast<int64_t>(seed) + 1;
  p.start = 5000 + 7 * seed;
  p.vsize = 1000000 * seed + 4096;
  p.rss_pages = static_cast<int64_t>(100 * seed + 5);
  p.read_bytes = 4096 * seed + 6;
  p.write_bytes = 8192 * seed + 7;
  p.rss_anon_kb = 10 * seed + 8;
  p.rss_file_kb = 20 * seed + 9;
  p.rss_shmem_kb = 30 * seed + 10;
  p.swap_kb = 40 * seed + 11;
  p.voluntary = 50 * seed + 12;
  p.nonvoluntary = 60 * seed + 13;
  p.fds = static_cast<int>(seed % 5) + 1;
  p.max_open_files = 64 * (seed + 1);
  return p;
}

TEST(ProcessesCollectorTest, StaticGroupWithoutProcessReportsZeroFromFirstCollect) {
  FakeProc proc;
  proc.Write(Proc(101, "cat", 1));
  ProcessesOptions options;
  options.groups = {Spec("idle", {"nothing-runs-this"}), Spec("{{.Comm}}", {"nor-this"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  // The fixed name exists at once; the template group has no name until a process matches.
  EXPECT_EQ(GroupNames(families), std::vector<std::string>{"idle"});
  ExpectGroup(families, "idle", {});
  EXPECT_EQ(Value(families, "vitals_process_groups_dropped_total"), 0);
  EXPECT_EQ(ReadErrors(families, "permission"), 0);
  EXPECT_EQ(ReadErrors(families, "malformed"), 0);
  // No per_pid group: no per-PID families.
  EXPECT_EQ(test::FindFamily(families, "vitals_process_cpu_seconds_total"), nullptr);
}

TEST(ProcessesCollectorTest, TemplateGroupsSumTheirMembers) {
  FakeProc proc;
  FakeProcess a1 = Proc(101, "alpha", 1), a2 = Proc(102, "alpha", 2), b1 = Proc(103, "beta", 3);
  FakeProcess b2 = Proc(104, "beta", 4), other = Proc(105, "gamma", 5);
  a2.state = 'R';
  b1.state = 'D';
  b2.state = 'Z';
  a1.state = 'T';                    // Stopped: "Other".
  a2.max_open_files = std::nullopt;  // "unlimited": no ratio.
  for (const auto& p : {a1, a2, b1, b2, other}) proc.Write(p);
  ProcessesOptions options;
  options.groups = {Spec("{{.Comm}}", {"alpha", "beta"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(GroupNames(families), (std::vector<std::string>{"alpha", "beta"}));
  ExpectGroup(families, "alpha", {a1, a2});
  ExpectGroup(families, "beta", {b1, b2});
  EXPECT_EQ(ReadErrors(families, "permission"), 0);
  EXPECT_EQ(ReadErrors(families, "malformed"), 0);
}

TEST(ProcessesCollectorTest, SecondCollectWithoutChangeIsIdentical) {
  FakeProc proc;
  const FakeProcess a = Proc(101, "alpha", 1), b = Proc(102, "alpha", 2);
  proc.Write(a);
  proc.Write(b);
  ProcessesOptions options;
  options.groups = {Spec("{{.Comm}}", {"alpha"})};
  ProcessesCollector collector(proc.paths(), options);
  Collect(collector);
  const Families families = Collect(collector);
  ExpectGroup(families, "alpha", {a, b});
}

TEST(ProcessesCollectorTest, CountersFollowTheProcesses) {
  FakeProc proc;
  FakeProcess a = Proc(101, "alpha", 1);
  proc.Write(a);
  ProcessesOptions options;
  options.groups = {Spec("{{.Comm}}", {"alpha"})};
  ProcessesCollector collector(proc.paths(), options);
  ExpectGroup(Collect(collector), "alpha", {a});
  a.utime += 250;
  a.stime += 3;
  a.read_bytes += 1 << 20;
  a.write_bytes += 4096;
  a.minflt += 17;
  a.majflt += 1;
  a.voluntary += 9;
  a.nonvoluntary += 2;
  a.rss_pages += 10;
  a.fds = 7;
  a.max_open_files = 1024;  // Raised with prlimit(1): the ratio follows.
  proc.Write(a);
  ExpectGroup(Collect(collector), "alpha", {a});
}

TEST(ProcessesCollectorTest, ContextSwitchesSumEveryThread) {
  // /proc/PID/status counts the main thread only; task/TID/status has each thread's.
  FakeProc proc;
  FakeProcess p = Proc(1000, "app", 1);
  p.threads = 3;
  p.voluntary = 10;
  p.nonvoluntary = 1;
  proc.Write(p);
  const auto write_thread = [&](int64_t tid, uint64_t voluntary, uint64_t nonvoluntary) {
    FakeProcess thread = p;
    thread.pid = tid;
    thread.voluntary = voluntary;
    thread.nonvoluntary = nonvoluntary;
    test::WriteFile(proc.PidDir(p.pid) / "task" / std::to_string(tid) / "status",
                    StatusText(thread));
  };
  write_thread(1000, 10, 1);
  write_thread(1001, 20, 2);
  write_thread(1002, 30, 3);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  FakeProcess summed = p;
  summed.voluntary = 10 + 20 + 30;
  summed.nonvoluntary = 1 + 2 + 3;
  ExpectGroup(first, "app", {summed});

  // Thread 1002 exits, taking its 30 + 3 switches along; the others go on.
  fs::remove_all(proc.PidDir(p.pid) / "task" / "1002");
  p.threads = 2;
  proc.Write(p);
  write_thread(1000, 12, 1);
  write_thread(1001, 25, 4);
  const Families second = Collect(collector);
  ExpectNotBelow(TotalsOf(second, "app"), TotalsOf(first, "app"));
}

TEST(ProcessesCollectorTest, ChildrenFoldIntoTheirAncestorsGroup) {
  FakeProc proc;
  FakeProcess wrapper = Proc(200, "run-app.sh", 1);
  FakeProcess child = Proc(201, "python3", 2);
  child.ppid = 200;
  FakeProcess grandchild = Proc(202, "sleep", 3);
  grandchild.ppid = 201;
  FakeProcess worker = Proc(203, "worker", 4);  // Matches a group of its own.
  worker.ppid = 200;
  FakeProcess workers_child = Proc(204, "sh", 5);  // Folds into the nearest grouped ancestor.
  workers_child.ppid = 203;
  FakeProcess unrelated = Proc(205, "python3", 6);
  unrelated.ppid = 1;  // pid 1 is not in the tree.
  FakeProcess orphan = Proc(206, "sleep", 7);
  orphan.ppid = 999;
  for (const auto& p : {wrapper, child, grandchild, worker, workers_child, unrelated, orphan}) {
    proc.Write(p);
  }
  for (const bool children : {true, false}) {
    SCOPED_TRACE(children ? "children: true" : "children: false");
    ProcessesOptions options;
    options.children = children;
    options.groups = {Spec("app", {"run-app.sh"}), Spec("workers", {"worker"})};
    ProcessesCollector collector(proc.paths(), options);
    const Families families = Collect(collector);
    EXPECT_EQ(GroupNames(families), (std::vector<std::string>{"app", "workers"}));
    if (children) {
      ExpectGroup(families, "app", {wrapper, child, grandchild});
      ExpectGroup(families, "workers", {worker, workers_child});
    } else {
      ExpectGroup(families, "app", {wrapper});
      ExpectGroup(families, "workers", {worker});
    }
  }
}

TEST(ProcessesCollectorTest, ChildStartedLaterFoldsIntoItsParentsGroup) {
  FakeProc proc;
  const FakeProcess wrapper = Proc(200, "run-app.sh", 1);
  proc.Write(wrapper);
  ProcessesOptions options;
  options.groups = {Spec("app", {"run-app.sh"})};
  ProcessesCollector collector(proc.paths(), options);
  ExpectGroup(Collect(collector), "app", {wrapper});
  FakeProcess child = Proc(201, "python3", 2);
  child.ppid = 200;
  proc.Write(child);
  ExpectGroup(Collect(collector), "app", {wrapper, child});
}

TEST(ProcessesCollectorTest, ExitedMembersKeepGroupCountersMonotonic) {
  FakeProc proc;
  FakeProcess a = Proc(301, "app", 1);
  const FakeProcess b = Proc(302, "app", 2);
  proc.Write(a);
  proc.Write(b);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  ExpectGroup(first, "app", {a, b});

  // b exits; a keeps running.
  a.utime += 40;
  a.read_bytes += 512;
  a.voluntary += 3;
  proc.Write(a);
  proc.Remove(b.pid);
  const Families second = Collect(collector);
  ExpectNotBelow(TotalsOf(second, "app"), TotalsOf(first, "app"));
  ExpectGroup(second, "app", {a}, CountsOf(b));

  // a exits too: the group stays, with no process and everything it ever counted.
  proc.Remove(a.pid);
  const Families third = Collect(collector);
  ExpectNotBelow(TotalsOf(third, "app"), TotalsOf(second, "app"));
  EXPECT_EQ(GroupNames(third), std::vector<std::string>{"app"});
  ExpectGroup(third, "app", {}, CountsOf(a) + CountsOf(b));

  // And it stays like that.
  const Families fourth = Collect(collector);
  ExpectGroup(fourth, "app", {}, CountsOf(a) + CountsOf(b));
}

TEST(ProcessesCollectorTest, TemplateGroupOutlivesItsLastMember) {
  FakeProc proc;
  const FakeProcess a = Proc(301, "alpha", 1);
  proc.Write(a);
  ProcessesOptions options;
  options.groups = {Spec("{{.Comm}}", {"alpha"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  proc.Remove(a.pid);
  const Families second = Collect(collector);
  ExpectNotBelow(TotalsOf(second, "alpha"), TotalsOf(first, "alpha"));
  ExpectGroup(second, "alpha", {}, CountsOf(a));
}

TEST(ProcessesCollectorTest, ReusedPidIsANewProcess) {
  FakeProc proc;
  FakeProcess old = Proc(400, "app", 5);
  proc.Write(old);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"}), Spec("other", {"other"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  ExpectGroup(first, "app", {old});

  // Same pid, later start time, smaller counters: a new process of the same group. The
  // old one's counts are retired into the group, the new one's added on top.
  FakeProcess reused = Proc(400, "app", 1);
  reused.start = old.start + 100;
  proc.Write(reused);
  const Families second = Collect(collector);
  ExpectNotBelow(TotalsOf(second, "app"), TotalsOf(first, "app"));
  ExpectGroup(second, "app", {reused}, CountsOf(old));

  // Reused again, now by a process of another group.
  FakeProcess moved = Proc(400, "other", 2);
  moved.start = reused.start + 100;
  proc.Write(moved);
  const Families third = Collect(collector);
  ExpectNotBelow(TotalsOf(third, "app"), TotalsOf(second, "app"));
  ExpectGroup(third, "app", {}, CountsOf(old) + CountsOf(reused));
  ExpectGroup(third, "other", {moved});
}

TEST(ProcessesCollectorTest, PerPidTopByCpuWithAffinity) {
  FakeProc proc;
  FakeProcess p1 = Proc(501, "svc", 1), p2 = Proc(502, "svc", 2), p3 = Proc(503, "svc", 3);
  p1.utime = 10;  // 30 ticks in all.
  p1.stime = 20;
  p1.cpus = "0-3,6";  // CPUs 0, 1, 2, 3 and 6.
  p2.utime = 40;      // 50 ticks: the top one.
  p2.stime = 10;
  p2.cpus = "1";
  p3.utime = 5;  // 20 ticks: left out by max_pids 2.
  p3.stime = 15;
  p3.cpus = "0-1";
  FakeProcess busy = Proc(504, "other", 4);  // More CPU, but in a group without per_pid.
  busy.utime = 10000;
  for (const auto& p : {p1, p2, p3, busy}) proc.Write(p);
  ProcessesOptions options;
  options.groups = {Spec("svc", {"svc"}), Spec("other", {"other"})};
  options.groups[0].per_pid = true;
  options.groups[0].max_pids = 2;
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  ExpectGroup(families, "svc", {p1, p2, p3});

  const auto* cpu = test::FindFamily(families, "vitals_process_cpu_seconds_total");
  ASSERT_NE(cpu, nullptr);
  std::set<std::string> pids;
  for (const auto& pid : test::LabelValues(*cpu, "pid")) pids.insert(pid);
  EXPECT_EQ(pids, (std::set<std::string>{"501", "502"}));
  const struct {
    const FakeProcess& p;
    double cpus;
  } expected[] = {{p1, 5}, {p2, 1}};
  for (const auto& [p, cpus] : expected) {
    SCOPED_TRACE(p.pid);
    const std::string pid = std::to_string(p.pid);
    const LabelMap labels = {{"groupname", "svc"}, {"pid", pid}};
    const auto with = [&](const std::string& key, const std::string& value) {
      LabelMap l = labels;
      l[key] = value;
      return l;
    };
    EXPECT_EQ(SampleValue(families, "vitals_process_cpu_seconds_total", with("mode", "user")),
              p.utime / 100.0);
    EXPECT_EQ(SampleValue(families, "vitals_process_cpu_seconds_total", with("mode", "system")),
              p.stime / 100.0);
    EXPECT_EQ(SampleValue(families, "vitals_process_memory_bytes", with("memtype", "resident")),
              static_cast<double>(p.rss_pages) * PageSize());
    EXPECT_EQ(SampleValue(families, "vitals_process_memory_bytes", with("memtype", "virtual")),
              static_cast<double>(p.vsize));
    EXPECT_EQ(SampleValue(families, "vitals_process_memory_bytes", with("memtype", "swapped")),
              static_cast<double>(p.swap_kb * 1024));
    EXPECT_EQ(SampleValue(families, "vitals_process_memory_bytes", with("memtype", "shared")),
              static_cast<double>((p.rss_file_kb + p.rss_shmem_kb) * 1024));
    EXPECT_EQ(SampleValue(families, "vitals_process_cpu_affinity", labels), cpus);
    EXPECT_EQ(SampleValue(families, "vitals_process_cpu_affinity_info", with("cpus", p.cpus)), 1);
  }
  const auto* info = test::FindFamily(families, "vitals_process_cpu_affinity_info");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->metric.size(), 2u);
}

TEST(ProcessesCollectorTest, MaxGroupsBoundsTemplateGroups) {
  FakeProc proc;
  for (const auto& p : {Proc(601, "a", 1), Proc(602, "b", 2), Proc(603, "c", 3)}) proc.Write(p);
  ProcessesOptions options;
  options.max_groups = 1;
  options.groups = {Spec("{{.Comm}}", {"a", "b", "c"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  EXPECT_EQ(GroupNames(first).size(), 1u);
  EXPECT_EQ(Value(first, "vitals_process_groups_dropped_total"), 2);
  // The same processes again: nobody new, nothing more dropped.
  const Families second = Collect(collector);
  EXPECT_EQ(GroupNames(second), GroupNames(first));
  EXPECT_EQ(Value(second, "vitals_process_groups_dropped_total"), 2);
  // A new process whose group does not exist yet is dropped too.
  proc.Write(Proc(604, "a2", 4));
  options.groups[0].comm.push_back("a2");
  ProcessesCollector again(proc.paths(), options);
  EXPECT_EQ(Value(Collect(again), "vitals_process_groups_dropped_total"), 3);
}

// At max_groups, a template group whose processes have all exited gives its slot to a
// new group: throwaway names cannot keep a process started later out for good.
TEST(ProcessesCollectorTest, MaxGroupsFreesTheSlotOfAnEmptyTemplateGroup) {
  FakeProc proc;
  const FakeProcess throwaway = Proc(601, "junk1", 1);
  proc.Write(throwaway);
  ProcessesOptions options;
  options.max_groups = 2;
  options.groups = {Spec("fixed", {"fixedcomm"}),
                    Spec("{{.Comm}}", {"junk1", "junk2", "service", "other"})};
  ProcessesCollector collector(proc.paths(), options);
  EXPECT_EQ(GroupNames(Collect(collector)), (std::vector<std::string>{"fixed", "junk1"}));

  // While junk1 lives, its slot is taken: a newcomer is dropped.
  proc.Write(Proc(602, "junk2", 2));
  Families families = Collect(collector);
  EXPECT_EQ(GroupNames(families), (std::vector<std::string>{"fixed", "junk1"}));
  EXPECT_EQ(Value(families, "vitals_process_groups_dropped_total"), 1);

  // Both exit; the group stays (with its counts) until its slot is needed.
  proc.Remove(601);
  proc.Remove(602);
  families = Collect(collector);
  ExpectGroup(families, "junk1", {}, CountsOf(throwaway));

  // The real service starts: it gets junk1's slot; the fixed group is never given up.
  const FakeProcess service = Proc(700, "service", 7);
  proc.Write(service);
  families = Collect(collector);
  EXPECT_EQ(GroupNames(families), (std::vector<std::string>{"fixed", "service"}));
  ExpectGroup(families, "service", {service});
  EXPECT_EQ(Value(families, "vitals_process_groups_dropped_total"), 1);
  // And the fixed group's slot is not free even though it has no process.
  proc.Write(Proc(701, "other", 8));
  families = Collect(collector);
  EXPECT_EQ(GroupNames(families), (std::vector<std::string>{"fixed", "service"}));
  EXPECT_EQ(Value(families, "vitals_process_groups_dropped_total"), 2);
}

// Two new names in one scrape and one free slot: the first takes it, the second is
// dropped, never put in the group just given away.
TEST(ProcessesCollectorTest, AFreedSlotGoesToOneGroupPerScrape) {
  FakeProc proc;
  proc.Write(Proc(601, "old", 1));
  ProcessesOptions options;
  options.max_groups = 1;
  options.groups = {Spec("{{.Comm}}", {"old", "new1", "new2"})};
  ProcessesCollector collector(proc.paths(), options);
  Collect(collector);
  proc.Remove(601);
  Collect(collector);
  proc.Write(Proc(602, "new1", 2));
  proc.Write(Proc(603, "new2", 3));
  const Families families = Collect(collector);
  const auto names = GroupNames(families);
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(names[0] == "new1" || names[0] == "new2") << names[0];
  EXPECT_EQ(SampleValue(families, "namedprocess_namegroup_num_procs", {{"groupname", names[0]}}),
            1);
  EXPECT_EQ(Value(families, "vitals_process_groups_dropped_total"), 1);
}

// A scrape past its deadline stops reading: the collector fails, publishes what it has,
// and no process is lost or counted twice (before, the walk ignored the deadline: 3.3 s
// against a 2 s deadline with 100 hostile command lines).
TEST(ProcessesCollectorTest, ExpiredDeadlineStopsTheWalkWithoutLosingCounts) {
  FakeProc proc;
  const FakeProcess a = Proc(801, "app", 1);
  const FakeProcess b = Proc(802, "app", 2);
  proc.Write(a);
  proc.Write(b);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  ExpectGroup(first, "app", {a, b});

  Families late;
  const ScrapeContext expired{std::chrono::steady_clock::now() - std::chrono::seconds(1)};
  const Status status = collector.Collect(expired, late);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("deadline"), std::string::npos) << status.message();
  // No rows, but the counters stay where they were.
  EXPECT_EQ(SampleValue(late, "namedprocess_namegroup_num_procs", {{"groupname", "app"}}), 0);
  ExpectNotBelow(TotalsOf(late, "app"), TotalsOf(first, "app"));
  EXPECT_EQ(TotalsOf(late, "app"), TotalsOf(first, "app"));

  // Next scrape in time: the same processes, counted once.
  ExpectGroup(Collect(collector), "app", {a, b});
}

TEST(ProcessesCollectorTest, MaxGroupsCountsStaticGroups) {
  FakeProc proc;
  proc.Write(Proc(601, "a", 1));
  ProcessesOptions options;
  options.max_groups = 1;
  options.groups = {Spec("fixed", {"nothing"}), Spec("{{.Comm}}", {"a"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(GroupNames(families), std::vector<std::string>{"fixed"});
  EXPECT_EQ(Value(families, "vitals_process_groups_dropped_total"), 1);
}

TEST(ProcessesCollectorTest, RecheckDoesNotRecountDroppedProcesses) {
  // "Processes first seen after max_groups was reached": re-matching the same processes on
  // every scrape (recheck) does not make them new.
  FakeProc proc;
  for (const auto& p : {Proc(601, "a", 1), Proc(602, "b", 2), Proc(603, "c", 3)}) proc.Write(p);
  ProcessesOptions options;
  options.max_groups = 1;
  options.recheck = true;
  options.groups = {Spec("{{.Comm}}", {"a", "b", "c"})};
  ProcessesCollector collector(proc.paths(), options);
  EXPECT_EQ(Value(Collect(collector), "vitals_process_groups_dropped_total"), 2);
  const Families second = Collect(collector);
  EXPECT_EQ(GroupNames(second).size(), 1u);
  EXPECT_EQ(Value(second, "vitals_process_groups_dropped_total"), 2);
}

TEST(ProcessesCollectorTest, RecheckMovesAProcessWithoutCountersGoingBack) {
  FakeProc proc;
  FakeProcess p = Proc(700, "app", 3);
  p.argv = {"app", "--role=old"};
  proc.Write(p);
  const FakeProcess before = p;
  for (const bool recheck : {true, false}) {
    SCOPED_TRACE(recheck ? "recheck: true" : "recheck: false");
    proc.Write(before);
    ProcessesOptions options;
    options.recheck = recheck;
    options.groups = {Spec("old", {}, {"--role=old"}), Spec("new", {}, {"--role=new"})};
    ProcessesCollector collector(proc.paths(), options);
    const Families first = Collect(collector);
    ExpectGroup(first, "old", {before});
    ExpectGroup(first, "new", {});

    FakeProcess after = before;  // Same process (pid, start time), new command line.
    after.argv = {"app", "--role=new"};
    after.utime += 50;
    after.stime += 5;
    after.read_bytes += 4096;
    after.write_bytes += 8192;
    after.minflt += 30;
    after.majflt += 2;
    after.voluntary += 7;
    after.nonvoluntary += 1;
    proc.Write(after);
    const Families second = Collect(collector);
    ExpectNotBelow(TotalsOf(second, "old"), TotalsOf(first, "old"));
    ExpectNotBelow(TotalsOf(second, "new"), TotalsOf(first, "new"));
    if (recheck) {
      // The past stays with "old"; "new" counts only what happened since the move.
      ExpectGroup(second, "old", {}, CountsOf(before));
      FakeProcess since = after;
      const Counts delta = {
          after.utime - before.utime,           after.stime - before.stime,
          after.read_bytes - before.read_bytes, after.write_bytes - before.write_bytes,
          after.majflt - before.majflt,         after.minflt - before.minflt,
          after.voluntary - before.voluntary,   after.nonvoluntary - before.nonvoluntary};
      since.utime = delta.utime, since.stime = delta.stime, since.read_bytes = delta.read;
      since.write_bytes = delta.write, since.majflt = delta.majflt, since.minflt = delta.minflt;
      since.voluntary = delta.vol, since.nonvoluntary = delta.nonvol;
      ExpectGroup(second, "new", {since});
    } else {
      ExpectGroup(second, "old", {after});
      ExpectGroup(second, "new", {});
    }
  }
}

TEST(ProcessesCollectorTest, MalformedIoIsCountedAndTheRowIsStillPublished) {
  FakeProc proc;
  const FakeProcess p = Proc(800, "app", 2);
  proc.Write(p);
  test::WriteFile(proc.PidDir(p.pid) / "io", "read_bytes: lots\nwrite_bytes: 1\n");
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(ReadErrors(families, "malformed"), 1);
  EXPECT_EQ(ReadErrors(families, "permission"), 0);
  FakeProcess without_io = p;
  without_io.read_bytes = 0;
  without_io.write_bytes = 0;
  ExpectGroup(families, "app", {without_io});
}

// An io read error other than EACCES/EPERM (EISDIR here) is counted as reason="other";
// the row itself is still published.
TEST(ProcessesCollectorTest, IoThatCannotBeReadIsCountedAndTheRowIsStillPublished) {
  // A directory where the io file should be: open succeeds, read fails (EISDIR). Works as
  // root too, where file permissions deny nothing.
  FakeProc proc;
  const FakeProcess p = Proc(800, "app", 2);
  proc.Write(p);
  fs::remove(proc.PidDir(p.pid) / "io");
  fs::create_directories(proc.PidDir(p.pid) / "io");
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(ReadErrors(families, "other"), 1);
  EXPECT_EQ(ReadErrors(families, "malformed") + ReadErrors(families, "permission"), 0);
  FakeProcess without_io = p;
  without_io.read_bytes = 0;
  without_io.write_bytes = 0;
  ExpectGroup(families, "app", {without_io});
}

// A status read that fails for a reason other than the process exiting must not make
// the process look new next scrape (that counted everything twice: 4.02 user seconds
// instead of 2.01). It stays tracked, and its counts stay in the group meanwhile.
TEST(ProcessesCollectorTest, StatusReadFailingOnceDoesNotCountTheProcessTwice) {
  // status cannot be read for one scrape (a directory in its place: EISDIR), then can
  // again. It is the same process (same pid, same start time) throughout: its counters
  // belong to the group once, and never go backwards.
  FakeProc proc;
  const FakeProcess p = Proc(800, "app", 2);
  proc.Write(p);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  ExpectGroup(first, "app", {p});

  fs::remove(proc.PidDir(p.pid) / "status");
  fs::create_directories(proc.PidDir(p.pid) / "status");
  const Families second = Collect(collector);
  ExpectNotBelow(TotalsOf(second, "app"), TotalsOf(first, "app"));

  fs::remove_all(proc.PidDir(p.pid) / "status");
  proc.Write(p);
  const Families third = Collect(collector);
  ExpectNotBelow(TotalsOf(third, "app"), TotalsOf(second, "app"));
  ExpectGroup(third, "app", {p});
}

// What the permission test reads from the collector, passed from a child process.
struct PermissionResult {
  double num_procs = -1, permission = -1, malformed = -1, user_seconds = -1, read_bytes = -1,
         open_fds = -1;
};

PermissionResult CollectPermissionResult(const Paths& paths, const ProcessesOptions& options) {
  ProcessesCollector collector(paths, options);
  Families families;
  PermissionResult result;
  if (!collector.Collect({}, families).ok()) return result;
  const LabelMap g = {{"groupname", "app"}};
  const auto get = [&](std::string_view name, const LabelMap& labels) {
    return SampleValue(families, name, labels).value_or(-1);
  };
  result.num_procs = get("namedprocess_namegroup_num_procs", g);
  result.permission = get("vitals_process_read_errors_total", {{"reason", "permission"}});
  result.malformed = get("vitals_process_read_errors_total", {{"reason", "malformed"}});
  result.user_seconds =
      get("namedprocess_namegroup_cpu_seconds_total", {{"groupname", "app"}, {"mode", "user"}});
  result.read_bytes = get("namedprocess_namegroup_read_bytes_total", g);
  result.open_fds = get("namedprocess_namegroup_open_filedesc", g);
  return result;
}

TEST(ProcessesCollectorTest, IoPermissionDeniedIsCountedAndTheRowIsStillPublished) {
  FakeProc proc;
  const FakeProcess p = Proc(800, "app", 2);
  proc.Write(p);
  // Readable by anyone except io, as /proc/PID/io of another user's process.
  for (const auto& entry : fs::recursive_directory_iterator(proc.root())) {
    if (entry.is_symlink()) continue;
    fs::permissions(entry.path(), entry.is_directory() ? fs::perms(0755) : fs::perms(0644));
  }
  fs::permissions(proc.PidDir(p.pid) / "io", fs::perms::none);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};

  PermissionResult result;
  if (geteuid() != 0) {
    result = CollectPermissionResult(proc.paths(), options);
  } else {
    // Root reads a mode-000 file anyway: collect in a child that became nobody.
    std::array<int, 2> pipe_fds{};
    ASSERT_EQ(pipe(pipe_fds.data()), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(pipe_fds[0]);
      PermissionResult out;
      if (setgid(65534) == 0 && setuid(65534) == 0)
        out = CollectPermissionResult(proc.paths(), options);
      const ssize_t written = write(pipe_fds[1], &out, sizeof out);
      _exit(written == static_cast<ssize_t>(sizeof out) ? 0 : 1);
    }
    close(pipe_fds[1]);
    ssize_t got = 0;
    while (got < static_cast<ssize_t>(sizeof result)) {
      const ssize_t n = read(pipe_fds[0], reinterpret_cast<char*>(&result) + got,
                             sizeof result - static_cast<size_t>(got));
      if (n <= 0) break;
      got += n;
    }
    close(pipe_fds[0]);
    int wait_status = 0;
    ASSERT_EQ(waitpid(child, &wait_status, 0), child);
    ASSERT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
    ASSERT_EQ(got, static_cast<ssize_t>(sizeof result));
    if (result.num_procs < 0) GTEST_SKIP() << "nobody (65534) cannot read the temporary tree";
  }
  EXPECT_EQ(result.permission, 1);
  EXPECT_EQ(result.malformed, 0);
  EXPECT_EQ(result.num_procs, 1);
  EXPECT_EQ(result.user_seconds, p.utime / 100.0);
  EXPECT_EQ(result.read_bytes, 0);
  EXPECT_EQ(result.open_fds, p.fds);
}

TEST(ProcessesCollectorTest, MalformedStatIsCountedAndSkipped) {
  FakeProc proc;
  const FakeProcess good = Proc(900, "app", 1);
  const FakeProcess bad = Proc(901, "app", 2);
  proc.Write(good);
  proc.Write(bad);
  test::WriteFile(proc.PidDir(bad.pid) / "stat", "901 (app) S 1 2 3\n");  // Too few fields.
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(ReadErrors(families, "malformed"), 1);
  ExpectGroup(families, "app", {good});
}

TEST(ProcessesCollectorTest, ProcessGoneMidReadIsNotAnError) {
  // stat was read, then the process exited: status and the rest are missing.
  FakeProc proc;
  const FakeProcess good = Proc(900, "app", 1);
  const FakeProcess gone = Proc(901, "app", 2);
  proc.Write(good);
  proc.Write(gone);
  for (const char* name : {"status", "io", "limits", "cmdline"}) {
    fs::remove(proc.PidDir(gone.pid) / name);
  }
  fs::remove_all(proc.PidDir(gone.pid) / "fd");
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(ReadErrors(families, "malformed"), 0);
  EXPECT_EQ(ReadErrors(families, "permission"), 0);
  ExpectGroup(families, "app", {good});
}

TEST(ProcessesCollectorTest, NonPidEntriesAreIgnored) {
  FakeProc proc;
  const FakeProcess p = Proc(900, "app", 1);
  proc.Write(p);
  test::WriteFile(proc.root() / "self" / "stat", StatText(Proc(901, "app", 2)));
  test::WriteFile(proc.root() / "12abc" / "stat", StatText(Proc(902, "app", 3)));
  fs::create_directories(proc.root() / "sys");
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  ExpectGroup(families, "app", {p});
  EXPECT_EQ(ReadErrors(families, "malformed"), 0);
}

TEST(ProcessesCollectorTest, NeverCountsItsOwnPid) {
  // A directory named after the test's own pid stands for the exporter itself.
  FakeProc proc;
  const FakeProcess self = Proc(getpid(), "app", 1);
  const FakeProcess other = Proc(getpid() == 900 ? 901 : 900, "app", 2);
  proc.Write(self);
  proc.Write(other);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  ExpectGroup(Collect(collector), "app", {other});
  ExpectGroup(Collect(collector), "app", {other});
}

TEST(ProcessesCollectorTest, KernelThreadTakesItsCommAsExeBase) {
  FakeProc proc;
  FakeProcess kthreadd = Proc(2, "kthreadd", 1);
  kthreadd.argv = {};  // Empty cmdline.
  kthreadd.ppid = 0;
  FakeProcess worker = Proc(3, "kworker/0:1", 2);
  worker.argv = {};
  worker.ppid = 2;
  proc.Write(kthreadd);
  proc.Write(worker);
  ProcessesOptions options;
  options.groups = {Spec("{{.ExeBase}}", {"kthreadd"})};  // process-exporter's default name.
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(GroupNames(families), std::vector<std::string>{"kthreadd"});
  ExpectGroup(families, "kthreadd", {kthreadd, worker});  // The worker folds into it.
}

TEST(ProcessesCollectorTest, UsernameIsTheEffectiveUid) {
  FakeProc proc;
  FakeProcess p = Proc(900, "app", 1);
  p.real_uid = 65534;
  p.effective_uid = 0;
  proc.Write(p);
  ProcessesOptions options;
  options.groups = {Spec("{{.Username}}", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const passwd* root = getpwuid(0);
  const std::string expected = root != nullptr ? root->pw_name : "0";
  const Families families = Collect(collector);
  EXPECT_EQ(GroupNames(families), std::vector<std::string>{expected});
  ExpectGroup(families, expected, {p});
}

// Well-formed UTF-8 per Table 3-7 of the Unicode Standard.
bool IsValidUtf8(const std::string& s) {
  const auto in = [&](size_t k, int lo, int hi) {
    return k < s.size() && static_cast<unsigned char>(s[k]) >= lo &&
           static_cast<unsigned char>(s[k]) <= hi;
  };
  for (size_t i = 0; i < s.size();) {
    const int b = static_cast<unsigned char>(s[i]);
    size_t length = 0;
    if (b <= 0x7F) {
      length = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      length = in(i + 1, 0x80, 0xBF) ? 2 : 0;
    } else if (b == 0xE0) {
      length = in(i + 1, 0xA0, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      length = in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    } else if (b == 0xED) {
      length = in(i + 1, 0x80, 0x9F) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    } else if (b == 0xF0) {
      length = in(i + 1, 0x90, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
    } else if (b >= 0xF1 && b <= 0xF3) {
      length = in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
    } else if (b == 0xF4) {
      length = in(i + 1, 0x80, 0x8F) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
    }
    if (length == 0) return false;
    i += length;
  }
  return true;
}

TEST(ProcessesCollectorTest, HostileNamesComeOutAsValidUtf8) {
  FakeProc proc;
  // Two real captures (tests/fixtures/README.md, proc-processes/): 18624's comm is
  // `a "b\c) d` + newline + byte 0xff and its argv carries `quote"d`, `back\slash`, a
  // newline and bytes ff fe 80; 18625's argv[0] is `/opt/we ird/sp"a\ce` + byte 0xff.
  for (const char* pid : {"18624", "18625"}) {
    fs::copy(test::FixturePath(std::string("proc-processes/") + pid), proc.root() / pid,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
  // And one written here: invalid bytes of every kind in comm, argv[0] and a capture.
  FakeProcess mine = Proc(950, std::string("x\"y\\z\n\xfe"), 1);
  mine.argv = {"/bin/\xc3(\"q",
               "--name=\xed\xa0\x80\\n\xc0\xaf"
               "end"};
  proc.Write(mine);
  ProcessesOptions options;
  options.groups = {Spec("{{.Comm}}", {}, {"vitals-hostile-one"}),
                    Spec("{{.ExeBase}}:{{.Matches.Arg}}", {}, {"vitals-hostile-two (?P<Arg>\\S+)"}),
                    Spec("{{.Comm}}|{{.ExeBase}}|{{.Matches.N}}", {}, {"--name=(?P<N>.+)"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  const std::vector<std::string> expected_names = {
      "a \"b\\c) d\n" + kFffd, "sp\"a\\ce" + kFffd + ":q\"uo\\te",
      "x\"y\\z\n" + kFffd + "|" + kFffd + "(\"q|" + kFffd + kFffd + kFffd + "\\n" + kFffd + kFffd +
          "end"};
  std::vector<std::string> sorted = expected_names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(GroupNames(families), sorted);
  for (const auto& family : families) {
    for (const auto& name : test::LabelValues(family, "groupname")) {
      EXPECT_TRUE(IsValidUtf8(name)) << family.name << ": " << ::testing::PrintToString(name);
    }
  }
  for (const auto& name : expected_names) {
    EXPECT_EQ(SampleValue(families, "namedprocess_namegroup_num_procs", {{"groupname", name}}), 1)
        << ::testing::PrintToString(name);
  }
}

// --------------------------------------------------------------- process-exporter parity

// Writes task/TID/{stat,status,io} of `process` from `thread` (its pid is the tid).
void WriteThread(const FakeProc& proc, const FakeProcess& process, const FakeProcess& thread) {
  const fs::path dir = proc.PidDir(process.pid) / "task" / std::to_string(thread.pid);
  test::WriteFile(dir / "stat", StatText(thread));
  test::WriteFile(dir / "status", StatusText(thread));
  test::WriteFile(dir / "io", IoText(thread));
}

FakeProcess ThreadOf(const FakeProcess& process, int64_t tid, std::string name, uint64_t seed) {
  FakeProcess thread = Proc(tid, std::move(name), seed);
  thread.start = process.start + seed;  // Threads start after their process.
  thread.threads = process.threads;
  return thread;
}

LabelMap ThreadLabels(const std::string& group, const std::string& thread,
                      std::pair<std::string, std::string> extra = {}) {
  LabelMap labels = {{"groupname", group}, {"threadname", thread}};
  if (!extra.first.empty()) labels.insert(extra);
  return labels;
}

// Every thread family's sample for one (group, thread name), against `threads` summed.
void ExpectThreads(const Families& families, const std::string& group, const std::string& name,
                   const std::vector<FakeProcess>& threads, const Counts& exited = {}) {
  SCOPED_TRACE("group " + group + ", thread " + name);
  const std::string prefix = "namedprocess_namegroup_thread_";
  Counts c = exited;
  for (const auto& t : threads) c = c + CountsOf(t);
  EXPECT_EQ(SampleValue(families, prefix + "count", ThreadLabels(group, name)), threads.size());
  EXPECT_EQ(SampleValue(families, prefix + "cpu_seconds_total",
                        ThreadLabels(group, name, {"mode", "user"})),
            c.utime / 100.0);
  EXPECT_EQ(SampleValue(families, prefix + "cpu_seconds_total",
                        ThreadLabels(group, name, {"mode", "system"})),
            c.stime / 100.0);
  EXPECT_EQ(SampleValue(families, prefix + "io_bytes_total",
                        ThreadLabels(group, name, {"iomode", "read"})),
            c.read);
  EXPECT_EQ(SampleValue(families, prefix + "io_bytes_total",
                        ThreadLabels(group, name, {"iomode", "write"})),
            c.write);
  EXPECT_EQ(SampleValue(families, prefix + "major_page_faults_total", ThreadLabels(group, name)),
            c.majflt);
  EXPECT_EQ(SampleValue(families, prefix + "minor_page_faults_total", ThreadLabels(group, name)),
            c.minflt);
  EXPECT_EQ(SampleValue(families, prefix + "context_switches_total",
                        ThreadLabels(group, name, {"ctxswitchtype", "voluntary"})),
            c.vol);
  EXPECT_EQ(SampleValue(families, prefix + "context_switches_total",
                        ThreadLabels(group, name, {"ctxswitchtype", "nonvoluntary"})),
            c.nonvol);
}

TEST(ProcessesCollectorTest, ThreadFamiliesByThreadName) {
  FakeProc proc;
  FakeProcess app = Proc(1000, "app", 1);
  app.threads = 3;
  proc.Write(app);
  const FakeProcess main_thread = ThreadOf(app, 1000, "app", 2);
  const FakeProcess worker1 = ThreadOf(app, 1001, "worker", 3);
  const FakeProcess worker2 = ThreadOf(app, 1002, "worker", 4);
  for (const auto& t : {main_thread, worker1, worker2}) WriteThread(proc, app, t);
  FakeProcess single = Proc(1010, "app", 5);  // One thread: not in the thread families.
  single.threads = 1;
  proc.Write(single);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ASSERT_TRUE(options.threads);  // process-exporter's -threads defaults to true.
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  ExpectThreads(families, "app", "app", {main_thread});
  ExpectThreads(families, "app", "worker", {worker1, worker2});
  const auto* count = test::FindFamily(families, "namedprocess_namegroup_thread_count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->metric.size(), 2u);  // app and worker; the single-threaded process adds none.
  // The group's switches are the threads' sum plus the single-threaded process's.
  FakeProcess summed = app;
  summed.voluntary = main_thread.voluntary + worker1.voluntary + worker2.voluntary;
  summed.nonvoluntary = main_thread.nonvoluntary + worker1.nonvoluntary + worker2.nonvoluntary;
  ExpectGroup(families, "app", {summed, single});

  options.threads = false;
  ProcessesCollector without(proc.paths(), options);
  const Families off = Collect(without);
  EXPECT_EQ(test::FindFamily(off, "namedprocess_namegroup_thread_count"), nullptr);
  EXPECT_EQ(test::FindFamily(off, "namedprocess_namegroup_thread_cpu_seconds_total"), nullptr);
}

TEST(ProcessesCollectorTest, ExitedThreadLeavesItsCountsWithItsName) {
  FakeProc proc;
  FakeProcess app = Proc(1000, "app", 1);
  app.threads = 3;
  proc.Write(app);
  const FakeProcess main_thread = ThreadOf(app, 1000, "app", 2);
  FakeProcess worker1 = ThreadOf(app, 1001, "worker", 3);
  const FakeProcess worker2 = ThreadOf(app, 1002, "worker", 4);
  for (const auto& t : {main_thread, worker1, worker2}) WriteThread(proc, app, t);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);

  // worker2 exits; worker1 goes on working.
  fs::remove_all(proc.PidDir(app.pid) / "task" / "1002");
  app.threads = 2;
  proc.Write(app);
  worker1.utime += 40;
  worker1.voluntary += 5;
  WriteThread(proc, app, worker1);
  const Families second = Collect(collector);
  ExpectThreads(second, "app", "worker", {worker1}, CountsOf(worker2));
  ExpectNotBelow(TotalsOf(second, "app"), TotalsOf(first, "app"));

  // Down to one thread: no thread series for the group any more (process-exporter's rule).
  fs::remove_all(proc.PidDir(app.pid) / "task" / "1001");
  app.threads = 1;
  proc.Write(app);
  const Families third = Collect(collector);
  EXPECT_EQ(
      SampleValue(third, "namedprocess_namegroup_thread_count", ThreadLabels("app", "worker")),
      std::nullopt);
  EXPECT_EQ(SampleValue(third, "namedprocess_namegroup_thread_count", ThreadLabels("app", "app")),
            std::nullopt);
}

double ScrapeCounter(const Families& families, const std::string& name) {
  return Value(families, "namedprocess_scrape_" + name, {});
}

TEST(ProcessesCollectorTest, ScrapeErrorFamiliesCountLikeProcessExporter) {
  FakeProc proc;
  const FakeProcess good = Proc(800, "app", 1);
  const FakeProcess no_io = Proc(801, "app", 2);
  const FakeProcess no_status = Proc(802, "app", 3);
  const FakeProcess no_limits = Proc(803, "app", 4);
  for (const auto& p : {good, no_io, no_status, no_limits}) proc.Write(p);
  // Read fails (EISDIR) without the process having exited: root cannot bypass that.
  fs::remove(proc.PidDir(no_io.pid) / "io");
  fs::create_directories(proc.PidDir(no_io.pid) / "io");
  fs::remove(proc.PidDir(no_status.pid) / "status");
  fs::create_directories(proc.PidDir(no_status.pid) / "status");
  fs::remove(proc.PidDir(no_limits.pid) / "limits");
  fs::create_directories(proc.PidDir(no_limits.pid) / "limits");
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  // partial: a tracked process whose io (or fds, threads, smaps_rollup) could not be read,
  // once per process and scrape; procread: one whose status or limits could not be read
  // (process-exporter 0.7.10 fails the whole process on either, by behaviour).
  EXPECT_EQ(ScrapeCounter(first, "errors"), 0);
  EXPECT_EQ(ScrapeCounter(first, "partial_errors"), 1);
  EXPECT_EQ(ScrapeCounter(first, "procread_errors"), 2);
  const Families second = Collect(collector);
  EXPECT_EQ(ScrapeCounter(second, "partial_errors"), 2);
  EXPECT_EQ(ScrapeCounter(second, "procread_errors"), 4);
  const auto* family = test::FindFamily(second, "namedprocess_scrape_partial_errors");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->type, prometheus::MetricType::Counter);

  // No procfs at all: a general scrape error, and the collector fails.
  Paths missing;
  missing.procfs = "/nonexistent/vitals/proc";
  ProcessesCollector broken(missing, options);
  Families families;
  EXPECT_FALSE(broken.Collect({}, families).ok());
  EXPECT_EQ(ScrapeCounter(families, "errors"), 1);
}

TEST(ProcessesCollectorTest, GatherSmapsAddsProportionalMemory) {
  FakeProc proc;
  const FakeProcess a = Proc(800, "app", 1), b = Proc(801, "app", 2);
  for (const auto& p : {a, b}) proc.Write(p);
  test::WriteFile(proc.PidDir(a.pid) / "smaps_rollup", ReadFixture("pid/smaps/sleep_smaps_rollup"));
  test::WriteFile(proc.PidDir(b.pid) / "smaps_rollup", "Rss: 100 kB\nPss: 70 kB\nSwapPss: 3 kB\n");
  double pss_a = 0, swap_pss_a = 0;
  for (const auto& line : Lines(ReadFixture("pid/smaps/sleep_smaps_rollup"))) {
    const auto tokens = Tokens(line);
    if (tokens[0] == "Pss:") pss_a = std::stod(tokens[1]) * 1024;
    if (tokens[0] == "SwapPss:") swap_pss_a = std::stod(tokens[1]) * 1024;
  }
  const LabelMap resident = {{"groupname", "app"}, {"memtype", "proportionalResident"}};
  const LabelMap swapped = {{"groupname", "app"}, {"memtype", "proportionalSwapped"}};
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ASSERT_FALSE(options.gather_smaps);  // Off by default (process-exporter's is on).
  ProcessesCollector off(proc.paths(), options);
  const Families without = Collect(off);
  EXPECT_EQ(SampleValue(without, "namedprocess_namegroup_memory_bytes", resident), std::nullopt);

  options.gather_smaps = true;
  ProcessesCollector on(proc.paths(), options);
  const Families with = Collect(on);
  EXPECT_EQ(SampleValue(with, "namedprocess_namegroup_memory_bytes", resident), pss_a + 70 * 1024);
  EXPECT_EQ(SampleValue(with, "namedprocess_namegroup_memory_bytes", swapped),
            swap_pss_a + 3 * 1024);
  EXPECT_EQ(ScrapeCounter(with, "partial_errors"), 0);
}

TEST(ProcessesCollectorTest, RemoveEmptyGroupsStopsPublishingAGroupWithoutProcesses) {
  FakeProc proc;
  const FakeProcess a = Proc(800, "app", 1);
  proc.Write(a);
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"}), Spec("idle", {"nothing-runs-this"})};
  options.remove_empty_groups = true;
  ProcessesCollector collector(proc.paths(), options);
  const Families first = Collect(collector);
  EXPECT_EQ(GroupNames(first), std::vector<std::string>{"app"});  // Not "idle": never seen.
  ExpectGroup(first, "app", {a});

  proc.Remove(a.pid);
  const Families second = Collect(collector);
  EXPECT_EQ(GroupNames(second), std::vector<std::string>{});
  EXPECT_EQ(SampleValue(second, "namedprocess_namegroup_cpu_seconds_total",
                        {{"groupname", "app"}, {"mode", "user"}}),
            std::nullopt);

  // A new member: the group comes back with its own counts only (the old ones were dropped).
  const FakeProcess b = Proc(801, "app", 2);
  proc.Write(b);
  ExpectGroup(Collect(collector), "app", {b});
}

TEST(ProcessesCollectorTest, CgroupsTemplateRendersLikeProcessExporter) {
  FakeProc proc;
  const FakeProcess a = Proc(800, "app", 1), b = Proc(801, "app", 2);
  for (const auto& p : {a, b}) proc.Write(p);
  test::WriteFile(proc.PidDir(a.pid) / "cgroup", ReadFixture("pid/cgroup/hybrid"));
  test::WriteFile(proc.PidDir(b.pid) / "cgroup", "0::/system.slice/app.service\n");
  ProcessesOptions options;
  options.groups = {Spec("{{.Comm}}:{{.Cgroups}}", {"app"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  // Go's fmt of a []string: the paths in file order, space-separated, in brackets
  // (process-exporter 0.7.10 on this machine: "[/ / / / / /process_api/... / / / /]").
  std::string hybrid = "app:[";
  for (const auto& line : Lines(ReadFixture("pid/cgroup/hybrid"))) {
    if (hybrid.back() != '[') hybrid += ' ';
    hybrid += line.substr(line.find(':', line.find(':') + 1) + 1);
  }
  hybrid += "]";
  EXPECT_EQ(GroupNames(families),
            (std::vector<std::string>{hybrid, "app:[/system.slice/app.service]"}));
}

TEST(ProcessesCollectorTest, KernelThreadsFdsAndLimitsAreNotRead) {
  // A kernel thread (child of kthreadd, no memory) has no fds: neither fd/ nor limits is
  // read. Here both are replaced by something that fails to read (EISDIR, ENOTDIR): no
  // error is counted, and the group's fd count and ratio are 0 as process-exporter's.
  FakeProc proc;
  FakeProcess worker = Proc(3, "kworker/0:1", 2);
  worker.argv = {};
  worker.ppid = 2;
  worker.vsize = 0;
  worker.rss_pages = 0;
  worker.threads = 1;
  proc.Write(worker);
  fs::remove_all(proc.PidDir(worker.pid) / "fd");
  test::WriteFile(proc.PidDir(worker.pid) / "fd", "not a directory");
  fs::remove(proc.PidDir(worker.pid) / "limits");
  fs::create_directories(proc.PidDir(worker.pid) / "limits");
  ProcessesOptions options;
  options.groups = {Spec("kworkers", {"kworker/0:1"})};
  ProcessesCollector collector(proc.paths(), options);
  const Families families = Collect(collector);
  EXPECT_EQ(Value(families, "namedprocess_namegroup_open_filedesc", {{"groupname", "kworkers"}}),
            0);
  EXPECT_EQ(Value(families, "namedprocess_namegroup_worst_fd_ratio", {{"groupname", "kworkers"}}),
            0);
  EXPECT_EQ(ScrapeCounter(families, "partial_errors"), 0);
  EXPECT_EQ(ReadErrors(families, "other") + ReadErrors(families, "permission"), 0);
}

std::string ReadCmdline(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : text) {
    if (c == '\0') c = ' ';
  }
  return text;
}

size_t OpenFds() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

TEST(ProcessesCollectorTest, KeptStatFdsOnTheRealProcFollowAnExitAndAreClosed) {
  // On the real /proc, stat files stay open between scrapes. A process that exits must
  // leave its group at once (its kept fd reads ESRCH), and the fds go with the collector.
  if (!fs::exists("/proc/self/stat")) GTEST_SKIP() << "no /proc";
  const std::string mark = "vitals-kept-fd-" + std::to_string(getpid());
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl("/bin/sleep", mark.c_str(), "100", static_cast<char*>(nullptr));
    _exit(127);
  }
  const fs::path cmdline = "/proc/" + std::to_string(child) + "/cmdline";
  for (int i = 0; i < 500 && ReadCmdline(cmdline).find(mark) != 0; ++i) {
    usleep(10000);  // Until it has exec'd: its group is decided once per lifetime.
  }
  ProcessesOptions options;
  options.groups = {Spec("kept", {}, {"^" + mark + " 100$"})};
  const size_t before = OpenFds();
  {
    Paths paths;
    paths.procfs = "/proc";
    ProcessesCollector collector(paths, options);
    EXPECT_EQ(
        Value(Collect(collector), "namedprocess_namegroup_num_procs", {{"groupname", "kept"}}), 1);
    EXPECT_GT(OpenFds(), before);  // At least the child's stat stays open.
    EXPECT_EQ(
        Value(Collect(collector), "namedprocess_namegroup_num_procs", {{"groupname", "kept"}}), 1);
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_EQ(
        Value(Collect(collector), "namedprocess_namegroup_num_procs", {{"groupname", "kept"}}), 0);
  }
  EXPECT_EQ(OpenFds(), before);
}

// The /proc/PID/... files this process's fds point at (readlink of /proc/self/fd/*).
std::multiset<std::string> OpenProcFiles(pid_t pid) {
  const std::string prefix = "/proc/" + std::to_string(pid) + "/";
  std::multiset<std::string> files;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const std::string target = fs::read_symlink(entry.path(), error).string();
    if (!error && target.starts_with(prefix)) files.insert(target.substr(prefix.size()));
  }
  return files;
}

TEST(ProcessesCollectorTest, KeptStatusAndIoFdsOnTheRealProcReadFreshValues) {
  // status and io stay open between scrapes like stat: each read through them must be
  // today's (a cat woken by each write to its pipe gains voluntary switches), and they
  // close when the process exits (the unprivileged path).
  if (!fs::exists("/proc/self/io")) GTEST_SKIP() << "no /proc with io accounting";
  const std::string mark = "vitals-kept-status-" + std::to_string(getpid());
  const size_t before = OpenFds();
  std::array<int, 2> pipe_fds{};
  ASSERT_EQ(pipe2(pipe_fds.data(), O_CLOEXEC), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    dup2(pipe_fds[0], STDIN_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    execl("/bin/cat", mark.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[0]);
  const fs::path cmdline = "/proc/" + std::to_string(child) + "/cmdline";
  for (int i = 0; i < 500 && ReadCmdline(cmdline).find(mark) != 0; ++i) usleep(10000);
  ProcessesOptions options;
  options.groups = {Spec("kept", {}, {"^" + mark + " ?$"})};
  options.reader = ProcessReader::kProcfs;  // As root, auto would take the task iterator.
  {
    Paths paths;
    paths.procfs = "/proc";
    ProcessesCollector collector(paths, options);
    const LabelMap voluntary = {{"groupname", "kept"}, {"ctxswitchtype", "voluntary"}};
    const double first =
        Value(Collect(collector), "namedprocess_namegroup_context_switches_total", voluntary);
    EXPECT_EQ(OpenProcFiles(child), (std::multiset<std::string>{"io", "stat", "status"}));
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(write(pipe_fds[1], "x\n", 2), 2);
      usleep(20000);  // cat reads and blocks again: a voluntary switch (fewer if it lags).
    }
    const double second =
        Value(Collect(collector), "namedprocess_namegroup_context_switches_total", voluntary);
    EXPECT_GT(second, first);  // Read again through the same fd, not a stale copy.
    EXPECT_EQ(OpenProcFiles(child), (std::multiset<std::string>{"io", "stat", "status"}));
    ProcessesOptions keep_none = options;
    keep_none.kept_files = 0;
    ProcessesCollector without(paths, keep_none);
    EXPECT_EQ(Value(Collect(without), "namedprocess_namegroup_num_procs", {{"groupname", "kept"}}),
              1);
    EXPECT_EQ(OpenProcFiles(child), (std::multiset<std::string>{"io", "stat", "status"}));
    close(pipe_fds[1]);  // cat exits at end of input.
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_EQ(
        Value(Collect(collector), "namedprocess_namegroup_num_procs", {{"groupname", "kept"}}), 0);
    EXPECT_TRUE(OpenProcFiles(child).empty());
  }
  EXPECT_EQ(OpenFds(), before);
}

TEST(ProcessesCollectorTest, MissingProcfsFailsTheCollector) {
  Paths paths;
  paths.procfs = "/nonexistent/vitals/proc";
  ProcessesOptions options;
  options.groups = {Spec("app", {"app"})};
  ProcessesCollector collector(paths, options);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(paths.procfs), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
