#include "procfs/prom_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using namespace std::string_literals;

std::vector<PromFamily> MustParse(std::string_view text) {
  std::vector<PromFamily> families;
  const Status status = ParsePromText(text, families);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << text;
  return families;
}

const PromFamily* Find(const std::vector<PromFamily>& families, std::string_view name) {
  for (const auto& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// apt.prom as prometheus-node-exporter-collectors' apt_info.py writes it.
TEST(PromTextTest, AptFixture) {
  const std::string text = test::ReadFixture("textfile/apt.prom");
  const auto families = MustParse(text);
  ASSERT_EQ(families.size(), 4u);
  const PromFamily* pending = Find(families, "apt_upgrades_pending");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->type, PromType::kGauge);
  EXPECT_EQ(pending->help, "Apt packages pending updates by origin.");
  ASSERT_EQ(pending->metrics.size(), 2u);
  // Labels in the order written; values as in the text.
  EXPECT_EQ(pending->metrics[0].labels,
            (std::vector<PromLabel>{{"origin", "Debian:bookworm-security/stable-security"},
                                    {"arch", "amd64"}}));
  EXPECT_EQ(pending->metrics[0].value, 3);
  EXPECT_EQ(pending->metrics[1].value, 1);
  const PromFamily* held = Find(families, "apt_upgrades_held");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->metrics.at(0).labels, (std::vector<PromLabel>{{"origin", ""}, {"arch", ""}}));
  EXPECT_NE(Find(families, "node_reboot_required"), nullptr);
}

// backup.prom: a summary, a histogram, escapes in HELP and label values, odd spacing,
// a trailing comma, NaN and infinities.
TEST(PromTextTest, BackupFixtureEdgeCases) {
  const auto families = MustParse(test::ReadFixture("textfile/backup.prom"));
  const PromFamily* duration = Find(families, "backup_duration_seconds");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(duration->type, PromType::kSummary);
  EXPECT_EQ(duration->help,
            "How long backups took, with \"quotes\" and a \\ backslash\nand a second line.");
  ASSERT_EQ(duration->metrics.size(), 1u);
  const PromMetric& summary = duration->metrics[0];
  EXPECT_EQ(summary.labels, (std::vector<PromLabel>{{"job", "home"}}));
  EXPECT_EQ(summary.points, (std::vector<std::pair<double, double>>{{0.5, 12.5}, {0.9, 30}}));
  EXPECT_EQ(summary.sum, 420);
  EXPECT_EQ(summary.count, 20);

  const PromFamily* size = Find(families, "backup_size_bytes");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->type, PromType::kHistogram);
  EXPECT_FALSE(size->help.has_value());
  ASSERT_EQ(size->metrics.size(), 1u);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(size->metrics[0].points,
            (std::vector<std::pair<double, double>>{{1e6, 2}, {1e9, 5}, {inf, 6}}));
  EXPECT_EQ(size->metrics[0].sum, 3.5e9);
  EXPECT_EQ(size->metrics[0].count, 6);

  const PromFamily* last = Find(families, "backup_last_success_timestamp_seconds");
  ASSERT_NE(last, nullptr);
  ASSERT_EQ(last->metrics.size(), 2u);
  EXPECT_EQ(last->metrics[0].labels,
            (std::vector<PromLabel>{
                {"path", "/home/\xc3\xbcn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \"x\"\\y"}}));
  const PromFamily* failures = Find(families, "backup_failures_total");
  ASSERT_NE(failures, nullptr);
  EXPECT_EQ(failures->type, PromType::kUntyped);
  EXPECT_EQ(failures->metrics.at(0).labels, (std::vector<PromLabel>{{"job", "home"}}));
  EXPECT_TRUE(std::isnan(Find(families, "backup_ratio")->metrics.at(0).value));
  EXPECT_EQ(Find(families, "backup_limit")->metrics.at(0).value, inf);
  EXPECT_EQ(Find(families, "backup_floor")->metrics.at(0).value, -inf);
}

TEST(PromTextTest, EmptyAndCommentOnlyTextsHaveNoFamilies) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_TRUE(MustParse("\n\n  \n\t\n").empty());
  EXPECT_TRUE(MustParse("# a comment\n#\n# \n#HELP_not_a_keyword x\n").empty());
}

TEST(PromTextTest, HelpOrTypeWithoutFamilySamplesKeepsAnEmptyFamily) {
  const auto families = MustParse("# TYPE only_type gauge\n# HELP only_help text\n");
  ASSERT_EQ(families.size(), 2u);
  EXPECT_TRUE(families[0].metrics.empty());
  EXPECT_TRUE(families[1].metrics.empty());
}

// Lines expfmt ignores: a HELP or TYPE ending after the keyword or the name, blanks
// included (the family then has no HELP, so node_exporter writes "Metric read from").
TEST(PromTextTest, TruncatedHelpAndTypeLinesAreIgnored) {
  const auto families =
      MustParse("# HELP\n# TYPE\n# HELP a\n# TYPE a\n# HELP a \n# TYPE a \t\na 1\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_FALSE(families[0].help.has_value());
  EXPECT_EQ(families[0].type, PromType::kUntyped);
}

TEST(PromTextTest, HelpKeepsTrailingBlanksAndTypeIgnoresCase) {
  const auto families = MustParse("# HELP h  some text  \n# TYPE h GAUGE\nh 1\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].help, "some text  ");
  EXPECT_EQ(families[0].type, PromType::kGauge);
}

TEST(PromTextTest, Spacing) {
  const auto families = MustParse(
      "   lead 1\ntab\t2\nspaced { a = \"1\" , b=\"2\" , }   3   \nglued{a=\"1\"}4\nempty{} 5\n");
  ASSERT_EQ(families.size(), 5u);
  EXPECT_EQ(families[2].metrics.at(0).labels, (std::vector<PromLabel>{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(families[2].metrics.at(0).value, 3);
  EXPECT_EQ(families[3].metrics.at(0).value, 4);
  EXPECT_TRUE(families[4].metrics.at(0).labels.empty());
}

TEST(PromTextTest, LabelValueEscapesAndUtf8) {
  const auto families =
      MustParse("e{a=\"q\\\"b\\\\n\\n\",u=\"\xc3\xbcn\xc3\xaf \xf0\x9f\x98\x80\"} 1\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(
      families[0].metrics.at(0).labels,
      (std::vector<PromLabel>{{"a", "q\"b\\n\n"}, {"u", "\xc3\xbcn\xc3\xaf \xf0\x9f\x98\x80"}}));
}

// Go's strconv.ParseFloat spellings.
TEST(PromTextTest, FloatSpellings) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::string, double>> cases = {
      {"1E3", 1000},     {".5", 0.5},         {"5.", 5},     {"+7", 7},
      {"-0.25", -0.25},  {"inf", inf},        {"+Inf", inf}, {"-inf", -inf},
      {"Infinity", inf}, {"-INFINITY", -inf}, {"1e-400", 0}, {"4.9e-324", 4.9e-324},
  };
  for (const auto& [text, expected] : cases) {
    const auto families = MustParse("v " + text + "\n");
    ASSERT_EQ(families.size(), 1u) << text;
    EXPECT_EQ(families[0].metrics.at(0).value, expected) << text;
  }
  for (const std::string text : {"nan", "NaN", "NAN"}) {
    const auto families = MustParse("v " + text + "\n");
    ASSERT_EQ(families.size(), 1u) << text;
    EXPECT_TRUE(std::isnan(families[0].metrics.at(0).value)) << text;
  }
}

TEST(PromTextTest, SummaryAndHistogramSeriesGroupedByOtherLabels) {
  const auto families = MustParse(
      "# TYPE s summary\n"
      "s{a=\"x\",quantile=\"0.5\"} 1\n"
      "s{quantile=\"0.9\",a=\"x\"} 2\n"
      "s{a=\"y\",quantile=\"0.5\"} 3\n"
      "s_count{a=\"x\"} 4\n"
      "s_sum{a=\"y\"} 5\n"
      "# TYPE h histogram\n"
      "h_bucket{le=\"1\"} 1\n"
      "h_sum 3\n"
      "h_count 2\n");
  ASSERT_EQ(families.size(), 2u);
  ASSERT_EQ(families[0].metrics.size(), 2u);
  EXPECT_EQ(families[0].metrics[0].points,
            (std::vector<std::pair<double, double>>{{0.5, 1}, {0.9, 2}}));
  EXPECT_EQ(families[0].metrics[0].count, 4);
  EXPECT_EQ(families[0].metrics[1].sum, 5);
  EXPECT_EQ(families[0].metrics[1].count, 0);
  ASSERT_EQ(families[1].metrics.size(), 1u);
  EXPECT_EQ(families[1].metrics[0].points, (std::vector<std::pair<double, double>>{{1, 1}}));
  EXPECT_EQ(families[1].metrics[0].count, 2);
}

// expfmt's resolution of a sample name: the exact family first, then a summary's or
// histogram's _sum/_count, then a histogram's _bucket; a gauge's _sum is its own family.
TEST(PromTextTest, SuffixResolution) {
  const auto families = MustParse(
      "# HELP x_sum own\n# TYPE x summary\nx_sum 1\n"
      "# TYPE g gauge\ng_sum 2\n"
      "# HELP c x\n# TYPE c counter\nc_total 3\n");
  ASSERT_NE(Find(families, "x_sum"), nullptr);
  EXPECT_EQ(Find(families, "x_sum")->help, "own");
  EXPECT_EQ(Find(families, "x_sum")->metrics.at(0).value, 1);
  EXPECT_TRUE(Find(families, "x")->metrics.empty());
  EXPECT_EQ(Find(families, "g_sum")->type, PromType::kUntyped);
  EXPECT_EQ(Find(families, "c_total")->metrics.at(0).value, 3);
  EXPECT_TRUE(Find(families, "c")->metrics.empty());
}

TEST(PromTextTest, TimestampsAreParsedAndMarked) {
  const auto families = MustParse("t 1 1700000000000\nu 1 -5\nv 1 +7\nw 1\n");
  ASSERT_EQ(families.size(), 4u);
  EXPECT_TRUE(families[0].metrics.at(0).has_timestamp);
  EXPECT_TRUE(families[1].metrics.at(0).has_timestamp);
  EXPECT_TRUE(families[2].metrics.at(0).has_timestamp);
  EXPECT_FALSE(families[3].metrics.at(0).has_timestamp);
}

TEST(PromTextTest, NamesWithColons) {
  const auto families = MustParse("job:rate:5m{a=\"1\"} 1\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "job:rate:5m");
  EXPECT_TRUE(ValidMetricName("job:rate:5m"));
  EXPECT_FALSE(ValidLabelName("a:b"));
  EXPECT_FALSE(ValidMetricName("1a"));
  EXPECT_FALSE(ValidMetricName(""));
}

struct BadCase {
  const char* name;
  std::string text;
  const char* error;  // A part of the message.
};

std::ostream& operator<<(std::ostream& os, const BadCase& c) { return os << c.name; }

class PromTextBadTest : public ::testing::TestWithParam<BadCase> {};

// Every malformed text fails whole, names its line and leaves no families behind.
TEST_P(PromTextBadTest, Fails) {
  std::vector<PromFamily> families = {PromFamily{}};
  const Status status = ParsePromText(GetParam().text, families);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(GetParam().error), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

const BadCase kBadCases[] = {
    // What expfmt (node_exporter 1.5) refuses too.
    {"NoFinalNewline", "ok 1\nlast 1", "line 2: unexpected end of input stream"},
    {"CrLf", "a 1\r\n", "expected float as value"},
    {"Bom",
     "\xef\xbb\xbf"
     "a 1\n",
     "invalid metric name"},
    {"NameStartsWithDigit", "1a 1\n", "invalid metric name"},
    {"NoValue", "a\n", "expected float as value"},
    {"NoValueAfterLabels", "a{b=\"1\"}\n", "expected float as value"},
    {"BadValue", "a abc\n", "expected float as value"},
    {"HexValue", "a 0x10\n", "expected float as value"},
    {"UnderscoreValue", "a 1_000\n", "expected float as value"},
    {"SignedNaN", "a +NaN\n", "expected float as value"},
    {"NanPayload", "a nan(1)\n", "expected float as value"},
    {"Infin", "a infin\n", "expected float as value"},
    {"Overflow", "a 1e400\n", "expected float as value"},
    {"SpuriousAfterTimestamp", "a 1 2 3\n", "spurious string after timestamp"},
    {"BadTimestamp", "a 1 12x\n", "expected integer as timestamp"},
    {"FloatTimestamp", "a 1 1.5\n", "expected integer as timestamp"},
    {"DoubleSignTimestamp", "a 1 +-5\n", "expected integer as timestamp"},
    {"TimestampOverflow", "a 1 99999999999999999999\n", "expected integer as timestamp"},
    {"SecondHelp", "# HELP a x\n# HELP a x\na 1\n", "line 2: second HELP line"},
    {"HelpBadEscape", "# HELP a x \\t y\na 1\n", "invalid escape sequence in HELP"},
    {"SecondType", "# TYPE a gauge\n# TYPE a gauge\n", "second TYPE line"},
    {"TypeAfterSamples", "a 1\n# TYPE a gauge\n", "TYPE reported after samples"},
    {"TypeOfSuffixFamily", "# TYPE s summary\n# TYPE s_count gauge\n", "second TYPE line"},
    {"UnknownType", "# TYPE a foo\n", "unknown metric type"},
    // expfmt knows it (node_exporter 1.5's textfile collector then panics).
    {"GaugeHistogramType", "# TYPE a gauge_histogram\na 1\n", "unknown metric type"},
    {"TypeTrailingBlanks", "# TYPE a gauge  \n", "unknown metric type"},
    {"TypeExtraWord", "# TYPE a gauge x\n", "unknown metric type"},
    {"CommentBadName", "# HELP 1a x\n", "invalid metric name in comment"},
    {"CommentNameGlued", "# TYPE a{ gauge\n", "invalid metric name in comment"},
    {"LabelNameColon", "a{b:c=\"1\"} 1\n", "expected '=' after label name"},
    {"LabelNameEmpty", "a{=\"1\"} 1\n", "invalid label name"},
    {"LabelCommaOnly", "a{,} 1\n", "invalid label name"},
    {"LabelReserved", "a{__name__=\"x\"} 1\n", "reserved"},
    {"LabelTwice", "a{b=\"1\",b=\"2\"} 1\n", "duplicate label names"},
    {"LabelUnquoted", "a{b=1} 1\n", "expected '\"' at start of label value"},
    {"LabelSingleQuoted", "a{b='1'} 1\n", "expected '\"' at start of label value"},
    {"LabelBadEscape", "a{b=\"\\t\"} 1\n", "invalid escape sequence in label value"},
    {"LabelNotUtf8", "a{b=\"\xc3\"} 1\n", "not UTF-8"},
    {"LabelOverlong", "a{b=\"\xc0\xaf\"} 1\n", "not UTF-8"},
    {"LabelSurrogate", "a{b=\"\xed\xa0\x80\"} 1\n", "not UTF-8"},
    {"LabelRawNewline", "a{b=\"x\ny\"} 1\n", "unterminated label value"},
    {"LabelUnclosed", "a{b=\"1\" 1\n", "expected ',' or '}'"},
    {"LabelSetUnclosed", "a{b=\"1\",\n", "unexpected end of label set"},
    {"LabelsTwice", "a{b=\"1\"}{c=\"2\"} 1\n", "expected float as value"},
    {"SummaryBadQuantile", "# TYPE s summary\ns{quantile=\"x\"} 1\n", "quantile label"},
    {"HistogramBadLe", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", "le label"},
    // Where vitals is stricter than expfmt (which drops or mangles the data).
    {"NulInComment", "a 1\n# \0\n"s, "NUL byte"},
    {"NulInLabel", "a{b=\"\0\"} 1\n"s, "NUL byte"},
    {"HelpNotUtf8", "# HELP a \xff\na 1\n", "HELP text is not valid UTF-8"},
    {"SummaryWithoutQuantile", "# TYPE s summary\ns 1\n", "missing quantile label"},
    {"HistogramBucketWithoutLe", "# TYPE h histogram\nh_bucket 1\n", "missing le label"},
    {"HistogramBareName", "# TYPE h histogram\nh 1\n", "without _bucket, _sum or _count"},
    {"NanQuantile", "# TYPE s summary\ns{quantile=\"NaN\"} 1\n", "quantile label"},
    {"NanLe", "# TYPE h histogram\nh_bucket{le=\"nan\"} 1\n", "le label"},
    {"QuantileTwice", "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.5\"} 2\n",
     "quantile given twice"},
    {"LeTwiceSpelledDifferently",
     "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n", "le given twice"},
    {"LeOnSum", "# TYPE h histogram\nh_sum{le=\"1\"} 1\n", "le label on a histogram's"},
    {"QuantileOnCount", "# TYPE s summary\ns_count{quantile=\"1\"} 1\n", "quantile label on"},
    {"FractionalCount", "# TYPE s summary\ns_count 1.5\n", "not a non-negative integer"},
    {"NegativeCount", "# TYPE s summary\ns_count -1\n", "not a non-negative integer"},
    {"FractionalBucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1.5\n",
     "not a non-negative integer"},
    {"InfiniteCount", "# TYPE h histogram\nh_count +Inf\n", "not a non-negative integer"},
};

INSTANTIATE_TEST_SUITE_P(Malformed, PromTextBadTest, ::testing::ValuesIn(kBadCases),
                         test::ParamName());

TEST(PromTextTest, ErrorNamesTheLine) {
  std::vector<PromFamily> families;
  const Status status = ParsePromText("a 1\nb 2\n\nc{ 3\n", families);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("text format parsing error in line 4"), std::string::npos)
      << status.message();
}

TEST(PromTextTest, ErrorQuotesHostileBytesEscaped) {
  std::vector<PromFamily> families;
  const Status status = ParsePromText("# TYPE a \x1b[31m\xff\n", families);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().find('\x1b'), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find('\xff'), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("\\x1b"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::procfs
