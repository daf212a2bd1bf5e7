// Configuration reload: the Scraper's collector swap (no scrape sees a mix, a scrape
// in flight finishes with the old set), the reload status metrics, and the Reloader
// (valid file applied, invalid file refused with file:line:col, unchanged collectors
// kept).
#include "server/reload.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "collectors/metric_builder.h"
#include "server/fake_collector.h"
#include "server/scraper.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using collectors::AddFamily;
using collectors::AddSample;
using collectors::Families;
using collectors::kGauge;
using test::SampleValue;

using test::Named;

// A collector that publishes test_generation_<name> = generation.
NamedCollector Generation(const std::string& name, int generation) {
  return Named(name, [name, generation](Families& out) {
    AddSample(AddFamily(out, "test_generation_" + name, "Which set produced this.", kGauge),
              generation);
    return Status::Ok();
  });
}

std::vector<NamedCollector> GenerationSet(int generation) {
  std::vector<NamedCollector> set;
  set.push_back(Generation("a", generation));
  set.push_back(Generation("b", generation));
  return set;
}

// {collector name: value of test_generation_<name>} in one scrape.
std::map<std::string, double> Generations(const Families& families) {
  std::map<std::string, double> out;
  for (const auto& family : families) {
    if (!family.name.starts_with("test_generation_") || family.metric.size() != 1) continue;
    out[family.name.substr(16)] = family.metric[0].gauge.value;
  }
  return out;
}

TEST(ScraperReplaceTest, InFlightScrapeFinishesWithTheOldSet) {
  std::promise<void> entered;
  std::promise<void> release;
  auto release_future = release.get_future().share();
  std::vector<NamedCollector> old_set;
  old_set.push_back(Named("a", [&entered, release_future](Families& out) {
    entered.set_value();
    release_future.wait();
    AddSample(AddFamily(out, "test_generation_a", "Which set.", kGauge), 1);
    return Status::Ok();
  }));
  old_set.push_back(Generation("b", 1));
  Scraper scraper(std::move(old_set));

  auto scrape = std::async(std::launch::async, [&scraper] { return scraper.Collect(); });
  entered.get_future().wait();
  std::atomic<bool> replaced{false};
  std::thread swapper([&scraper, &replaced] {
    scraper.Replace(GenerationSet(2));
    replaced = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(replaced) << "Replace() must wait for the scrape in flight";
  // The landing page's names do not wait for the scrape.
  auto names = std::async(std::launch::async, [&scraper] { return scraper.Names(); });
  ASSERT_EQ(names.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  EXPECT_EQ(names.get(), (std::vector<std::string>{"a", "b"}));
  release.set_value();
  const Families in_flight = scrape.get();
  swapper.join();
  EXPECT_TRUE(replaced);
  EXPECT_EQ(Generations(in_flight), (std::map<std::string, double>{{"a", 1}, {"b", 1}}));
  EXPECT_EQ(Generations(scraper.Collect()), (std::map<std::string, double>{{"a", 2}, {"b", 2}}));
  EXPECT_EQ(scraper.Names(), (std::vector<std::string>{"a", "b"}));
}

TEST(ScraperReplaceTest, ConcurrentScrapesNeverSeeAMix) {
  Scraper scraper(GenerationSet(0));
  std::atomic<bool> stop{false};
  std::atomic<int> scrapes{0};
  std::atomic<int> mixed{0};
  std::vector<std::thread> scrapers;
  for (int t = 0; t < 3; ++t) {
    scrapers.emplace_back([&] {
      while (!stop) {
        const auto generations = Generations(scraper.Collect());
        const bool complete = generations.size() == 2;
        if (!complete || generations.at("a") != generations.at("b")) ++mixed;
        ++scrapes;
      }
    });
  }
  for (int generation = 1; generation <= 200; ++generation) {
    scraper.Replace(GenerationSet(generation));
  }
  // Let the scrapers run at least a few passes after the last swap.
  const int seen = scrapes;
  for (int i = 0; i < 1000 && scrapes < seen + 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stop = true;
  for (auto& thread : scrapers) thread.join();
  EXPECT_GT(scrapes, 0);
  EXPECT_EQ(mixed, 0);
  EXPECT_EQ(Generations(scraper.Collect()),
            (std::map<std::string, double>{{"a", 200}, {"b", 200}}));
}

TEST(ScraperReplaceTest, NullEntryKeepsTheRunningInstance) {
  int calls = 0;
  std::vector<NamedCollector> first;
  first.push_back(Named("counter", [&calls](Families& out) {
    AddSample(AddFamily(out, "test_calls", "Calls so far.", kGauge), ++calls);
    return Status::Ok();
  }));
  first.push_back(Generation("a", 1));
  Scraper scraper(std::move(first));
  const auto* counter = scraper.Find("counter");
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(SampleValue(scraper.Collect(), "test_calls"), 1);

  std::vector<NamedCollector> next;
  next.push_back({"counter", nullptr, {}});
  next.push_back({"missing", nullptr, {}});  // Nothing to keep: dropped.
  next.push_back(Generation("b", 2));
  scraper.Replace(std::move(next));
  EXPECT_EQ(scraper.Names(), (std::vector<std::string>{"counter", "b"}));
  EXPECT_EQ(scraper.Find("counter"), counter);
  EXPECT_EQ(SampleValue(scraper.Collect(), "test_calls"), 2);  // State carried on.
}

TEST(ScraperReloadStatusTest, PublishedFromTheStart) {
  const double before =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  Scraper scraper({});
  Families families = scraper.Collect();
  EXPECT_EQ(SampleValue(families, "vitals_config_last_reload_successful"), 1);
  const auto started = SampleValue(families, "vitals_config_last_reload_success_timestamp_seconds");
  ASSERT_TRUE(started.has_value());
  EXPECT_GE(*started, before - 1);
  EXPECT_LE(*started, before + 60);

  scraper.RecordReload(false);
  families = scraper.Collect();
  EXPECT_EQ(SampleValue(families, "vitals_config_last_reload_successful"), 0);
  // A failure leaves the time of the last success.
  EXPECT_EQ(SampleValue(families, "vitals_config_last_reload_success_timestamp_seconds"), started);

  scraper.RecordReload(true,
                       std::chrono::system_clock::time_point(std::chrono::seconds(2000000000)));
  families = scraper.Collect();
  EXPECT_EQ(SampleValue(families, "vitals_config_last_reload_successful"), 1);
  EXPECT_EQ(SampleValue(families, "vitals_config_last_reload_success_timestamp_seconds"), 2e9);
}

// ---------------------------------------------------------------- Reloader

constexpr const char* kOneGroup =
    "collectors:\n"
    "  cpu: {enabled: false}\n"
    "processes:\n"
    "  groups:\n"
    "    - name: sshd\n"
    "      comm: [sshd]\n";

class ReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = (dir_.path() / "vitals.yml").string();
    Write(kOneGroup);
    flags_.config_file = file_;
    flags_.paths = test::FixturePaths();
    flags_.disable_defaults = true;
    flags_.collector_switches = {{"loadavg", true}};
  }

  void Write(std::string_view yaml) { test::WriteFile(file_, yaml); }

  // The scraper and reloader as main.cc builds them from the current file.
  void Start() {
    auto config = LoadConfigFile(file_);
    ASSERT_TRUE(config.ok()) << config.error();
    scraper_ = std::make_unique<Scraper>(MakeCollectors(EnabledCollectors(flags_, *config),
                                                        flags_.paths, config->collector_options));
    reloader_ = std::make_unique<Reloader>(flags_, *config, *scraper_);
  }

  double ReloadSuccessful() {
    return SampleValue(scraper_->Collect(), "vitals_config_last_reload_successful").value_or(-1);
  }

  test::TempDir dir_;
  std::string file_;
  Flags flags_;
  std::unique_ptr<Scraper> scraper_;
  std::unique_ptr<Reloader> reloader_;
};

TEST_F(ReloaderTest, ValidChangeIsApplied) {
  Start();
  EXPECT_EQ(scraper_->Names(), (std::vector<std::string>{"loadavg", "process_groups"}));
  Write(
      "collectors:\n"
      "  meminfo: {enabled: true}\n"
      "  processes: {enabled: false}\n");
  ASSERT_TRUE(reloader_->Reload().ok());
  EXPECT_EQ(scraper_->Names(), (std::vector<std::string>{"loadavg", "meminfo"}));
  EXPECT_EQ(ReloadSuccessful(), 1);
}

TEST_F(ReloaderTest, InvalidFileKeepsTheRunningConfiguration) {
  Start();
  const auto* processes = scraper_->Find("process_groups");
  std::vector<collectors::ProbesOptions> sunk;
  reloader_->SetProbesSink([&sunk](const collectors::ProbesOptions& p) { sunk.push_back(p); });
  ASSERT_EQ(sunk.size(), 1u);  // The current set, at once.

  Write("collectors:\n  meminfo: {enabled: true}\n  cpux: {}\n");
  const Status status = reloader_->Reload();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind(file_ + ":3:3: ", 0), 0u) << status.message();
  EXPECT_EQ(scraper_->Names(), (std::vector<std::string>{"loadavg", "process_groups"}));
  EXPECT_EQ(scraper_->Find("process_groups"), processes);
  EXPECT_EQ(ReloadSuccessful(), 0);
  EXPECT_EQ(sunk.size(), 1u);

  Write(kOneGroup);
  ASSERT_TRUE(reloader_->Reload().ok());
  EXPECT_EQ(ReloadSuccessful(), 1);
  EXPECT_EQ(sunk.size(), 2u);
}

TEST_F(ReloaderTest, MissingFileIsAFailure) {
  Start();
  std::filesystem::remove(file_);
  const Status status = reloader_->Reload();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(file_), std::string::npos) << status.message();
  EXPECT_EQ(ReloadSuccessful(), 0);
  EXPECT_EQ(scraper_->Names(), (std::vector<std::string>{"loadavg", "process_groups"}));
}

TEST_F(ReloaderTest, UnchangedProcessesSectionKeepsItsCollector) {
  Start();
  const auto* processes = scraper_->Find("process_groups");
  const auto* loadavg = scraper_->Find("loadavg");
  ASSERT_NE(processes, nullptr);
  // Same processes: section, another unrelated change.
  Write(std::string(kOneGroup) + "ports:\n  - {port: 22, name: ssh}\n");
  ASSERT_TRUE(reloader_->Reload().ok());
  EXPECT_EQ(scraper_->Find("process_groups"), processes);
  EXPECT_EQ(scraper_->Find("loadavg"), loadavg);  // No options: always kept.

  // A changed group rebuilds it (its counters restart).
  Write(
      "processes:\n"
      "  groups:\n"
      "    - name: sshd\n"
      "      comm: [sshd, sshd-session]\n");
  ASSERT_TRUE(reloader_->Reload().ok());
  EXPECT_NE(scraper_->Find("process_groups"), nullptr);
  EXPECT_NE(scraper_->Find("process_groups"), processes);
}

TEST(CanKeepCollectorTest, ComparesTheProcessesSection) {
  const auto parse = [](const std::string& yaml) {
    auto config = ParseConfig(yaml, "t.yml");
    EXPECT_TRUE(config.ok()) << config.error();
    return config.ok() ? config->collector_options : collectors::CollectorOptions::Defaults();
  };
  const std::string base =
      "processes:\n  groups:\n    - name: \"{{.Comm}}\"\n      comm: [a]\n"
      "      cmdline: ['x (?P<n>\\d+)']\n";
  const auto a = parse(base);
  EXPECT_TRUE(CanKeepCollector("process_groups", a, parse(base)));
  EXPECT_TRUE(CanKeepCollector("cpu", a, parse("")));
  EXPECT_TRUE(CanKeepCollector("filesystem", a, parse(base)));
  EXPECT_FALSE(CanKeepCollector("filesystem", a,
                                parse(base + "collectors:\n  filesystem:\n    stat_workers: 2\n")));
  EXPECT_FALSE(CanKeepCollector("process_groups", a, parse(base + "  recheck: true\n")));
  EXPECT_FALSE(CanKeepCollector("process_groups", a, parse(base + "  children: false\n")));
  EXPECT_FALSE(CanKeepCollector("process_groups", a, parse(base + "  max_groups: 5\n")));
  EXPECT_FALSE(
      CanKeepCollector("process_groups", a,
                       parse("processes:\n  groups:\n    - name: \"{{.Comm}}\"\n      comm: [a]\n"
                             "      cmdline: ['x (?P<n>\\d)']\n")));
  EXPECT_FALSE(CanKeepCollector(
      "process_groups", a,
      parse("processes:\n  groups:\n    - name: \"{{.ExeBase}}\"\n      comm: [a]\n"
            "      cmdline: ['x (?P<n>\\d+)']\n")));
  EXPECT_FALSE(CanKeepCollector("process_groups", a, parse(base + "      per_pid: true\n")));
}

// gpu charges GPU memory to process groups: a new processes: section rebuilds it too.
TEST(CanKeepCollectorTest, GpuFollowsTheProcessesSection) {
  const auto parse = [](const std::string& yaml) {
    return ParseConfig(yaml, "t.yml")->collector_options;
  };
  const std::string groups = "processes:\n  groups:\n    - comm: [a]\n";
  EXPECT_TRUE(CanKeepCollector("gpu", parse(groups), parse(groups)));
  EXPECT_FALSE(
      CanKeepCollector("gpu", parse(groups), parse("processes:\n  groups:\n    - comm: [b]\n")));
  EXPECT_FALSE(CanKeepCollector("gpu", parse(groups),
                                parse(groups + "collectors:\n  gpu:\n    timeout: 1s\n")));
}

TEST(CanKeepCollectorTest, ComparesThePortsAndProbesSections) {
  const auto parse = [](const std::string& yaml) {
    return ParseConfig(yaml, "t.yml")->collector_options;
  };
  const std::string ports = "ports:\n  - port: 22\n";
  EXPECT_TRUE(CanKeepCollector("ports", parse(ports), parse(ports)));
  EXPECT_FALSE(CanKeepCollector("ports", parse(ports), parse("ports:\n  - port: 23\n")));
  EXPECT_FALSE(
      CanKeepCollector("ports", parse(ports), parse("ports:\n  - {port: 22, name: ssh}\n")));
  const std::string probes =
      "probes:\n  modules:\n    web: {prober: http, timeout: 2s}\n"
      "  targets:\n    - {target: 'http://127.0.0.1:1/', module: web}\n";
  EXPECT_TRUE(CanKeepCollector("probes", parse(probes), parse(probes)));
  EXPECT_FALSE(
      CanKeepCollector("probes", parse(probes),
                       parse("probes:\n  modules:\n    web: {prober: http, timeout: 3s}\n"
                             "  targets:\n    - {target: 'http://127.0.0.1:1/', module: web}\n")));
  EXPECT_FALSE(
      CanKeepCollector("probes", parse(probes),
                       parse(probes + "    - {target: 'http://127.0.0.1:2/', module: web}\n")));
  EXPECT_FALSE(CanKeepCollector("probes", parse(probes),
                                parse(probes + "  allowed_targets: ['127\\.0\\.0\\.1:.*']\n")));
}

}  // namespace
}  // namespace vitals::server
