#include "collectors/textfile_collector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/text.h"
#include "collectors/metric_builder.h"
#include "procfs/prom_text.h"
#include "procfs/textfile_dir.h"

namespace vitals::collectors {
namespace {

using procfs::PromFamily;
using procfs::PromType;

prometheus::MetricType ToMetricType(PromType type) {
  switch (type) {
    case PromType::kCounter:
      return prometheus::MetricType::Counter;
    case PromType::kGauge:
      return prometheus::MetricType::Gauge;
    case PromType::kSummary:
      return prometheus::MetricType::Summary;
    case PromType::kHistogram:
      return prometheus::MetricType::Histogram;
    default:
      return prometheus::MetricType::Untyped;
  }
}

const char* TypeName(PromType type) {
  switch (type) {
    case PromType::kCounter:
      return "counter";
    case PromType::kGauge:
      return "gauge";
    case PromType::kSummary:
      return "summary";
    case PromType::kHistogram:
      return "histogram";
    default:
      return "untyped";
  }
}

// HELP as the exposition writes it: verbatim, so escaped here.
std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// A family merged from the files that carry it.
struct Merged {
  std::optional<std::string> help;  // Explicit HELP, if the files gave one.
  PromType type = PromType::kUntyped;
  std::vector<std::string> files;
  std::unordered_set<std::string> series;  // Label sets already published.
  std::vector<prometheus::ClientMetric> metrics;
};

// node_exporter's convertMetricFamily: every sample of a family (within one file) gets
// every label name used in that family, the missing ones empty; labels sorted by name.
std::vector<prometheus::ClientMetric::Label> FilledLabels(const std::vector<std::string>& names,
                                                          const procfs::PromMetric& metric) {
  std::vector<prometheus::ClientMetric::Label> labels;
  labels.reserve(names.size());
  for (const auto& name : names) {
    std::string value;
    for (const auto& label : metric.labels) {
      if (label.name == name) value = label.value;
    }
    labels.push_back({name, std::move(value)});
  }
  return labels;
}

// A label with an empty value is no label to Prometheus: m{a=""} and m are one series.
std::string SeriesKey(const std::vector<prometheus::ClientMetric::Label>& labels) {
  std::string key;
  for (const auto& label : labels) {
    if (label.value.empty()) continue;
    key += label.name;
    key += '\0';
    key += label.value;
    key += '\0';
  }
  return key;
}

prometheus::ClientMetric ToClientMetric(PromType type, const procfs::PromMetric& metric,
                                        std::vector<prometheus::ClientMetric::Label> labels) {
  prometheus::ClientMetric out;
  out.label = std::move(labels);
  switch (type) {
    case PromType::kCounter:
      out.counter.value = metric.value;
      break;
    case PromType::kGauge:
      out.gauge.value = metric.value;
      break;
    case PromType::kSummary:
      out.summary.sample_count = static_cast<uint64_t>(metric.count);
      out.summary.sample_sum = metric.sum;
      for (const auto& [quantile, value] : metric.points) {
        out.summary.quantile.push_back({quantile, value});
      }
      std::sort(out.summary.quantile.begin(), out.summary.quantile.end(),
                [](const auto& a, const auto& b) { return a.quantile < b.quantile; });
      break;
    case PromType::kHistogram:
      out.histogram.sample_count = static_cast<uint64_t>(metric.count);
      out.histogram.sample_sum = metric.sum;
      for (const auto& [le, count] : metric.points) {
        out.histogram.bucket.push_back({static_cast<uint64_t>(count), le});
      }
      std::sort(out.histogram.bucket.begin(), out.histogram.bucket.end(),
                [](const auto& a, const auto& b) { return a.upper_bound < b.upper_bound; });
      break;
    default:
      out.untyped.value = metric.value;
      break;
  }
  return out;
}

// The names a family's samples are written under: a summary's or histogram's _sum,
// _count and _bucket lines may clash with another family's.
std::vector<std::string> SampleNames(const std::string& name, prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Summary:
      return {name, name + "_sum", name + "_count"};
    case prometheus::MetricType::Histogram:
      return {name + "_bucket", name + "_sum", name + "_count"};
    default:
      return {name};
  }
}

bool Reserved(std::string_view sample_name) {
  return StartsWith(sample_name, "vitals_") || sample_name == "node_textfile_mtime_seconds" ||
         sample_name == "node_textfile_scrape_error";
}

}  // namespace

// What the files read so far in this scrape published, and the exporter's own names.
struct TextfileCollector::ScrapeState {
  std::unordered_set<std::string> exporter_families;
  // Sample name -> the family writing it; "" for the exporter's own families.
  std::unordered_map<std::string, std::string> sample_owner;
  std::map<std::string, Merged> merged;
  std::vector<std::pair<std::string, int64_t>> mtimes;
};

namespace {

using ScrapeLabels = std::vector<std::vector<prometheus::ClientMetric::Label>>;

// The label names of a family in one file, sorted; fails on a timestamp or a name
// Prometheus reserves (client_golang panics on those: node_exporter crashes).
std::string FamilyLabelNames(const std::string& path, const PromFamily& family,
                             std::vector<std::string>& names) {
  for (const auto& metric : family.metrics) {
    if (metric.has_timestamp) {
      return "textfile \"" + path +
             "\" contains unsupported client-side timestamps, skipping entire file";
    }
    for (const auto& label : metric.labels) {
      if (StartsWith(label.name, "__")) {
        return "textfile \"" + path + "\": metric family " + family.name + " has label name " +
               label.name + ", reserved by Prometheus";
      }
      if (std::find(names.begin(), names.end(), label.name) == names.end()) {
        names.push_back(label.name);
      }
    }
  }
  std::sort(names.begin(), names.end());
  return {};
}

}  // namespace

std::string TextfileCollector::CheckFamily(const ScrapeState& state, const std::string& path,
                                           const PromFamily& family,
                                           std::unordered_map<std::string, std::string>& owners,
                                           ScrapeLabels& labels) {
  std::vector<std::string> names;
  if (std::string error = FamilyLabelNames(path, family, names); !error.empty()) return error;
  const std::string where = "textfile \"" + path + "\": metric family " + family.name;
  if (state.exporter_families.contains(family.name)) {
    return where + " is published by the exporter itself";
  }
  for (const auto& sample_name : SampleNames(family.name, ToMetricType(family.type))) {
    if (Reserved(sample_name)) return where + " is published by the exporter itself";
    using Owners = std::unordered_map<std::string, std::string>;
    for (const Owners* map : {&state.sample_owner, static_cast<const Owners*>(&owners)}) {
      const auto it = map->find(sample_name);
      if (it == map->end() || it->second == family.name) continue;
      return where + " writes samples named " + sample_name + ", as " +
             (it->second.empty() ? "the exporter" : "metric family " + it->second) + " does";
    }
    owners[sample_name] = family.name;
  }
  const auto it = state.merged.find(family.name);
  if (it != state.merged.end() && it->second.type != family.type) {
    return where + " is a " + TypeName(family.type) + ", but a " + TypeName(it->second.type) +
           " in an earlier file";
  }
  if (it != state.merged.end() && it->second.help != family.help) {
    return where + " has a HELP different from an earlier file's";
  }
  std::unordered_set<std::string> seen;
  for (const auto& metric : family.metrics) {
    auto filled = FilledLabels(names, metric);
    std::string key = SeriesKey(filled);
    if ((it != state.merged.end() && it->second.series.contains(key)) ||
        !seen.insert(std::move(key)).second) {
      return where + " has a series (label set) already read";
    }
    labels.push_back(std::move(filled));
  }
  return {};
}

// Checks the whole file before anything from it is taken; then merges it.
void TextfileCollector::AddFile(ScrapeState& state, const std::string& path,
                                int64_t mtime_seconds) {
  std::unordered_map<std::string, std::string> owners;
  std::vector<ScrapeLabels> labels(parsed_.size());
  for (size_t f = 0; f < parsed_.size(); ++f) {
    if (parsed_[f].metrics.empty()) continue;  // HELP or TYPE alone publishes nothing.
    const std::string error = CheckFamily(state, path, parsed_[f], owners, labels[f]);
    if (!error.empty()) {
      Report(error);
      return;
    }
  }
  for (auto& [sample_name, family] : owners) state.sample_owner[sample_name] = family;
  for (size_t f = 0; f < parsed_.size(); ++f) {
    const PromFamily& family = parsed_[f];
    if (family.metrics.empty()) continue;
    auto [it, added] = state.merged.try_emplace(family.name);
    Merged& target = it->second;
    if (added) {
      target.help = family.help;
      target.type = family.type;
    }
    target.files.push_back(path);
    for (size_t m = 0; m < family.metrics.size(); ++m) {
      target.series.insert(SeriesKey(labels[f][m]));
      target.metrics.push_back(
          ToClientMetric(family.type, family.metrics[m], std::move(labels[f][m])));
    }
  }
  state.mtimes.emplace_back(path, mtime_seconds);
}

// Reads and adds one file; false once the scrape's deadline has passed.
bool TextfileCollector::ReadFile(const ScrapeContext& context, ScrapeState& state,
                                 const std::string& path, size_t& total_bytes) {
  if (context.Expired()) {
    Report("scrape deadline passed: textfile " + path + " and later files not read");
    return false;
  }
  if (total_bytes >= kMaxTextfileScrapeBytes) {
    Report("textfile " + path + " not read: the files before it hold the " +
           std::to_string(kMaxTextfileScrapeBytes) + " bytes read per scrape");
    return true;
  }
  const auto content = procfs::ReadTextfile(path, kMaxTextfileBytes, buffer_);
  if (!content.ok()) {
    Report("failed to read textfile " + content.error());
    return true;
  }
  total_bytes += content->text.size();
  if (Status status = procfs::ParsePromText(content->text, parsed_); !status.ok()) {
    Report("failed to parse textfile data from \"" + path + "\": " + status.message());
    return true;
  }
  AddFile(state, path, content->mtime_seconds);
  return true;
}

TextfileCollector::TextfileCollector(const TextfileOptions& options) : options_(options) {}
TextfileCollector::~TextfileCollector() = default;

void TextfileCollector::Report(const std::string& error) { current_.insert(error); }

Status TextfileCollector::Collect(const ScrapeContext& context, Families& out) {
  current_.clear();
  ScrapeState state;
  bool indexed = false;
  size_t total_bytes = 0;
  bool in_time = true;
  for (const auto& pattern : options_.directories) {
    if (pattern.empty()) continue;
    for (const auto& dir : procfs::ExpandDirectoryPattern(pattern)) {
      if (!in_time) break;
      const auto names = procfs::ListPromFiles(dir);
      if (!names.ok()) {
        Report("failed to read textfile collector directory: " + names.error());
        continue;
      }
      for (const auto& name : *names) {
        // The exporter's own families (every other collector ran before this one:
        // runs_last), indexed only when there is a file to check against them: most
        // hosts have none, and the index costs more than the rest of the scrape here.
        if (!std::exchange(indexed, true)) {
          for (const auto& family : out) {
            state.exporter_families.insert(family.name);
            for (auto& sample : SampleNames(family.name, family.type)) {
              state.sample_owner[sample] = "";
            }
          }
        }
        in_time = ReadFile(context, state, procfs::JoinCleanPath(dir, name), total_bytes);
        if (!in_time) break;
      }
    }
  }
  Publish(state, out);
  // A large file's buffer is not kept between scrapes.
  parsed_.clear();
  if (buffer_.capacity() > (size_t{1} << 20)) std::string().swap(buffer_);
  // Each distinct error is logged when it appears, and again only after it has gone.
  for (const auto& error : current_) {
    if (!logged_.contains(error)) spdlog::error("textfile: {}", error);
  }
  logged_ = current_;
  return Status::Ok();
}

void TextfileCollector::Publish(ScrapeState& state, Families& out) {
  // Sorted by name, as node_exporter's registry does, labels sorted within.
  for (auto& [name, family] : state.merged) {
    std::string help = family.help ? EscapeHelp(*family.help)
                                   : EscapeHelp("Metric read from " + Join(family.files, ", "));
    auto& added = AddFamily(out, name, std::move(help), ToMetricType(family.type));
    std::sort(family.metrics.begin(), family.metrics.end(),
              [](const auto& a, const auto& b) { return a.label < b.label; });
    added.metric = std::move(family.metrics);
  }
  if (!state.mtimes.empty()) {
    std::sort(state.mtimes.begin(), state.mtimes.end());
    auto& mtime = AddFamily(out, "node_textfile_mtime_seconds",
                            "Unixtime mtime of textfiles successfully read.", kGauge);
    for (const auto& [path, seconds] : state.mtimes) {
      AddSample(mtime, static_cast<double>(seconds), {{"file", path}});
    }
  }
  AddSingle(out, "node_textfile_scrape_error",
            "1 if there was an error opening or reading a file, 0 otherwise", kGauge,
            current_.empty() ? 0 : 1);
}

}  // namespace vitals::collectors
