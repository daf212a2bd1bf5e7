#include "collectors/bcache_collector.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/metric_builder.h"
#include "procfs/bcache.h"
#include "procfs/class_nvme.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {
namespace {

struct Attribute {
  const char* name;
  const char* help;
  const char* file;  // Relative to the set, bdev<N> or cache<N> directory.
  prometheus::MetricType type;
  double scale = 1;
};

constexpr Attribute kSetAttributes[] = {
    {"node_bcache_average_key_size_sectors", "Average data per key in the btree (sectors).",
     "average_key_size", kGauge},
    {"node_bcache_btree_cache_size_bytes", "Amount of memory currently used by the btree cache.",
     "btree_cache_size", kGauge},
    {"node_bcache_cache_available_percent",
     "Percentage of cache device without dirty data, usable for writeback (may contain clean "
     "cached data).",
     "cache_available_percent", kGauge},
    {"node_bcache_congested", "Congestion.", "congested", kGauge},
    {"node_bcache_root_usage_percent",
     "Percentage of the root btree node in use (tree depth increases if too high).",
     "root_usage_percent", kGauge},
    {"node_bcache_tree_depth", "Depth of the btree.", "tree_depth", kGauge},
    {"node_bcache_active_journal_entries",
     "Number of journal entries that are newer than the index.", "internal/active_journal_entries",
     kGauge},
    {"node_bcache_btree_nodes", "Total nodes in the btree.", "internal/btree_nodes", kGauge},
    // procfs calls the microseconds nanoseconds; node_exporter scales them by 1e-9.
    {"node_bcache_btree_read_average_duration_seconds", "Average btree read duration.",
     "internal/btree_read_average_duration_us", kGauge, 1e-9},
    {"node_bcache_cache_read_races_total",
     "Counts instances where while data was being read from the cache, the bucket was reused "
     "and invalidated - i.e. where the pointer was stale after the read completed.",
     "internal/cache_read_races", kCounter},
};

constexpr Attribute kBdevAttributes[] = {
    {"node_bcache_dirty_data_bytes", "Amount of dirty data for this backing device in the cache.",
     "dirty_data", kGauge},
    {"node_bcache_bypassed_bytes_total",
     "Amount of IO (both reads and writes) that has bypassed the cache.", "stats_total/bypassed",
     kCounter},
    {"node_bcache_cache_hits_total", "Hits counted per individual IO as bcache sees them.",
     "stats_total/cache_hits", kCounter},
    {"node_bcache_cache_misses_total", "Misses counted per individual IO as bcache sees them.",
     "stats_total/cache_misses", kCounter},
    {"node_bcache_cache_bypass_hits_total", "Hits for IO intended to skip the cache.",
     "stats_total/cache_bypass_hits", kCounter},
    {"node_bcache_cache_bypass_misses_total", "Misses for IO intended to skip the cache.",
     "stats_total/cache_bypass_misses", kCounter},
    {"node_bcache_cache_miss_collisions_total",
     "Instances where data insertion from cache miss raced with write (data already present).",
     "stats_total/cache_miss_collisions", kCounter},
    {"node_bcache_cache_readaheads_total", "Count of times readahead occurred.",
     "stats_total/cache_readaheads", kCounter},
};

constexpr Attribute kCacheAttributes[] = {
    {"node_bcache_io_errors", "Number of errors that have occurred, decayed by io_error_halflife.",
     "io_errors", kGauge},
    {"node_bcache_metadata_written_bytes_total",
     "Sum of all non data writes (btree writes and all other metadata).", "metadata_written",
     kCounter},
    {"node_bcache_written_bytes_total", "Sum of all data that has been written to the cache.",
     "written", kCounter},
};

// Families by name, so that they come out sorted (node_exporter's registry sorts).
class FamilySet {
 public:
  void Add(std::string_view name, std::string_view help, prometheus::MetricType type, double value,
           std::initializer_list<Label> labels) {
    auto [it, added] = families_.try_emplace(std::string(name));
    if (added) {
      it->second.name = name;
      it->second.help = help;
      it->second.type = type;
    }
    AddSample(it->second, value, labels);
  }
  void MoveTo(Families& out) {
    for (auto& [name, family] : families_) out.push_back(std::move(family));
  }

 private:
  std::map<std::string, prometheus::MetricFamily, std::less<>> families_;
};

// Names under `dir` that match Go's filepath.Glob `prefix` + "[0-9]*".
std::vector<std::string> Numbered(const std::vector<std::string>& names, std::string_view prefix) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (name.size() > prefix.size() && name.starts_with(prefix) && name[prefix.size()] >= '0' &&
        name[prefix.size()] <= '9') {
      out.push_back(name);
    }
  }
  return out;
}

// bdev<N>/writeback_rate_debug (its "dirty" line is not published). Unreadable: no
// samples (node_exporter fails the collector).
void AddWritebackRateDebug(procfs::FileCache& files, const std::string& dir,
                           std::initializer_list<Label> labels, FamilySet& families) {
  const auto text = files.Read(dir + "writeback_rate_debug");
  if (!text.ok()) return;
  const auto debug = procfs::ParseBcacheWritebackRateDebug(*text);
  const auto add = [&](const char* name, const char* help, const auto& value) {
    if (value) families.Add(name, help, kGauge, static_cast<double>(*value), labels);
  };
  add("node_bcache_dirty_target_bytes",
      "Current dirty data target threshold for this backing device in bytes.", debug.target);
  add("node_bcache_writeback_rate", "Current writeback rate for this backing device in bytes.",
      debug.rate);
  add("node_bcache_writeback_rate_proportional_term",
      "Current result of proportional controller, part of writeback rate", debug.proportional);
  add("node_bcache_writeback_rate_integral_term",
      "Current result of integral controller, part of writeback rate", debug.integral);
  add("node_bcache_writeback_change", "Last writeback rate change step for this backing device.",
      debug.change);
}

// cache<N>/priority_stats, with --collector.bcache.priorityStats.
void AddPriorityStats(procfs::FileCache& files, const std::string& dir,
                      std::initializer_list<Label> labels, FamilySet& families) {
  const auto text = files.Read(dir + "priority_stats");
  if (!text.ok()) return;
  const auto stats = procfs::ParseBcachePriorityStats(*text);
  if (stats.unused_percent) {
    families.Add("node_bcache_priority_stats_unused_percent",
                 "The percentage of the cache that doesn't contain any data.", kGauge,
                 static_cast<double>(*stats.unused_percent), labels);
  }
  if (stats.metadata_percent) {
    families.Add("node_bcache_priority_stats_metadata_percent", "Bcache's metadata overhead.",
                 kGauge, static_cast<double>(*stats.metadata_percent), labels);
  }
}

}  // namespace

BcacheCollector::BcacheCollector(const Paths& paths, const BcacheOptions& options)
    : sysfs_(paths.sysfs),
      bcache_dir_(procfs::JoinPath(paths.sysfs, "fs/bcache")),
      options_(options) {}

Status BcacheCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no directory " + sysfs_);
  const auto sets = procfs::ListClassDir(bcache_dir_);
  if (!sets.ok()) return Status::Ok();  // procfs's Glob finds nothing: no bcache.
  FamilySet families;
  // A missing file reads as 0 (procfs's readValue); other failures skip the sample.
  const auto read_value = [this](const std::string& path) -> std::optional<uint64_t> {
    const auto text = files_.Read(path);
    if (!text.ok()) return text.failure().Vanished() ? std::optional<uint64_t>(0) : std::nullopt;
    return procfs::ParseBcacheValue(*text);
  };
  const auto add_attributes = [&](const std::string& dir, const auto& attributes,
                                  std::initializer_list<Label> labels) {
    for (const Attribute& attribute : attributes) {
      const auto value = read_value(dir + attribute.file);
      if (!value) continue;
      families.Add(attribute.name, attribute.help, attribute.type,
                   static_cast<double>(*value) * attribute.scale, labels);
    }
  };
  for (const std::string& uuid : *sets) {
    if (uuid.find('-') == std::string::npos) continue;  // Glob "*-*": register, ... are no sets.
    const std::string set_dir = bcache_dir_ + "/" + uuid + "/";
    add_attributes(set_dir, kSetAttributes, {{"uuid", uuid}});
    const auto entries = procfs::ListClassDir(set_dir);
    if (!entries.ok()) continue;
    for (const std::string& bdev : Numbered(*entries, "bdev")) {
      const std::string dir = set_dir + bdev + "/";
      const std::initializer_list<Label> labels = {{"backing_device", bdev}, {"uuid", uuid}};
      add_attributes(dir, kBdevAttributes, labels);
      AddWritebackRateDebug(files_, dir, labels, families);
    }
    for (const std::string& cache : Numbered(*entries, "cache")) {
      const std::string dir = set_dir + cache + "/";
      const std::initializer_list<Label> labels = {{"cache_device", cache}, {"uuid", uuid}};
      add_attributes(dir, kCacheAttributes, labels);
      if (options_.priority_stats) AddPriorityStats(files_, dir, labels, families);
    }
  }
  families.MoveTo(out);
  files_.Sweep();
  return Status::Ok();
}

}  // namespace vitals::collectors
