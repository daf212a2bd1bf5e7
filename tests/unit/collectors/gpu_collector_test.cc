// The gpu collector against tests/fake_nvml (a shared library built with the tests and
// loaded through the same dlopen() path as the real libnvidia-ml.so.1). No GPU needed.
#include "collectors/gpu_collector.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "collectors/regex.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using std::chrono::milliseconds;
using test::LabelMap;
using test::SampleValue;
using test::Value;

// The script the fake reads; FAKE_NVML_SCRIPT is set once, before the fake is loaded.
const std::string& ScriptPath() {
  static const std::string path = [] {
    std::string p = ::testing::TempDir() + "/vitals_fake_nvml_" + std::to_string(getpid());
    setenv("FAKE_NVML_SCRIPT", p.c_str(), 1);
    return p;
  }();
  return path;
}

void WriteScript(const std::string& text) {
  const std::string temporary = ScriptPath() + ".new";
  test::WriteFile(temporary, text);
  std::filesystem::rename(temporary, ScriptPath());  // The fake never sees half a file.
}

// Two GPUs with every value set (shared with the e2e and dashboard tests).
std::string TwoGpus() { return test::ReadFixture("nvml/two_gpus.script"); }

GpuOptions FakeOptions(milliseconds timeout = milliseconds(2000)) {
  ScriptPath();
  GpuOptions options;
  options.library = VITALS_FAKE_NVML;
  options.timeout = timeout;
  return options;
}

LabelMap Gpu0(LabelMap extra = {}) {
  LabelMap labels = {{"gpu", "0"},
                     {"uuid", "GPU-11111111-2222-3333-4444-555555555555"},
                     {"name", "NVIDIA H100 80GB HBM3"}};
  labels.insert(extra.begin(), extra.end());
  return labels;
}

LabelMap Gpu1(LabelMap extra = {}) {
  LabelMap labels = {{"gpu", "1"},
                     {"uuid", "GPU-66666666-7777-8888-9999-000000000000"},
                     {"name", "NVIDIA A100-SXM4-40GB"}};
  labels.insert(extra.begin(), extra.end());
  return labels;
}

// The process's thread ids. The unit tests share one process (gtest shards), so a
// thread an earlier test left may exit meanwhile: tests compare the ids, not a count.
std::set<std::string> ThreadIds() {
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    ids.insert(entry.path().filename().string());
  }
  return ids;
}

// Threads started since `before` and still running.
size_t NewThreads(const std::set<std::string>& before) {
  size_t count = 0;
  for (const auto& id : ThreadIds()) count += before.contains(id) ? 0 : 1;
  return count;
}

// Captures what the collector logs, at every level.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(GpuCollectorTest, MissingLibraryPublishesNothingAndLogsOnceAtInfo) {
  LogCapture log;
  GpuOptions options = FakeOptions();
  options.library = "/nonexistent/libnvidia-ml.so.1";
  GpuCollector collector(test::FixturePaths(), options, {});
  const auto threads = ThreadIds();
  for (int i = 0; i < 3; ++i) {
    Families families;
    const Status status = collector.Collect({}, families);
    EXPECT_TRUE(status.ok()) << status.message();
    EXPECT_TRUE(families.empty());
  }
  EXPECT_EQ(NewThreads(threads), 0u) << "no NVML worker without NVML";
  EXPECT_EQ(Count(log.text(), "NVML is not available"), 1u) << log.text();
  EXPECT_EQ(Count(log.text(), "info collector gpu: NVML is not available"), 1u) << log.text();
  EXPECT_NE(log.text().find("/nonexistent/libnvidia-ml.so.1"), std::string::npos) << log.text();
}

TEST(GpuCollectorTest, ReportsEveryValueWithGpuLabels) {
  WriteScript(TwoGpus());
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();

  EXPECT_EQ(Value(families, "vitals_gpu_info", Gpu0({{"driver_version", "550.54.15"}})), 1);
  EXPECT_EQ(Value(families, "vitals_gpu_info", Gpu1({{"driver_version", "550.54.15"}})), 1);
  EXPECT_DOUBLE_EQ(Value(families, "vitals_gpu_utilization_ratio", Gpu0()), 0.45);
  EXPECT_DOUBLE_EQ(Value(families, "vitals_gpu_utilization_ratio", Gpu1()), 1.0);
  EXPECT_DOUBLE_EQ(Value(families, "vitals_gpu_memory_utilization_ratio", Gpu0()), 0.30);
  EXPECT_EQ(Value(families, "vitals_gpu_memory_total_bytes", Gpu0()), 85899345920.0);
  EXPECT_EQ(Value(families, "vitals_gpu_memory_free_bytes", Gpu0()), 64424509440.0);
  EXPECT_EQ(Value(families, "vitals_gpu_memory_used_bytes", Gpu0()), 21474836480.0);
  EXPECT_EQ(Value(families, "vitals_gpu_memory_used_bytes", Gpu1()), 0);
  EXPECT_EQ(Value(families, "vitals_gpu_temperature_celsius", Gpu0()), 65);
  EXPECT_EQ(Value(families, "vitals_gpu_temperature_celsius", Gpu1()), 31);
  EXPECT_DOUBLE_EQ(Value(families, "vitals_gpu_power_watts", Gpu0()), 250.5);
  EXPECT_DOUBLE_EQ(Value(families, "vitals_gpu_power_limit_watts", Gpu0()), 700);
  EXPECT_EQ(Value(families, "vitals_gpu_clock_hertz", Gpu0({{"clock", "graphics"}})), 1980e6);
  EXPECT_EQ(Value(families, "vitals_gpu_clock_hertz", Gpu0({{"clock", "sm"}})), 1755e6);
  EXPECT_EQ(Value(families, "vitals_gpu_clock_hertz", Gpu0({{"clock", "memory"}})), 2619e6);
  EXPECT_DOUBLE_EQ(Value(families, "vitals_gpu_fan_speed_ratio", Gpu0()), 0.40);
  EXPECT_EQ(Value(families, "vitals_gpu_ecc_errors_total", Gpu0({{"type", "corrected"}})), 3);
  EXPECT_EQ(Value(families, "vitals_gpu_ecc_errors_total", Gpu0({{"type", "uncorrected"}})), 1);
  const auto* ecc = test::FindFamily(families, "vitals_gpu_ecc_errors_total");
  ASSERT_NE(ecc, nullptr);
  EXPECT_EQ(ecc->type, prometheus::MetricType::Counter);
  // GPU 1 has no fan and no ECC: NOT_SUPPORTED leaves them out, and is no error.
  EXPECT_FALSE(SampleValue(families, "vitals_gpu_fan_speed_ratio", Gpu1()));
  EXPECT_FALSE(SampleValue(families, "vitals_gpu_ecc_errors_total", Gpu1({{"type", "corrected"}})));
  EXPECT_EQ(ecc->metric.size(), 2u);
  // No processes: config, no per-process family.
  EXPECT_EQ(test::FindFamily(families, "vitals_process_gpu_memory_bytes"), nullptr);
}

TEST(GpuCollectorTest, ValuesFollowTheLibraryBetweenScrapes) {
  WriteScript(TwoGpus());
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  Families first;
  ASSERT_TRUE(collector.Collect({}, first).ok());
  WriteScript(TwoGpus() + "gpu 0 temperature 91\n");
  Families second;
  ASSERT_TRUE(collector.Collect({}, second).ok());
  EXPECT_EQ(Value(second, "vitals_gpu_temperature_celsius", Gpu0()), 91);
}

TEST(GpuCollectorTest, LostGpuFailsTheCollectorButTheOthersArePublished) {
  WriteScript(TwoGpus() + "gpu 1 lost\n");
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("gpu 1"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("GPU is lost"), std::string::npos) << status.message();
  EXPECT_EQ(Value(families, "vitals_gpu_temperature_celsius", Gpu0()), 65);
  const auto* info = test::FindFamily(families, "vitals_gpu_info");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(test::LabelValues(*info, "gpu"), std::vector<std::string>{"0"});
}

TEST(GpuCollectorTest, LostMidwayDropsTheWholeGpu) {
  WriteScript(TwoGpus() + "gpu 0 fail nvmlDeviceGetClockInfo 15\n");
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_FALSE(SampleValue(families, "vitals_gpu_utilization_ratio", Gpu0()));
  EXPECT_TRUE(SampleValue(families, "vitals_gpu_utilization_ratio", Gpu1()));
}

TEST(GpuCollectorTest, OtherCallErrorsFailTheCollectorAndKeepTheRest) {
  WriteScript(TwoGpus() + "gpu 0 fail nvmlDeviceGetTemperature 999\n");
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("gpu 0 temperature"), std::string::npos) << status.message();
  EXPECT_FALSE(SampleValue(families, "vitals_gpu_temperature_celsius", Gpu0()));
  EXPECT_EQ(Value(families, "vitals_gpu_power_watts", Gpu0()), 250.5);
}

TEST(GpuCollectorTest, DriverNotLoadedIsUnavailableNotAFailure) {
  LogCapture log;
  WriteScript("init_error 9\n");
  const auto threads = ThreadIds();
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  for (int i = 0; i < 3; ++i) {
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  EXPECT_EQ(NewThreads(threads), 0u) << "the worker is gone once NVML is known unavailable";
  EXPECT_EQ(Count(log.text(), "info collector gpu: NVML is not available"), 1u) << log.text();
  EXPECT_NE(log.text().find("Driver Not Loaded"), std::string::npos) << log.text();
}

TEST(GpuCollectorTest, OtherInitErrorsFailAndAreRetried) {
  WriteScript("init_error 999\n");
  GpuCollector collector(test::FixturePaths(), FakeOptions(), {});
  Families failed;
  const Status status = collector.Collect({}, failed);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("nvmlInit_v2"), std::string::npos) << status.message();
  EXPECT_TRUE(failed.empty());
  WriteScript(TwoGpus());
  Families recovered;
  EXPECT_TRUE(collector.Collect({}, recovered).ok());
  EXPECT_EQ(Value(recovered, "vitals_gpu_temperature_celsius", Gpu1()), 31);
}

// A hung call: the scrape returns at the timeout, later scrapes skip at once without
// starting threads, and once the call returns the collector works again.
TEST(GpuCollectorTest, HungCallIsBoundedAndLaterScrapesDoNotPileUp) {
  WriteScript(TwoGpus());
  // A timeout long enough to tell a scrape that waited from one that did not, under load.
  GpuCollector collector(test::FixturePaths(), FakeOptions(milliseconds(1000)), {});
  Families warm;
  ASSERT_TRUE(collector.Collect({}, warm).ok());
  const auto threads = ThreadIds();

  WriteScript(TwoGpus() + "block nvmlDeviceGetTemperature\n");
  auto start = std::chrono::steady_clock::now();
  Families hung;
  const Status status = collector.Collect({}, hung);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("did not answer within 1000ms"), std::string::npos)
      << status.message();
  EXPECT_GE(took, milliseconds(990));
  EXPECT_LT(took, milliseconds(3000));
  EXPECT_TRUE(hung.empty());

  for (int i = 0; i < 5; ++i) {
    start = std::chrono::steady_clock::now();
    Families skipped;
    const Status again = collector.Collect({}, skipped);
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(500));
    EXPECT_FALSE(again.ok());
    EXPECT_NE(again.message().find("has not returned yet"), std::string::npos) << again.message();
    EXPECT_TRUE(skipped.empty());
  }
  EXPECT_LE(ThreadIds().size(), threads.size()) << "threads piled up";

  WriteScript(TwoGpus());  // The call returns.
  bool recovered = false;
  for (int i = 0; i < 100 && !recovered; ++i) {
    Families families;
    recovered = collector.Collect({}, families).ok() &&
                SampleValue(families, "vitals_gpu_temperature_celsius", Gpu0()) == 65.0;
    if (!recovered) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(recovered);
  EXPECT_LE(ThreadIds().size(), threads.size()) << "threads piled up";
}

TEST(GpuCollectorTest, ScrapeDeadlineShortensTheWait) {
  WriteScript(TwoGpus() + "block nvmlDeviceGetCount_v2\n");
  GpuCollector collector(test::FixturePaths(), FakeOptions(milliseconds(5000)), {});
  const auto start = std::chrono::steady_clock::now();
  Families families;
  EXPECT_FALSE(collector.Collect(ScrapeContext{start + milliseconds(200)}, families).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
  WriteScript(TwoGpus());  // Let the worker go before the collector is destroyed.
}

// /proc/<pid>/{stat,cmdline} for a fake process tree.
void WriteProcess(const test::TempDir& proc, int pid, int ppid, const std::string& comm,
                  const std::string& cmdline) {
  const std::string captured = test::ReadFixture("pid/sleep/stat");
  auto fields = test::Tokens(captured.substr(captured.rfind(')') + 1));
  fields[1] = std::to_string(ppid);  // Field 4.
  std::string stat = std::to_string(pid) + " (" + comm + ")";
  for (const auto& field : fields) stat += " " + field;
  const auto dir = proc.path() / std::to_string(pid);
  test::WriteFile(dir / "stat", stat + "\n");
  std::string argv = cmdline;
  for (char& c : argv) {
    if (c == ' ') c = '\0';
  }
  test::WriteFile(dir / "cmdline", argv + std::string(1, '\0'));
}

ProcessesOptions TrainerGroups() {
  ProcessesOptions options;
  ProcessGroupSpec trainer;
  trainer.name = *NameTemplate::Parse("trainer");
  trainer.cmdline.push_back(*Regex::Compile(R"(train\.py)"));
  options.groups.push_back(std::move(trainer));
  ProcessGroupSpec inference;
  inference.name = *NameTemplate::Parse("{{.Comm}}");
  inference.comm = {"tritonserver"};
  options.groups.push_back(std::move(inference));
  return options;
}

TEST(GpuCollectorTest, ProcessGpuMemoryIsSummedPerProcessGroup) {
  test::TempDir proc;
  WriteProcess(proc, 100, 1, "python3", "python3 train.py --epochs 3");
  WriteProcess(proc, 101, 100, "pt_worker", "python3 -c worker");  // Child of the trainer.
  WriteProcess(proc, 200, 1, "tritonserver", "/opt/tritonserver --model-repository /m");
  WriteProcess(proc, 300, 1, "Xorg", "/usr/lib/xorg/Xorg :0");  // In no group.
  WriteScript(std::string(TwoGpus()) +
              "gpu 0 process 100 1073741824\n"
              "gpu 0 process 101 536870912\n"
              "gpu 0 graphics_process 101 536870912\n"  // Same process, listed twice.
              "gpu 1 process 100 2147483648\n"
              "gpu 1 process 200 4294967296\n"
              "gpu 1 graphics_process 300 268435456\n"
              "gpu 1 process 999 1048576\n");  // Gone before /proc was read.
  collectors::Paths paths = test::FixturePaths();
  paths.procfs = proc.path().string();
  GpuCollector collector(paths, FakeOptions(), TrainerGroups());
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const auto* family = test::FindFamily(families, "vitals_process_gpu_memory_bytes");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->metric.size(), 2u);
  EXPECT_EQ(Value(families, "vitals_process_gpu_memory_bytes", {{"groupname", "trainer"}}),
            1073741824.0 + 536870912.0 + 2147483648.0);
  EXPECT_EQ(Value(families, "vitals_process_gpu_memory_bytes", {{"groupname", "tritonserver"}}),
            4294967296.0);

  // The trainer stops using the GPU: its group stays, at 0, rather than vanishing.
  WriteScript(TwoGpus() + "gpu 1 process 200 4294967296\n");
  Families later;
  ASSERT_TRUE(collector.Collect({}, later).ok());
  EXPECT_EQ(Value(later, "vitals_process_gpu_memory_bytes", {{"groupname", "trainer"}}), 0);
}

// More processes than the collector's first buffer holds: NVML answers
// INSUFFICIENT_SIZE with the count, and the collector asks again with room for all.
TEST(GpuCollectorTest, LongProcessListsAreReadWhole) {
  test::TempDir proc;
  std::string script = TwoGpus();
  constexpr int kProcesses = 90;
  for (int i = 0; i < kProcesses; ++i) {
    WriteProcess(proc, 1000 + i, 1, "tritonserver", "/opt/tritonserver");
    script += "gpu 0 process " + std::to_string(1000 + i) + " 1048576\n";
  }
  WriteScript(script);
  collectors::Paths paths = test::FixturePaths();
  paths.procfs = proc.path().string();
  GpuCollector collector(paths, FakeOptions(), TrainerGroups());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "vitals_process_gpu_memory_bytes", {{"groupname", "tritonserver"}}),
            kProcesses * 1048576.0);
}

// Drivers before the _v2/_v3 getters: the original ones and their 16-byte entries.
TEST(GpuCollectorTest, OriginalProcessGettersAreUsedWhenAlone) {
  test::TempDir proc;
  std::string script = TwoGpus();
  constexpr int kProcesses = 70;
  for (int i = 0; i < kProcesses; ++i) {
    WriteProcess(proc, 2000 + i, 1, "tritonserver", "/opt/tritonserver");
    script += "gpu 1 process " + std::to_string(2000 + i) + " " + std::to_string(i + 1) + "\n";
  }
  WriteProcess(proc, 100, 1, "python3", "python3 train.py");
  script += "gpu 0 graphics_process 100 4096\n";
  WriteScript(script);
  collectors::Paths paths = test::FixturePaths();
  paths.procfs = proc.path().string();
  GpuOptions options = FakeOptions();
  options.library = VITALS_FAKE_NVML_V1;
  GpuCollector collector(paths, options, TrainerGroups());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "vitals_process_gpu_memory_bytes", {{"groupname", "tritonserver"}}),
            kProcesses * (kProcesses + 1) / 2.0);
  EXPECT_EQ(Value(families, "vitals_process_gpu_memory_bytes", {{"groupname", "trainer"}}), 4096);
}

TEST(GpuCollectorTest, ChildrenOffKeepsUnmatchedChildrenOut) {
  test::TempDir proc;
  WriteProcess(proc, 100, 1, "python3", "python3 train.py");
  WriteProcess(proc, 101, 100, "pt_worker", "python3 -c worker");
  WriteScript(TwoGpus() + "gpu 0 process 101 536870912\n");
  collectors::Paths paths = test::FixturePaths();
  paths.procfs = proc.path().string();
  ProcessesOptions groups = TrainerGroups();
  groups.children = false;
  GpuCollector collector(paths, FakeOptions(), groups);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(test::FindFamily(families, "vitals_process_gpu_memory_bytes"), nullptr);
}

}  // namespace
}  // namespace vitals::collectors
