// Shared helpers for the unit tests: fixture paths, temporary trees, and lookups in
// collected metric families. Expected values in tests come from the fixture text
// (read here independently of the parsers under test), never from the code's output.
#pragma once

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/collector.h"

namespace vitals::test {

using LabelMap = std::map<std::string, std::string>;

// Absolute path of a file under tests/fixtures.
inline std::string FixturePath(std::string_view relative) {
  return std::string(VITALS_FIXTURES) + "/" + std::string(relative);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

inline std::string ReadFixture(std::string_view relative) {
  return ReadFile(FixturePath(relative));
}

// The fixture tree as the exporter's --path.* flags would point at it.
inline collectors::Paths FixturePaths() {
  collectors::Paths paths;
  paths.procfs = FixturePath("proc");
  paths.sysfs = FixturePath("sys");
  paths.rootfs = FixturePath("rootfs");
  paths.udev_data = FixturePath("udev/data");
  return paths;
}

// Writes (truncating in place, same inode) `content` to `path`, creating parents.
inline void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// A fresh directory under gtest's TempDir(), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("vitals_unit_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string Sub(std::string_view relative) const { return (path_ / relative).string(); }

 private:
  std::filesystem::path path_;
};

// Empty proc and sys directories under `dir`: a host where a collector finds nothing.
inline collectors::Paths EmptyTree(const TempDir& dir) {
  collectors::Paths paths;
  paths.procfs = (dir.path() / "proc").string();
  paths.sysfs = (dir.path() / "sys").string();
  std::filesystem::create_directories(paths.procfs);
  std::filesystem::create_directories(paths.sysfs);
  return paths;
}

// One Collect() of a fresh `CollectorT(paths)`: its status and what it published.
template <typename CollectorT>
std::pair<Status, collectors::Families> CollectOnce(const collectors::Paths& paths) {
  CollectorT collector(paths);
  collectors::Families families;
  Status status = collector.Collect({}, families);
  return {status, std::move(families)};
}

inline const prometheus::MetricFamily* FindFamily(const collectors::Families& families,
                                                  std::string_view name) {
  const prometheus::MetricFamily* found = nullptr;
  for (const auto& family : families) {
    if (family.name == name) {
      EXPECT_EQ(found, nullptr) << "family " << name << " appears twice";
      found = &family;
    }
  }
  return found;
}

inline LabelMap Labels(const prometheus::ClientMetric& metric) {
  LabelMap labels;
  for (const auto& label : metric.label) labels[label.name] = label.value;
  return labels;
}

inline double ValueOf(const prometheus::MetricFamily& family,
                      const prometheus::ClientMetric& metric) {
  switch (family.type) {
    case prometheus::MetricType::Counter:
      return metric.counter.value;
    case prometheus::MetricType::Gauge:
      return metric.gauge.value;
    default:
      return metric.untyped.value;
  }
}

// The value of the sample whose label set is exactly `labels`, or nullopt.
inline std::optional<double> SampleValue(const collectors::Families& families,
                                         std::string_view name, const LabelMap& labels = {}) {
  const auto* family = FindFamily(families, name);
  if (family == nullptr) return std::nullopt;
  std::optional<double> value;
  for (const auto& metric : family->metric) {
    if (Labels(metric) == labels) {
      EXPECT_FALSE(value.has_value()) << name << " has a duplicate label set";
      value = ValueOf(*family, metric);
    }
  }
  return value;
}

// Like SampleValue, for samples that must exist: a failure and NaN when absent.
inline double Value(const collectors::Families& families, std::string_view name,
                    const LabelMap& labels = {}) {
  const auto value = SampleValue(families, name, labels);
  if (!value) {
    ADD_FAILURE() << "no sample " << name << " with the expected labels";
    return std::numeric_limits<double>::quiet_NaN();
  }
  return *value;
}

// Every label set of a family, in order.
inline std::vector<LabelMap> LabelSets(const prometheus::MetricFamily& family) {
  std::vector<LabelMap> sets;
  for (const auto& metric : family.metric) sets.push_back(Labels(metric));
  return sets;
}

// Values of label `key` across a family's samples, in order.
inline std::vector<std::string> LabelValues(const prometheus::MetricFamily& family,
                                            const std::string& key) {
  std::vector<std::string> values;
  for (const auto& metric : family.metric) {
    const auto labels = Labels(metric);
    if (auto it = labels.find(key); it != labels.end()) values.push_back(it->second);
  }
  return values;
}

// Splits text into whitespace-separated tokens (an independent reading of fixtures).
inline std::vector<std::string> Tokens(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> tokens;
  for (std::string token; in >> token;) tokens.push_back(token);
  return tokens;
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Names parameterized tests after the `name` field of their parameter struct.
struct ParamName {
  template <typename T>
  std::string operator()(const ::testing::TestParamInfo<T>& param) const {
    return param.param.name;
  }
};

}  // namespace vitals::test
