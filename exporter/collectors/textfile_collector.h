// textfile: the metrics of every *.prom file in the textfile directories (node_exporter's
// --collector.textfile.directory), plus node_textfile_mtime_seconds{file} and
// node_textfile_scrape_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/collector.h"
#include "procfs/prom_text.h"

namespace vitals::collectors {

// Debian's node_exporter default (prometheus-node-exporter's --help); upstream has none.
inline constexpr const char* kDefaultTextfileDirectory = "/var/lib/prometheus/node-exporter";
// The most one file may hold, and the most read from all files in one scrape; past
// either, the file is an error (node_exporter has no limit).
inline constexpr size_t kMaxTextfileBytes = size_t{16} << 20;
inline constexpr size_t kMaxTextfileScrapeBytes = size_t{64} << 20;

struct TextfileOptions {
  // Directories or glob patterns, read in this order; not under --path.rootfs (as
  // node_exporter). An empty string is skipped silently, as node_exporter does.
  std::vector<std::string> directories;

  bool operator==(const TextfileOptions&) const = default;
};

class TextfileCollector : public Collector {
 public:
  explicit TextfileCollector(const TextfileOptions& options);
  ~TextfileCollector() override;
  // Always succeeds, as node_exporter's: a bad directory or file sets
  // node_textfile_scrape_error to 1 and is logged once per distinct error.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  struct ScrapeState;

  void Report(const std::string& error);
  bool ReadFile(const ScrapeContext& context, ScrapeState& state, const std::string& path,
                size_t& total_bytes);
  void AddFile(ScrapeState& state, const std::string& path, int64_t mtime_seconds);
  static std::string CheckFamily(const ScrapeState& state, const std::string& path,
                                 const procfs::PromFamily& family,
                                 std::unordered_map<std::string, std::string>& owners,
                                 std::vector<std::vector<prometheus::ClientMetric::Label>>& labels);
  void Publish(ScrapeState& state, Families& out);

  TextfileOptions options_;
  std::string buffer_;                      // The file being read.
  std::vector<procfs::PromFamily> parsed_;  // Its families.
  std::set<std::string> logged_;            // Errors logged while they persist.
  std::set<std::string> current_;           // Errors of this scrape.
};

}  // namespace vitals::collectors
