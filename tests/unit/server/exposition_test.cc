#include "server/exposition.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using collectors::AddFamily;
using collectors::AddSample;
using collectors::Families;

// prometheus-cpp's own serializer is the reference the fast writer must match byte for byte.
std::string Reference(const Families& families) {
  std::ostringstream text;
  prometheus::TextSerializer().Serialize(text, {families.begin(), families.end()});
  return text.str();
}

std::string Fast(const Families& families) {
  std::string out = "prefix\n";  // Appends, never overwrites.
  AppendExposition(families, out);
  EXPECT_EQ(out.substr(0, 7), "prefix\n");
  return out.substr(7);
}

const std::vector<double>& InterestingValues() {
  static const std::vector<double> values = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      0.66,
      568.66,
      -125000.0,
      12.698,
      0.1 + 0.2,
      1.0 / 3.0,
      1e-9,
      2.5e-300,
      1795266897.0,
      123456789012345.0,
      9999999999999998.0,
      1e16,
      1e16 + 2,
      18446744073709551615.0,
      1.7976931348623157e308,
      std::numeric_limits<double>::denorm_min(),
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::quiet_NaN(),
  };
  return values;
}

TEST(AppendExpositionTest, ValuesMatchTextSerializer) {
  for (const auto type : {prometheus::MetricType::Counter, prometheus::MetricType::Gauge,
                          prometheus::MetricType::Untyped}) {
    for (const double value : InterestingValues()) {
      Families families;
      AddSample(AddFamily(families, "test_metric", "Help text.", type), value);
      EXPECT_EQ(Fast(families), Reference(families)) << "value " << value;
    }
  }
}

TEST(AppendExpositionTest, RandomValuesMatchTextSerializer) {
  std::mt19937_64 random(12345);
  Families families;
  auto& family = AddFamily(families, "test_random", "Random values.", collectors::kGauge);
  std::uniform_real_distribution<double> exponent(-20, 20);
  for (int i = 0; i < 5000; ++i) {
    const double magnitude = std::pow(10.0, exponent(random));
    const double value =
        (random() % 2 ? -1 : 1) * magnitude * std::uniform_real_distribution<double>(1, 10)(random);
    AddSample(family, i % 3 == 0 ? std::round(value) : value);
  }
  EXPECT_EQ(Fast(families), Reference(families));
}

TEST(AppendExpositionTest, LabelsEscapesHelpAndTimestamps) {
  Families families;
  auto& family = AddFamily(families, "node_filesystem_avail_bytes",
                           "Help with \\ backslash and\nnewline.", collectors::kGauge);
  AddSample(family, 1, {{"mountpoint", "/srv/data dir"}, {"device", "/dev/vdb1"}});
  AddSample(family, 2, {{"weird", "quote\" backslash\\ newline\n end"}});
  AddSample(family, 3, {{"empty", ""}});
  family.metric.back().timestamp_ms = 1700000000123;
  AddFamily(families, "test_no_samples", "Nothing.", collectors::kCounter);
  AddSample(AddFamily(families, "test_no_help", "", collectors::kCounter), 5);
  EXPECT_EQ(Fast(families), Reference(families));
}

// A mount point, an interface alias and a process name may hold any bytes; Prometheus
// rejects the whole scrape for one label value that is not UTF-8.
TEST(AppendExpositionTest, InvalidUtf8LabelValuesComeOutReplacedAndStillEscaped) {
  Families families;
  auto& family = AddFamily(families, "node_filesystem_avail_bytes", "Help.", collectors::kGauge);
  AddSample(family, 1, {{"mountpoint", "/mnt/\xff\xfe\"dir"}});
  AddSample(family, 2, {{"ifalias", "caf\xc3\xa9"}, {"process", "bad\xc3\nname"}});
  EXPECT_EQ(
      Fast(families),
      "# HELP node_filesystem_avail_bytes Help.\n"
      "# TYPE node_filesystem_avail_bytes gauge\n"
      "node_filesystem_avail_bytes{mountpoint=\"/mnt/\xEF\xBF\xBD\xEF\xBF\xBD\\\"dir\"} 1\n"
      "node_filesystem_avail_bytes{ifalias=\"caf\xc3\xa9\",process=\"bad\xEF\xBF\xBD\\nname\"} "
      "2\n");
}

TEST(AppendExpositionTest, OtherTypesGoThroughTheSerializer) {
  Families families;
  auto& summary = families.emplace_back();
  summary.name = "test_summary";
  summary.help = "A summary.";
  summary.type = prometheus::MetricType::Summary;
  auto& metric = summary.metric.emplace_back();
  metric.summary.sample_count = 3;
  metric.summary.sample_sum = 1.5;
  metric.summary.quantile = {{0.5, 0.25}, {0.99, 1.0}};
  auto& histogram = families.emplace_back();
  histogram.name = "test_histogram";
  histogram.help = "A histogram.";
  histogram.type = prometheus::MetricType::Histogram;
  auto& bucketed = histogram.metric.emplace_back();
  bucketed.histogram.sample_count = 2;
  bucketed.histogram.sample_sum = 3;
  bucketed.histogram.bucket = {{1, 1.0}, {2, std::numeric_limits<double>::infinity()}};
  AddSample(AddFamily(families, "test_gauge", "A gauge.", collectors::kGauge), 4);
  EXPECT_EQ(Fast(families), Reference(families));
}

TEST(AppendExpositionTest, FixtureScrapeMatchesTextSerializer) {
  Families families;
  for (const auto* each : collectors::AllCollectors()) {
    const auto& spec = *each;
    if (spec.name == "systemd") continue;  // The host's system bus, not the fixture.
    const auto collector =
        spec.make(test::FixturePaths(), collectors::CollectorOptions::Defaults());
    ASSERT_TRUE(collector->Collect({}, families).ok()) << spec.name;
  }
  EXPECT_EQ(Fast(families), Reference(families));
}

}  // namespace
}  // namespace vitals::server
