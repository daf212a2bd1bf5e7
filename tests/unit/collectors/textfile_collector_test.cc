#include "collectors/textfile_collector.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "collectors/metric_builder.h"
#include "procfs/prom_text.h"
#include "server/exposition.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::LabelMap;
using test::SampleValue;
using test::Value;

int64_t MtimeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mtim.tv_sec;
}

Families Scrape(const std::vector<std::string>& directories, Families out = {}) {
  TextfileCollector collector(TextfileOptions{directories});
  const Status status = collector.Collect({}, out);
  EXPECT_TRUE(status.ok()) << status.message();  // Always: errors show in scrape_error.
  return out;
}

double ScrapeError(const Families& families) {
  return Value(families, "node_textfile_scrape_error");
}

std::vector<std::string> MtimeFiles(const Families& families) {
  const auto* family = test::FindFamily(families, "node_textfile_mtime_seconds");
  return family == nullptr ? std::vector<std::string>{} : test::LabelValues(*family, "file");
}

TEST(TextfileCollectorTest, FixtureDirectory) {
  const std::string dir = test::FixturePath("textfile");
  const auto families = Scrape({dir});
  EXPECT_EQ(ScrapeError(families), 0);
  // README.txt is not *.prom: skipped silently.
  EXPECT_EQ(MtimeFiles(families),
            (std::vector<std::string>{dir + "/apt.prom", dir + "/backup.prom"}));
  EXPECT_EQ(Value(families, "node_textfile_mtime_seconds", {{"file", dir + "/apt.prom"}}),
            static_cast<double>(MtimeOf(dir + "/apt.prom")));
  const auto* mtime = test::FindFamily(families, "node_textfile_mtime_seconds");
  ASSERT_NE(mtime, nullptr);
  EXPECT_EQ(mtime->help, "Unixtime mtime of textfiles successfully read.");
  EXPECT_EQ(mtime->type, prometheus::MetricType::Gauge);
  const auto* error = test::FindFamily(families, "node_textfile_scrape_error");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->help, "1 if there was an error opening or reading a file, 0 otherwise");

  // apt.prom: "apt_upgrades_pending{origin=...,arch="amd64"} 3"; labels sorted by name.
  EXPECT_EQ(Value(families, "apt_upgrades_pending",
                  {{"arch", "amd64"}, {"origin", "Debian:bookworm-security/stable-security"}}),
            3);
  const auto* pending = test::FindFamily(families, "apt_upgrades_pending");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->help, "Apt packages pending updates by origin.");
  EXPECT_EQ(pending->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(pending->metric.at(0).label.at(0).name, "arch");

  // backup.prom: no HELP -> node_exporter's "Metric read from <path>"; every label
  // name of the family on every sample, empty where missing.
  const auto* last = test::FindFamily(families, "backup_last_success_timestamp_seconds");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->help, "Metric read from " + dir + "/backup.prom");
  EXPECT_EQ(
      Value(families, "backup_last_success_timestamp_seconds", {{"path", ""}, {"volume", "data"}}),
      1.7964e+09);
  EXPECT_EQ(
      Value(families, "backup_last_success_timestamp_seconds",
            {{"path", "/home/\xc3\xbcn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \"x\"\\y"}, {"volume", ""}}),
      1.7963e+09);
  const auto* duration = test::FindFamily(families, "backup_duration_seconds");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(duration->type, prometheus::MetricType::Summary);
  // HELP is kept escaped, as the exposition writes it verbatim.
  EXPECT_EQ(duration->help,
            "How long backups took, with \"quotes\" and a \\\\ backslash\\nand a second line.");
  ASSERT_EQ(duration->metric.size(), 1u);
  EXPECT_EQ(duration->metric[0].summary.sample_count, 20u);
  EXPECT_EQ(duration->metric[0].summary.sample_sum, 420);
  ASSERT_EQ(duration->metric[0].summary.quantile.size(), 2u);
  EXPECT_EQ(duration->metric[0].summary.quantile[1].quantile, 0.9);
  EXPECT_EQ(duration->metric[0].summary.quantile[1].value, 30);
  const auto* size = test::FindFamily(families, "backup_size_bytes");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->type, prometheus::MetricType::Histogram);
  ASSERT_EQ(size->metric.at(0).histogram.bucket.size(), 3u);
  EXPECT_EQ(size->metric[0].histogram.bucket[1].cumulative_count, 5u);
  EXPECT_EQ(size->metric[0].histogram.sample_count, 6u);
}

// The exposition of what the collector publishes is valid text format: the strict
// parser reads it back, with the same label values.
TEST(TextfileCollectorTest, ExpositionOfFixtureReadsBack) {
  const auto families = Scrape({test::FixturePath("textfile")});
  std::string text;
  server::AppendExposition(families, text);
  std::vector<procfs::PromFamily> parsed;
  const Status status = procfs::ParsePromText(text, parsed);
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << text;
  bool found = false;
  for (const auto& family : parsed) {
    if (family.name != "backup_last_success_timestamp_seconds") continue;
    for (const auto& metric : family.metrics) {
      for (const auto& label : metric.labels) {
        found = found || label.value == "/home/\xc3\xbcn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \"x\"\\y";
      }
    }
    EXPECT_EQ(family.help, "Metric read from " + test::FixturePath("textfile/backup.prom"));
  }
  EXPECT_TRUE(found) << text;
  EXPECT_NE(text.find("# HELP backup_duration_seconds How long backups took, with \"quotes\" "
                      "and a \\\\ backslash\\nand a second line.\n"),
            std::string::npos)
      << text;
}

TEST(TextfileCollectorTest, MissingDirectoryIsAnErrorNotAFailure) {
  test::TempDir tmp;
  const auto families = Scrape({tmp.Sub("missing")});
  EXPECT_EQ(ScrapeError(families), 1);
  EXPECT_EQ(test::FindFamily(families, "node_textfile_mtime_seconds"), nullptr);
}

TEST(TextfileCollectorTest, EmptyDirectoryAndEmptyFile) {
  test::TempDir tmp;
  auto families = Scrape({tmp.path().string()});
  EXPECT_EQ(ScrapeError(families), 0);
  EXPECT_TRUE(MtimeFiles(families).empty());
  test::WriteFile(tmp.path() / "empty.prom", "");
  families = Scrape({tmp.path().string()});
  EXPECT_EQ(ScrapeError(families), 0);
  EXPECT_EQ(MtimeFiles(families), (std::vector<std::string>{tmp.Sub("empty.prom")}));
}

struct Dir {
  test::TempDir tmp;
  void Write(const std::string& name, std::string_view text) const {
    test::WriteFile(tmp.path() / name, text);
  }
  std::string path() const { return tmp.path().string(); }
  std::string Sub(const std::string& name) const { return tmp.Sub(name); }
};

// A bad file is skipped whole, even the valid lines before its error; the others stay.
TEST(TextfileCollectorTest, BadFileSkippedWhole) {
  Dir dir;
  dir.Write("a_good.prom", "good 1\n");
  dir.Write("b_bad.prom", "bad_first 1\nbad_second{ 2\n");
  dir.Write("c_ts.prom", "with_ts 1 1700000000000\n");
  dir.Write("d_torn.prom", "torn 1\ntorn_half 2");
  const auto families = Scrape({dir.path()});
  EXPECT_EQ(ScrapeError(families), 1);
  EXPECT_EQ(Value(families, "good"), 1);
  for (const char* name : {"bad_first", "bad_second", "with_ts", "torn", "torn_half"}) {
    EXPECT_EQ(test::FindFamily(families, name), nullptr) << name;
  }
  EXPECT_EQ(MtimeFiles(families), (std::vector<std::string>{dir.Sub("a_good.prom")}));
}

TEST(TextfileCollectorTest, SameFamilyInTwoFilesIsMerged) {
  Dir dir;
  dir.Write("a.prom", "shared{a=\"1\"} 1\n# HELP helped same\nhelped{f=\"a\"} 1\n");
  dir.Write("b.prom", "shared{b=\"2\"} 2\n# HELP helped same\nhelped{f=\"b\"} 2\n");
  const auto families = Scrape({dir.path()});
  EXPECT_EQ(ScrapeError(families), 0);
  const auto* shared = test::FindFamily(families, "shared");
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->help, "Metric read from " + dir.Sub("a.prom") + ", " + dir.Sub("b.prom"));
  EXPECT_EQ(Value(families, "shared", {{"a", "1"}}), 1);
  EXPECT_EQ(Value(families, "shared", {{"b", "2"}}), 2);
  EXPECT_EQ(test::FindFamily(families, "helped")->help, "same");
  EXPECT_EQ(test::FindFamily(families, "helped")->metric.size(), 2u);
}

struct ClashCase {
  const char* name;
  const char* first;   // a.prom
  const char* second;  // b.prom: refused whole.
};

class TextfileClashTest : public ::testing::TestWithParam<ClashCase> {};

TEST_P(TextfileClashTest, LaterFileRefused) {
  Dir dir;
  dir.Write("a.prom", GetParam().first);
  dir.Write("b.prom", std::string(GetParam().second) + "b_only 1\n");
  const auto families = Scrape({dir.path()});
  EXPECT_EQ(ScrapeError(families), 1);
  EXPECT_EQ(test::FindFamily(families, "b_only"), nullptr);
  EXPECT_EQ(MtimeFiles(families), (std::vector<std::string>{dir.Sub("a.prom")}));
  std::string text;
  server::AppendExposition(families, text);
  std::vector<procfs::PromFamily> parsed;
  EXPECT_TRUE(procfs::ParsePromText(text, parsed).ok()) << text;
}

const ClashCase kClashCases[] = {
    {"OtherType", "# TYPE m gauge\nm 1\n", "# TYPE m counter\nm{x=\"y\"} 2\n"},
    {"OtherHelp", "# HELP m one\nm 1\n", "# HELP m two\nm{x=\"y\"} 2\n"},
    {"HelpAndNone", "# HELP m one\nm 1\n", "m{x=\"y\"} 2\n"},
    {"SameSeries", "m{x=\"y\"} 1\n", "m{x=\"y\"} 2\n"},
    {"SameSeriesAfterFilling", "m{x=\"\"} 1\n", "m 2\n"},
    {"SummarySumAsUntyped", "# TYPE s summary\ns_sum 1\ns_count 1\n", "s_sum 2\n"},
    {"HistogramBucketAsGauge", "# TYPE h histogram\nh_count 1\n",
     "# TYPE h_bucket gauge\nh_bucket 1\n"},
    {"UntypedThenSummaryOverIt", "x_count 1\n", "# TYPE x summary\nx_sum 1\n"},
};

INSTANTIATE_TEST_SUITE_P(Files, TextfileClashTest, ::testing::ValuesIn(kClashCases),
                         test::ParamName());

struct BadFileCase {
  const char* name;
  const char* text;
};

class TextfileBadFileTest : public ::testing::TestWithParam<BadFileCase> {};

// Each is refused whole while a good file beside it is published.
TEST_P(TextfileBadFileTest, Refused) {
  Dir dir;
  dir.Write("good.prom", "good 1\n");
  dir.Write("x.prom", std::string(GetParam().text) + "x_only 1\n");
  Families exporter_own;
  AddSingle(exporter_own, "node_load1", "1m load average.", kGauge, 0.5);
  AddSingle(exporter_own, "node_thing_count", "A count.", kCounter, 1);
  const auto families = Scrape({dir.path()}, std::move(exporter_own));
  EXPECT_EQ(ScrapeError(families), 1);
  EXPECT_EQ(test::FindFamily(families, "x_only"), nullptr);
  EXPECT_EQ(Value(families, "good"), 1);
  EXPECT_EQ(Value(families, "node_load1"), 0.5);
  EXPECT_EQ(MtimeFiles(families), (std::vector<std::string>{dir.Sub("good.prom")}));
}

const BadFileCase kBadFileCases[] = {
    {"ExporterFamily", "node_load1 3\n"},
    {"ExporterFamilyOtherType", "# TYPE node_load1 counter\nnode_load1{a=\"b\"} 3\n"},
    {"ScrapeError", "node_textfile_scrape_error 0\n"},
    {"Mtime", "node_textfile_mtime_seconds{file=\"x\"} 0\n"},
    {"VitalsName", "vitals_scrape_collector_success{collector=\"x\"} 1\n"},
    {"SummaryOverVitalsName", "# TYPE vitals summary\nvitals_count 1\n"},
    {"SummaryOverExporterFamily", "# TYPE node_thing summary\nnode_thing_sum 1\n"},
    {"DuplicateSeries", "d{a=\"1\"} 1\nd{a=\"1\"} 2\n"},
    {"DuplicateSeriesLabelOrder", "d{a=\"1\",b=\"2\"} 1\nd{b=\"2\",a=\"1\"} 2\n"},
    {"DuplicateAfterFilling", "d{a=\"1\"} 1\nd 2\nd{a=\"\"} 3\n"},
    {"ReservedLabelName", "d{__meta=\"1\"} 1\n"},
    {"Timestamp", "d 1 1700000000000\n"},
    {"NegativeTimestamp", "d 1 -5\n"},
    {"SummaryAndItsSumInOneFile",
     "# TYPE s summary\ns_count 1\n# HELP s_sum x\n"
     "# TYPE s_sum gauge\n"},
    {"UntypedSumThenSummary", "s_sum 1\n# TYPE s summary\ns{quantile=\"0.5\"} 1\n"},
    {"InvalidUtf8Label", "d{a=\"\xff\"} 1\n"},
    {"QuoteInLabel", "d{a=\"\"\"} 1\n"},
};

INSTANTIATE_TEST_SUITE_P(Files, TextfileBadFileTest, ::testing::ValuesIn(kBadFileCases),
                         test::ParamName());

TEST(TextfileCollectorTest, NotRegularFilesRefusedWithoutBlocking) {
  Dir dir;
  ASSERT_EQ(mkfifo(dir.Sub("fifo.prom").c_str(), 0600), 0);
  std::filesystem::create_directory(dir.Sub("dir.prom"));
  dir.Write("target", "linked 1\n");
  std::filesystem::create_symlink(dir.Sub("target"), dir.Sub("link.prom"));
  std::filesystem::create_symlink(dir.Sub("nowhere"), dir.Sub("dangling.prom"));
  const auto families = Scrape({dir.path()});
  EXPECT_EQ(ScrapeError(families), 1);
  // A symlink to a regular file is followed, as Go's os.Open does.
  EXPECT_EQ(Value(families, "linked"), 1);
  EXPECT_EQ(MtimeFiles(families), (std::vector<std::string>{dir.Sub("link.prom")}));
}

TEST(TextfileCollectorTest, FileOverTheSizeCapRefused) {
  Dir dir;
  std::string big = "big 1\n";
  big += "# " + std::string(kMaxTextfileBytes, 'x') + "\n";
  dir.Write("big.prom", big);
  dir.Write("small.prom", "small 1\n");
  const auto families = Scrape({dir.path()});
  EXPECT_EQ(ScrapeError(families), 1);
  EXPECT_EQ(test::FindFamily(families, "big"), nullptr);
  EXPECT_EQ(Value(families, "small"), 1);
}

TEST(TextfileCollectorTest, SeveralDirectoriesGlobsAndEmptyEntries) {
  test::TempDir tmp;
  test::WriteFile(tmp.path() / "d1/a.prom", "one 1\n");
  test::WriteFile(tmp.path() / "d2/a.prom", "two 2\n");
  test::WriteFile(tmp.path() / "other/a.prom", "three 3\n");
  const auto families = Scrape({tmp.Sub("d[12]"), "", tmp.Sub("other")});
  EXPECT_EQ(ScrapeError(families), 0);
  EXPECT_EQ(MtimeFiles(families),
            (std::vector<std::string>{tmp.Sub("d1/a.prom"), tmp.Sub("d2/a.prom"),
                                      tmp.Sub("other/a.prom")}));
  EXPECT_EQ(Value(families, "three"), 3);
  // A pattern matching nothing stands for itself: a missing directory.
  EXPECT_EQ(ScrapeError(Scrape({tmp.Sub("d[89]")})), 1);
}

TEST(TextfileCollectorTest, PastDeadlineStopsReading) {
  Dir dir;
  dir.Write("a.prom", "a 1\n");
  TextfileCollector collector(TextfileOptions{{dir.path()}});
  Families families;
  const ScrapeContext expired{std::chrono::steady_clock::now() - std::chrono::seconds(1)};
  ASSERT_TRUE(collector.Collect(expired, families).ok());
  EXPECT_EQ(ScrapeError(families), 1);
  EXPECT_EQ(test::FindFamily(families, "a"), nullptr);
}

// The error clears when the file is mended; state does not leak between scrapes.
TEST(TextfileCollectorTest, RecoversWhenTheFileIsMended) {
  Dir dir;
  dir.Write("a.prom", "a{ 1\n");
  TextfileCollector collector(TextfileOptions{{dir.path()}});
  Families first;
  ASSERT_TRUE(collector.Collect({}, first).ok());
  EXPECT_EQ(ScrapeError(first), 1);
  dir.Write("a.prom", "a 2\n");
  Families second;
  ASSERT_TRUE(collector.Collect({}, second).ok());
  EXPECT_EQ(ScrapeError(second), 0);
  EXPECT_EQ(Value(second, "a"), 2);
  Families third;
  ASSERT_TRUE(collector.Collect({}, third).ok());
  EXPECT_EQ(test::FindFamily(third, "a")->metric.size(), 1u);
}

}  // namespace
}  // namespace vitals::collectors
