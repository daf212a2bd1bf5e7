#include "server/scraper.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/textfile_collector.h"
#include "server/exposition.h"
#include "server/fake_collector.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using collectors::AddFamily;
using collectors::AddSample;
using collectors::Families;
using collectors::kCounter;
using collectors::kGauge;
using test::SampleValue;

using test::Named;

std::vector<NamedCollector> FakeCollectors() {
  std::vector<NamedCollector> collectors;
  collectors.push_back(Named("good", [](Families& out) {
    AddSample(AddFamily(out, "test_good_total", "A good counter.", kCounter), 42, {{"kind", "a"}});
    AddFamily(out, "test_empty", "A family without samples.", kGauge);
    return Status::Ok();
  }));
  collectors.push_back(Named("failing", [](Families& out) {
    AddSample(AddFamily(out, "test_partial", "Appended before the failure.", kGauge), 7);
    return Status::Fail("disk on fire");
  }));
  collectors.push_back(
      Named("throwing", [](Families&) -> Status { throw std::runtime_error("unexpected"); }));
  return collectors;
}

TEST(ScraperTest, FailuresAreReportedPerCollector) {
  Scraper scraper(FakeCollectors());
  EXPECT_EQ(scraper.Names(), (std::vector<std::string>{"good", "failing", "throwing"}));
  const Families families = scraper.Collect();

  EXPECT_EQ(SampleValue(families, "test_good_total", {{"kind", "a"}}), 42);
  // What a failing collector appended is still published.
  EXPECT_EQ(SampleValue(families, "test_partial"), 7);
  // Families without samples are dropped.
  EXPECT_EQ(test::FindFamily(families, "test_empty"), nullptr);

  EXPECT_EQ(SampleValue(families, "vitals_scrape_collector_success", {{"collector", "good"}}), 1);
  EXPECT_EQ(SampleValue(families, "vitals_scrape_collector_success", {{"collector", "failing"}}),
            0);
  EXPECT_EQ(SampleValue(families, "vitals_scrape_collector_success", {{"collector", "throwing"}}),
            0);
  const auto* duration = test::FindFamily(families, "vitals_scrape_collector_duration_seconds");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(test::LabelValues(*duration, "collector"),
            (std::vector<std::string>{"good", "failing", "throwing"}));
  for (const auto& metric : duration->metric) {
    EXPECT_GE(metric.gauge.value, 0);
    EXPECT_LT(metric.gauge.value, 10);
  }
  const auto* build = test::FindFamily(families, "vitals_build_info");
  ASSERT_NE(build, nullptr);
  ASSERT_EQ(build->metric.size(), 1u);
  const auto labels = test::Labels(build->metric[0]);
  EXPECT_EQ(labels.at("version"), VITALS_EXPECTED_VERSION);
  EXPECT_FALSE(labels.at("revision").empty());
  EXPECT_EQ(build->metric[0].gauge.value, 1);
}

TEST(ScraperTest, RecoveredCollectorReportsSuccessAgain) {
  int calls = 0;
  std::vector<NamedCollector> collectors;
  collectors.push_back(Named("flaky", [&calls](Families& out) {
    AddSample(AddFamily(out, "test_flaky", "Flaky.", kGauge), calls);
    return ++calls == 2 ? Status::Fail("second call fails") : Status::Ok();
  }));
  Scraper scraper(std::move(collectors));
  const std::vector<double> expected = {1, 0, 1};
  for (const double success : expected) {
    const Families families = scraper.Collect();
    EXPECT_EQ(SampleValue(families, "vitals_scrape_collector_success", {{"collector", "flaky"}}),
              success);
  }
}

// textfile runs after the others (CollectorSpec::runs_last) whatever the list order, so
// it sees their families and refuses a file that would publish one again.
TEST(ScraperTest, TextfileRunsLastAndRefusesTheOthersFamilies) {
  test::TempDir tmp;
  test::WriteFile(tmp.path() / "clash.prom", "node_load1 5\n");
  test::WriteFile(tmp.path() / "fine.prom", "from_file 1\n");
  std::vector<NamedCollector> collectors;
  collectors.push_back({"textfile",
                        std::make_unique<collectors::TextfileCollector>(
                            collectors::TextfileOptions{{tmp.path().string()}}),
                        {}});
  collectors.push_back(Named("loadavg", [](Families& out) {
    AddSample(AddFamily(out, "node_load1", "1m load average.", kGauge), 0.5);
    return Status::Ok();
  }));
  Scraper scraper(std::move(collectors));
  const Families families = scraper.Collect();
  EXPECT_EQ(SampleValue(families, "node_load1"), 0.5);
  EXPECT_EQ(SampleValue(families, "from_file"), 1);
  EXPECT_EQ(SampleValue(families, "node_textfile_scrape_error"), 1);
  EXPECT_EQ(SampleValue(families, "vitals_scrape_collector_success", {{"collector", "textfile"}}),
            1);
  const auto* duration = test::FindFamily(families, "vitals_scrape_collector_duration_seconds");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(test::LabelValues(*duration, "collector"),
            (std::vector<std::string>{"loadavg", "textfile"}));
  std::string text;
  AppendExposition(families, text);
  EXPECT_EQ(text.find("node_load1 5"), std::string::npos) << text;
}

TEST(ScraperTest, NoCollectorsStillHasBuildInfo) {
  Scraper scraper({});
  const Families families = scraper.Collect();
  // Empty success/duration families are dropped.
  ASSERT_EQ(families.size(), 4u);
  EXPECT_EQ(families[0].name, "vitals_build_info");
  EXPECT_EQ(families[1].name, "vitals_regex_match_errors_total");
  EXPECT_EQ(families[2].name, "vitals_config_last_reload_successful");
  EXPECT_EQ(families[3].name, "vitals_config_last_reload_success_timestamp_seconds");
}

// Checks the text format 0.0.4 line by line; returns the sample lines.
std::vector<std::string> CheckExposition(const std::string& text) {
  const std::regex help("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
  const std::regex type("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|untyped)");
  const std::regex sample(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? "
      "(-?[0-9.e+-]+|NaN|[+-]Inf)");
  std::vector<std::string> samples;
  std::string family;
  bool typed = false;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::set<std::string> seen_families;
  for (const auto& line : test::Lines(text)) {
    std::smatch match;
    if (std::regex_match(line, match, help)) {
      family = match[1];
      typed = false;
      EXPECT_TRUE(seen_families.insert(family).second) << "family twice: " << family;
    } else if (std::regex_match(line, match, type)) {
      EXPECT_EQ(match[1], family) << line;
      typed = true;
    } else if (std::regex_match(line, match, sample)) {
      EXPECT_TRUE(typed) << "sample before its TYPE: " << line;
      EXPECT_EQ(match[1], family) << line;
      samples.push_back(line);
    } else {
      ADD_FAILURE() << "not a valid exposition line: '" << line << "'";
    }
  }
  return samples;
}

TEST(ScraperTest, ScrapeTextIsValidExposition) {
  Scraper scraper(FakeCollectors());
  const std::string text = scraper.ScrapeText();
  const auto samples = CheckExposition(text);
  EXPECT_NE(std::find(samples.begin(), samples.end(), "test_good_total{kind=\"a\"} 42"),
            samples.end())
      << text;
  EXPECT_NE(std::find(samples.begin(), samples.end(),
                      "vitals_scrape_collector_success{collector=\"failing\"} 0"),
            samples.end())
      << text;
  EXPECT_NE(std::find(samples.begin(), samples.end(),
                      "vitals_scrape_collector_success{collector=\"good\"} 1"),
            samples.end())
      << text;
  EXPECT_NE(text.find("# TYPE test_good_total counter\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("test_empty"), std::string::npos) << text;
  EXPECT_NE(text.find("vitals_build_info{revision=\""), std::string::npos) << text;
}

// Identity of every series (name and labels), without values.
std::set<std::string> SeriesOf(const std::string& text) {
  std::set<std::string> series;
  for (const auto& line : test::Lines(text)) {
    if (line.empty() || line[0] == '#') continue;
    series.insert(line.substr(0, line.rfind(' ')));
  }
  return series;
}

std::set<std::string> NamesOf(const std::string& text) {
  std::set<std::string> names;
  for (const auto& line : test::Lines(text)) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return names;
}

std::vector<std::string> AllCollectorNames() {
  std::vector<std::string> names;
  for (const auto* spec : collectors::AllCollectors()) names.emplace_back(spec->name);
  return names;
}

TEST(ScraperTest, FixtureScrapeIsValidExposition) {
  Scraper scraper(MakeCollectors(AllCollectorNames(), test::FixturePaths(),
                                 collectors::CollectorOptions::Defaults()));
  const std::string text = scraper.ScrapeText();
  const auto samples = CheckExposition(text);
  EXPECT_GT(samples.size(), 100u);
  for (const auto& name : AllCollectorNames()) {
    if (name == "systemd") continue;  // Asks the host's system bus, not the fixture.
    const std::string line = "vitals_scrape_collector_success{collector=\"" + name + "\"} 1";
    EXPECT_NE(std::find(samples.begin(), samples.end(), line), samples.end()) << line;
  }
  // Label values with a space and with a backslash-free escape survive serialization.
  EXPECT_NE(text.find("mountpoint=\"/srv/data dir\""), std::string::npos);
  EXPECT_NE(text.find("node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 568.66\n"),
            std::string::npos);
}

TEST(MakeCollectorsTest, SkipsUnknownNames) {
  const auto made = MakeCollectors({"loadavg", "bogus", "uname"}, test::FixturePaths(),
                                   collectors::CollectorOptions::Defaults());
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(made[0].name, "loadavg");
  EXPECT_EQ(made[1].name, "uname");
  EXPECT_NE(made[0].collector, nullptr);
}

// A collector that counts its calls and, while `hold` is set, waits for the test to
// release it: a scrape the test can keep "in flight".
class Gate {
 public:
  Status Collect(Families& out) {
    std::unique_lock lock(mutex_);
    const int call = ++calls_;
    entered_.notify_all();
    released_.wait(lock, [this] { return !hold_; });
    AddSample(AddFamily(out, "test_collection", "Which collection this is.", kGauge), call);
    return Status::Ok();
  }
  void WaitEntered(int calls) {
    std::unique_lock lock(mutex_);
    entered_.wait(lock, [&] { return calls_ >= calls; });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    hold_ = false;
    released_.notify_all();
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable entered_, released_;
  int calls_ = 0;
  bool hold_ = true;
};

std::vector<NamedCollector> GateCollectors(Gate& gate) {
  std::vector<NamedCollector> collectors;
  collectors.push_back(Named("gate", [&gate](Families& out) { return gate.Collect(out); }));
  return collectors;
}

// Ten scrapers arriving while one collection runs share it: one collection, ten
// identical answers (before, each waited for its own, one after the other).
TEST(ScraperTest, ConcurrentRequestsShareTheScrapeInFlight) {
  Gate gate;
  Scraper scraper(GateCollectors(gate));
  std::vector<std::shared_ptr<const ScrapeOutput>> outputs(10);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { outputs[0] = scraper.Scrape(); });
  gate.WaitEntered(1);
  std::atomic<int> calling = 0;
  for (size_t i = 1; i < outputs.size(); ++i) {
    threads.emplace_back([&, i] {
      ++calling;
      outputs[i] = scraper.Scrape();
    });
  }
  while (calling < 9) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // Into Scrape() and waiting.
  gate.Release();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(gate.calls(), 1);
  for (const auto& output : outputs) {
    ASSERT_NE(output, nullptr);
    EXPECT_EQ(output.get(), outputs[0].get());  // The very same rendering.
    EXPECT_NE(output->text().find("test_collection 1\n"), std::string::npos) << output->text();
  }
  // Compressed once for all of them.
  int compressions = 0;
  auto compress = [&compressions](std::string_view text) {
    ++compressions;
    return std::string(text.rbegin(), text.rend());
  };
  for (const auto& output : outputs) {
    EXPECT_EQ(output->Compressed(compress).size(), output->text().size());
  }
  EXPECT_EQ(compressions, 1);

  // A scrape that has finished is never reused: the next request collects afresh.
  EXPECT_NE(scraper.ScrapeText().find("test_collection 2\n"), std::string::npos);
  EXPECT_NE(scraper.ScrapeText().find("test_collection 3\n"), std::string::npos);
}

// After a reload, no request gets the old collector set's scrape, even one that
// finished a moment ago.
TEST(ScraperTest, ReplaceEndsSharingWithTheOldSet) {
  Gate gate;
  Scraper scraper(GateCollectors(gate));
  std::thread first(
      [&] { EXPECT_NE(scraper.ScrapeText().find("test_collection"), std::string::npos); });
  gate.WaitEntered(1);
  std::thread replace([&] {
    std::vector<NamedCollector> next;
    next.push_back(Named("next", [](Families& out) {
      AddSample(AddFamily(out, "test_next", "From the new set.", kGauge), 1);
      return Status::Ok();
    }));
    scraper.Replace(std::move(next));
  });
  gate.Release();
  replace.join();
  const std::string after = scraper.ScrapeText();
  EXPECT_NE(after.find("test_next 1\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("test_collection"), std::string::npos) << after;
  first.join();
}

TEST(ScraperTest, ConcurrentScrapesAreComplete) {
  Scraper scraper(MakeCollectors(AllCollectorNames(), test::FixturePaths(),
                                 collectors::CollectorOptions::Defaults()));
  const std::string reference = scraper.ScrapeText();
  const std::set<std::string> names = NamesOf(reference);
  const std::set<std::string> series = SeriesOf(reference);
  ASSERT_GT(names.size(), 50u);

  constexpr int kThreads = 8;
  constexpr int kScrapes = 50;
  std::vector<int> complete(kThreads, 0);
  std::vector<std::string> first_bad(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kScrapes; ++i) {
        const std::string text = scraper.ScrapeText();
        if (NamesOf(text) == names && SeriesOf(text) == series) {
          ++complete[t];
        } else if (first_bad[t].empty()) {
          first_bad[t] = text;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(complete[t], kScrapes) << "thread " << t << " got, e.g.:\n" << first_bad[t];
  }
}

}  // namespace
}  // namespace vitals::server
