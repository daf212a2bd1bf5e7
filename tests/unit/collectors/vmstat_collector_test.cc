#include "collectors/vmstat_collector.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "collectors/registry.h"
#include "server/config.h"
#include "server/config_error_case.h"
#include "server/flags.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

std::set<std::string> Names(const Families& families) {
  std::set<std::string> names;
  for (const auto& family : families) {
    EXPECT_TRUE(names.insert(family.name).second) << "duplicate " << family.name;
  }
  return names;
}

// node_vmstat_<name> for every fixture line whose name satisfies `keep`, read from the
// fixture text independently of the parser.
template <typename Keep>
std::set<std::string> FixtureNames(Keep keep) {
  std::set<std::string> names;
  for (const auto& line : test::Lines(test::ReadFixture("proc/vmstat"))) {
    const auto tokens = test::Tokens(line);
    if (tokens.size() == 2 && keep(tokens[0])) names.insert("node_vmstat_" + tokens[0]);
  }
  return names;
}

Families CollectWith(const Paths& paths, const CollectorOptions& options) {
  const auto collector = FindCollector("vmstat")->make(paths, options);
  Families families;
  const Status status = collector->Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

Families CollectFixture(const CollectorOptions& options = CollectorOptions::Defaults()) {
  return CollectWith(test::FixturePaths(), options);
}

VmstatOptions WithFields(const char* pattern) {
  VmstatOptions options;
  options.fields = *Regex::Compile(pattern);
  return options;
}

TEST(VmstatCollectorTest, DefaultFieldsOnFixture) {
  const Families families = CollectFixture();
  // The fixture lines that node_exporter's default ^(oom_kill|pgpg|pswp|pg.*fault).*
  // selects: "pgpgin 2062133", "pgpgout 6586324", "pswpin 0", "pswpout 0",
  // "pgfault 59409143", "pgmajfault 2240", "oom_kill 0". Not thp_fault_alloc (the regex
  // is anchored at the start) nor pgalloc_normal.
  EXPECT_EQ(Names(families), (std::set<std::string>{"node_vmstat_oom_kill", "node_vmstat_pgfault",
                                                    "node_vmstat_pgmajfault", "node_vmstat_pgpgin",
                                                    "node_vmstat_pgpgout", "node_vmstat_pswpin",
                                                    "node_vmstat_pswpout"}));
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgpgin"), 2062133);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgpgout"), 6586324);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pswpin"), 0);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pswpout"), 0);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgfault"), 59409143);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgmajfault"), 2240);
  EXPECT_EQ(SampleValue(families, "node_vmstat_oom_kill"), 0);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Untyped) << family.name;
    ASSERT_EQ(family.metric.size(), 1u) << family.name;
    EXPECT_TRUE(family.metric[0].label.empty()) << family.name;
  }
  EXPECT_EQ(test::FindFamily(families, "node_vmstat_pgmajfault")->help,
            "/proc/vmstat information field pgmajfault.");
}

TEST(VmstatCollectorTest, EmptyPatternPublishesEveryLineWithItsValue) {
  // An empty regex matches every name, as in node_exporter (--collector.vmstat.fields=).
  CollectorOptions options = CollectorOptions::Defaults();
  options.Get<VmstatOptions>() = WithFields("");
  const Families families = CollectFixture(options);
  const auto lines = test::Lines(test::ReadFixture("proc/vmstat"));
  ASSERT_EQ(families.size(), lines.size());
  for (const auto& line : lines) {
    const auto tokens = test::Tokens(line);
    ASSERT_EQ(tokens.size(), 2u) << line;
    EXPECT_EQ(SampleValue(families, "node_vmstat_" + tokens[0]), std::stod(tokens[1])) << line;
  }
}

TEST(VmstatCollectorTest, PatternIsUnanchored) {
  CollectorOptions options = CollectorOptions::Defaults();
  options.Get<VmstatOptions>() = WithFields("fault");
  const auto names = Names(CollectFixture(options));
  const auto expected =
      FixtureNames([](const std::string& name) { return name.find("fault") != std::string::npos; });
  EXPECT_EQ(names, expected);
  // "thp_fault_alloc 16" and "workingset_refault_file 221917" are among them.
  EXPECT_TRUE(names.contains("node_vmstat_thp_fault_alloc"));
  EXPECT_TRUE(names.contains("node_vmstat_workingset_refault_file"));
}

TEST(VmstatCollectorTest, FieldsFromFlag) {
  std::vector<std::string> args = {"--collector.vmstat.fields=^(nr_free_pages|thp_fault_alloc)$"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  ASSERT_TRUE(flags.ok()) << flags.error();
  server::Config config;
  const Status applied = server::ApplyCollectorSettings(*flags, config);
  ASSERT_TRUE(applied.ok()) << applied.message();
  EXPECT_EQ(config.collector_options.Get<VmstatOptions>().fields.pattern(),
            "^(nr_free_pages|thp_fault_alloc)$");
  const Families families = CollectFixture(config.collector_options);
  // "nr_free_pages 1227042" and "thp_fault_alloc 16" in the fixture.
  EXPECT_EQ(Names(families),
            (std::set<std::string>{"node_vmstat_nr_free_pages", "node_vmstat_thp_fault_alloc"}));
  EXPECT_EQ(SampleValue(families, "node_vmstat_nr_free_pages"), 1227042);
  EXPECT_EQ(SampleValue(families, "node_vmstat_thp_fault_alloc"), 16);
}

TEST(VmstatCollectorTest, InvalidFlagRegexNamesTheFlag) {
  std::vector<std::string> args = {"--collector.vmstat.fields=^(pg"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  ASSERT_TRUE(flags.ok()) << flags.error();
  server::Config config;
  const Status applied = server::ApplyCollectorSettings(*flags, config);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.message().find("--collector.vmstat.fields"), std::string::npos)
      << applied.message();
  EXPECT_NE(applied.message().find("^(pg"), std::string::npos) << applied.message();
}

TEST(VmstatCollectorTest, FieldsFromYaml) {
  const auto config =
      server::ParseConfig("collectors:\n  vmstat:\n    fields: ^workingset_\n", "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<VmstatOptions>().fields.pattern(), "^workingset_");
  const auto names = Names(CollectFixture(config->collector_options));
  EXPECT_EQ(names,
            FixtureNames([](const std::string& name) { return name.starts_with("workingset_"); }));
  EXPECT_TRUE(names.contains("node_vmstat_workingset_refault_file"));  // 221917 in the fixture.
}

TEST(VmstatCollectorTest, FlagOverridesYaml) {
  auto config = server::ParseConfig("collectors:\n  vmstat:\n    fields: ^workingset_\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  std::vector<std::string> args = {"--collector.vmstat.fields=^oom_kill$"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  ASSERT_TRUE(flags.ok()) << flags.error();
  ASSERT_TRUE(server::ApplyCollectorSettings(*flags, *config).ok());
  EXPECT_EQ(Names(CollectFixture(config->collector_options)),
            (std::set<std::string>{"node_vmstat_oom_kill"}));
}

TEST(VmstatCollectorTest, DefaultsWithoutConfig) {
  const auto config = server::ParseConfig("collectors:\n  vmstat:\n    enabled: true\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<VmstatOptions>().fields.pattern(),
            "^(oom_kill|pgpg|pswp|pg.*fault).*");
  EXPECT_TRUE(FindCollector("vmstat")->enabled_by_default);
}

class VmstatConfigErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(VmstatConfigErrorTest, PointsAtTheOffendingToken) { test::ExpectErrorAtToken(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Errors, VmstatConfigErrorTest,
    ::testing::Values(
        test::ErrorCase{"InvalidRegex", "collectors:\n  vmstat:\n    fields: \"^(pg\"\n", "\"^(pg",
                        "collectors.vmstat.fields: invalid regular expression '^(pg'"},
        test::ErrorCase{"ListWhereRegexExpected",
                        "collectors:\n  vmstat:\n    fields:\n      - pgfault\n", "- pgfault",
                        "fields must be a string, got a list"},
        test::ErrorCase{"UnknownKey", "collectors:\n  vmstat:\n    field: ^pg\n",
                        "field:", "unknown key 'field'"}),
    test::ParamName());

TEST(VmstatCollectorTest, OptionsCompareByPattern) {
  EXPECT_EQ(WithFields("^pg"), WithFields("^pg"));
  EXPECT_NE(WithFields("^pg"), WithFields("^pgp"));
  const CollectorOptions before = CollectorOptions::Defaults();
  CollectorOptions after = CollectorOptions::Defaults();
  EXPECT_TRUE(SameOptions(*FindCollector("vmstat"), before, after));
  after.Get<VmstatOptions>() = WithFields("^nr_");
  EXPECT_FALSE(SameOptions(*FindCollector("vmstat"), before, after));
}

// One scrape of a procfs holding only `vmstat` (no file when `content` is null).
struct Scrape {
  test::TempDir dir;
  Status status;
  Families families;

  explicit Scrape(const char* content) {
    if (content != nullptr) test::WriteFile(dir.path() / "vmstat", content);
    Paths paths;
    paths.procfs = dir.path().string();
    VmstatCollector collector(paths, WithFields(""));
    status = collector.Collect({}, families);
  }
};

TEST(VmstatCollectorTest, MissingFileFails) {
  const Scrape scrape(nullptr);
  const test::TempDir& dir = scrape.dir;
  const Status& status = scrape.status;
  const Families& families = scrape.families;
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("vmstat")), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(VmstatCollectorTest, MalformedFileFailsNamingFileAndLine) {
  const Scrape scrape("pgfault 10\npgmajfault\n");
  const test::TempDir& dir = scrape.dir;
  const Status& status = scrape.status;
  const Families& families = scrape.families;
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("vmstat")), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("line 2"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(VmstatCollectorTest, DuplicateFieldFails) {
  const Scrape scrape("pgfault 10\npgfault 11\n");
  const Status& status = scrape.status;
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("duplicate field pgfault"), std::string::npos)
      << status.message();
}

TEST(VmstatCollectorTest, HugeValuesBecomeTheNearestDouble) {
  // 2^64-1 (a wrapped counter) and 2^53+1: as doubles, like Go's ParseFloat, 2^64 and 2^53.
  const Scrape scrape("pgfault 18446744073709551615\npgmajfault 9007199254740993\n");
  ASSERT_TRUE(scrape.status.ok()) << scrape.status.message();
  const Families& families = scrape.families;
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgfault"), 18446744073709551616.0);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgmajfault"), 9007199254740992.0);
}

TEST(VmstatCollectorTest, FileChangingBetweenScrapes) {
  // The per-position match cache must follow a file whose fields change (another kernel
  // under the same --path.procfs, or a fixture rewritten in place).
  test::TempDir dir;
  test::WriteFile(dir.path() / "vmstat", "nr_free_pages 1\npgfault 2\n");
  Paths paths;
  paths.procfs = dir.path().string();
  VmstatCollector collector(paths, WithFields("^pg"));
  Families first;
  ASSERT_TRUE(collector.Collect({}, first).ok());
  EXPECT_EQ(Names(first), (std::set<std::string>{"node_vmstat_pgfault"}));
  test::WriteFile(dir.path() / "vmstat", "pgpgin 3\nnr_free_pages 4\npgfault 5\npswpin 6\n");
  Families second;
  ASSERT_TRUE(collector.Collect({}, second).ok());
  EXPECT_EQ(Names(second), (std::set<std::string>{"node_vmstat_pgpgin", "node_vmstat_pgfault"}));
  EXPECT_EQ(SampleValue(second, "node_vmstat_pgpgin"), 3);
  EXPECT_EQ(SampleValue(second, "node_vmstat_pgfault"), 5);
}

}  // namespace
}  // namespace vitals::collectors
