#include "collectors/node_processes_collector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

// The state letter of a stat file: the first field after the last ')'.
char StateOf(const std::filesystem::path& stat) {
  const std::string text = test::ReadFixture(stat.string());
  return test::Tokens(text.substr(text.rfind(')') + 1))[0][0];
}

TEST(NodeProcessesCollectorTest, FixtureCountsAsReadIndependently) {
  // Independent reading of tests/fixtures/proc: every numeric directory with a stat
  // file is a process (proc/1 has none: skipped); its threads are task/*, the main
  // thread counted with the process's state.
  const std::filesystem::path root = std::filesystem::path(VITALS_FIXTURES) / "proc";
  std::map<std::string, double> states, thread_states;
  double pids = 0, threads = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!std::filesystem::exists(entry.path() / "stat")) continue;
    ++pids;
    const char state = StateOf("proc/" + pid + "/stat");
    ++states[std::string(1, state)];
    const std::string text = test::ReadFixture("proc/" + pid + "/stat");
    threads += std::stod(test::Tokens(text.substr(text.rfind(')') + 1))[17]);  // Field 20.
    for (const auto& task : std::filesystem::directory_iterator(entry.path() / "task")) {
      const std::string tid = task.path().filename().string();
      const char thread_state =
          tid == pid ? state : StateOf("proc/" + pid + "/task/" + tid + "/stat");
      ++thread_states[std::string(1, thread_state)];
    }
  }
  ASSERT_EQ(pids, 5) << "tests/fixtures/README.md lists five captured processes";

  NodeProcessesCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_processes_pids"), pids);
  EXPECT_EQ(Value(families, "node_processes_threads"), threads);
  for (const auto& [state, count] : states) {
    EXPECT_EQ(Value(families, "node_processes_state", {{"state", state}}), count) << state;
  }
  for (const auto& [state, count] : thread_states) {
    EXPECT_EQ(Value(families, "node_processes_threads_state", {{"thread_state", state}}), count)
        << state;
  }
  EXPECT_EQ(test::FindFamily(families, "node_processes_state")->metric.size(), states.size());
  EXPECT_EQ(test::FindFamily(families, "node_processes_threads_state")->metric.size(),
            thread_states.size());
  // What node_exporter 1.5 published on this tree: S 2, I, T, Z 1; threads 8, of which
  // R 1 (the spinning thread) and S 4.
  EXPECT_EQ(Value(families, "node_processes_state", {{"state", "S"}}), 2);
  EXPECT_EQ(Value(families, "node_processes_threads"), 8);
  EXPECT_EQ(Value(families, "node_processes_threads_state", {{"thread_state", "R"}}), 1);
  EXPECT_EQ(Value(families, "node_processes_threads_state", {{"thread_state", "S"}}), 4);
  // proc/sys/kernel/pid_max 32768, threads-max 192735.
  EXPECT_EQ(Value(families, "node_processes_max_processes"), 32768);
  EXPECT_EQ(Value(families, "node_processes_max_threads"), 192735);
  EXPECT_EQ(families.size(), 6u);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
  }
  EXPECT_EQ(test::FindFamily(families, "node_processes_pids")->help, "Number of PIDs");
}

TEST(NodeProcessesCollectorTest, NamedProcessesSoNodeExporterFlagsWork) {
  // --collector.processes is node_exporter's; the groups collector is process_groups.
  const auto* spec = FindCollector("processes");
  ASSERT_NE(spec, nullptr);
  EXPECT_FALSE(spec->enabled_by_default);
  Families families;
  ASSERT_TRUE(
      spec->make(test::FixturePaths(), CollectorOptions::Defaults())->Collect({}, families).ok());
  EXPECT_NE(test::FindFamily(families, "node_processes_pids"), nullptr);
  EXPECT_NE(FindCollector("process_groups"), nullptr);
}

class NodeProcessesTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::WriteFile(dir_.path() / "sys/kernel/pid_max", "4194304\n");
    test::WriteFile(dir_.path() / "sys/kernel/threads-max", "62000\n");
    paths_.procfs = dir_.path().string();
  }
  void Process(const std::string& pid, char state, int threads) {
    test::WriteFile(dir_.path() / pid / "stat", Stat(pid, state, threads));
  }
  void Thread(const std::string& pid, const std::string& tid, char state) {
    test::WriteFile(dir_.path() / pid / "task" / tid / "stat", Stat(tid, state, 1));
  }
  // A stat line in the kernel's layout, comm with a space and a ')'.
  static std::string Stat(const std::string& pid, char state, int threads) {
    return pid + " (a) b) " + state + " 1 1 1 0 -1 4194560 10 0 0 0 5 6 0 0 20 0 " +
           std::to_string(threads) +
           " 0 100 1000 50 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 "
           "0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
  }
  Status Collect(Families& families, const ScrapeContext& context = {}) {
    NodeProcessesCollector collector(paths_);
    return collector.Collect(context, families);
  }

  test::TempDir dir_;
  Paths paths_;
};

TEST_F(NodeProcessesTreeTest, VanishedProcessesAndThreadsAreSkipped) {
  Process("10", 'S', 3);
  Thread("10", "10", 'R');  // The main thread counts with the process's state, S.
  Thread("10", "11", 'D');
  std::filesystem::create_directories(dir_.path() / "10/task/12");  // Exited: no stat.
  std::filesystem::create_directories(dir_.path() / "20");          // Exited: no stat.
  Process("30", 'R', 1);  // No task directory (a fixture, or gone): no thread states.
  Families families;
  const Status status = Collect(families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_processes_pids"), 2);
  EXPECT_EQ(Value(families, "node_processes_threads"), 4);
  EXPECT_EQ(Value(families, "node_processes_state", {{"state", "S"}}), 1);
  EXPECT_EQ(Value(families, "node_processes_state", {{"state", "R"}}), 1);
  EXPECT_EQ(Value(families, "node_processes_threads_state", {{"thread_state", "S"}}), 1);
  EXPECT_EQ(Value(families, "node_processes_threads_state", {{"thread_state", "D"}}), 1);
  EXPECT_EQ(test::FindFamily(families, "node_processes_threads_state")->metric.size(), 2u);
  EXPECT_EQ(Value(families, "node_processes_max_processes"), 4194304);
  EXPECT_EQ(Value(families, "node_processes_max_threads"), 62000);
}

TEST_F(NodeProcessesTreeTest, MalformedStatFailsNamingThePid) {
  Process("10", 'S', 1);
  test::WriteFile(dir_.path() / "42/stat", "42 no-parentheses S 1\n");
  Families families;
  const Status status = Collect(families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("pid 42"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST_F(NodeProcessesTreeTest, MalformedThreadStatFails) {
  Process("10", 'S', 2);
  test::WriteFile(dir_.path() / "10/task/11/stat", "11 (a) S\n");
  Families families;
  const Status status = Collect(families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("thread 11"), std::string::npos) << status.message();
}

TEST_F(NodeProcessesTreeTest, MissingLimitFailsNamingTheFile) {
  Process("10", 'S', 1);
  std::filesystem::remove(dir_.path() / "sys/kernel/threads-max");
  Families families;
  const Status status = Collect(families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("threads-max"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST_F(NodeProcessesTreeTest, MalformedLimitFails) {
  Process("10", 'S', 1);
  test::WriteFile(dir_.path() / "sys/kernel/pid_max", "lots\n");
  Families families;
  const Status status = Collect(families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("pid_max"), std::string::npos) << status.message();
}

TEST_F(NodeProcessesTreeTest, StopsAtTheScrapeDeadline) {
  Process("10", 'S', 1);
  Families families;
  const ScrapeContext expired{std::chrono::steady_clock::now() - std::chrono::seconds(1)};
  const Status status = Collect(families, expired);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("deadline"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(NodeProcessesLiveTest, CountsThisProcessAndItsThreads) {
  Paths paths;  // The live /proc.
  NodeProcessesCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_GE(Value(families, "node_processes_pids"), 1);
  EXPECT_GE(Value(families, "node_processes_threads"), 1);
  // This test is running: at least one R among the processes and the threads.
  EXPECT_GE(Value(families, "node_processes_threads_state", {{"thread_state", "R"}}), 1);
  EXPECT_GT(Value(families, "node_processes_max_processes"), 0);
}

}  // namespace
}  // namespace vitals::collectors
