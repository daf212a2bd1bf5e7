// The processes collector on the live /proc while a fork storm runs: short-lived
// children appear and vanish between every two reads of a scrape (listing, stat,
// status, io, fd count, limits). Before, a child reaped between openat() and
// fdopendir() of /proc/PID/fd crashed the exporter (readdir(NULL)) in about one 20-30 s
// run in eight. Run under ASan + UBSan by scripts/test.sh; 30 s by design.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>

#include "collectors/process_matcher.h"
#include "collectors/processes_collector.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

constexpr auto kStormDuration = std::chrono::seconds(30);
constexpr const char* kChildName = "vitals-churn";

// In the forked storm process: keeps up to 64 children alive, each living 0-4 ms with
// a few open fds, and dies by itself after 2 minutes whatever happens to the test.
[[noreturn]] void RunStorm() {
  alarm(120);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  int alive = 0;
  unsigned seed = static_cast<unsigned>(getpid());
  while (true) {
    while (waitpid(-1, nullptr, WNOHANG) > 0) --alive;
    if (alive >= 64) {
      if (wait(nullptr) > 0) --alive;
      continue;
    }
    const pid_t child = fork();
    if (child == 0) {
      prctl(PR_SET_NAME, kChildName);
      for (int i = 0; i < 4; ++i) (void)dup(STDERR_FILENO);
      usleep(rand_r(&seed) % 4000);
      _exit(0);
    }
    if (child > 0) ++alive;
  }
}

ProcessesOptions ChurnOptions() {
  ProcessGroupSpec spec;
  spec.name = *NameTemplate::Parse("{{.Comm}}");
  spec.comm = {kChildName};
  spec.per_pid = true;  // Every read path: stat, status, io, fds, limits, affinity.
  spec.max_pids = 1000;
  ProcessesOptions options;
  options.groups = {spec};
  return options;
}

// Every *_total sample of the churn group, by family and labels.
std::map<std::string, double> Counters(const Families& families) {
  std::map<std::string, double> counters;
  for (const auto& family : families) {
    if (!family.name.ends_with("_total") || !family.name.starts_with("namedprocess_")) continue;
    for (const auto& metric : family.metric) {
      std::string key = family.name;
      for (const auto& [name, value] : test::Labels(metric)) key += " " + name + "=" + value;
      counters[key] = test::ValueOf(family, metric);
    }
  }
  return counters;
}

TEST(ProcessesChurnTest, ForkStormDuringScrapes) {
  const pid_t storm = fork();
  ASSERT_GE(storm, 0);
  if (storm == 0) RunStorm();

  ProcessesCollector collector(Paths{}, ChurnOptions());
  std::map<std::string, double> last;
  int scrapes = 0, saw_children = 0, failures = 0;
  const auto end = std::chrono::steady_clock::now() + kStormDuration;
  while (std::chrono::steady_clock::now() < end) {
    Families families;
    const Status status = collector.Collect({}, families);
    ++scrapes;
    if (!status.ok()) {
      ++failures;
      ADD_FAILURE() << "scrape " << scrapes << ": " << status.message();
      if (failures > 3) break;
    }
    if (test::SampleValue(families, "namedprocess_namegroup_num_procs", {{"groupname", kChildName}})
            .value_or(0) > 0) {
      ++saw_children;
    }
    // Group counters never go back, however fast members come and go.
    const auto now = Counters(families);
    for (const auto& [key, value] : last) {
      ASSERT_TRUE(now.contains(key)) << key << " disappeared at scrape " << scrapes;
      ASSERT_GE(now.at(key), value) << key << " went back at scrape " << scrapes;
    }
    last = now;
  }
  kill(storm, SIGKILL);
  waitpid(storm, nullptr, 0);
  EXPECT_GT(scrapes, 10);
  // The storm really ran under the collector's eyes (64 children alive at most times).
  EXPECT_GE(saw_children, std::min(scrapes, 10)) << saw_children << " of " << scrapes;
}

}  // namespace
}  // namespace vitals::collectors
