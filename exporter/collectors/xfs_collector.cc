#include "collectors/xfs_collector.h"

#include <cerrno>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/fs_xfs.h"

namespace vitals::collectors {
namespace {

struct XfsFamily {
  const char* name;
  const char* help;
  std::string_view group;  // The stats line.
  size_t index;            // Its value.
};

// node_exporter 1.5's families, in its order.
constexpr XfsFamily kFamilies[] = {
    {"node_xfs_extent_allocation_extents_allocated_total",
     "Number of extents allocated for a filesystem.", "extent_alloc", 0},
    {"node_xfs_extent_allocation_blocks_allocated_total",
     "Number of blocks allocated for a filesystem.", "extent_alloc", 1},
    {"node_xfs_extent_allocation_extents_freed_total", "Number of extents freed for a filesystem.",
     "extent_alloc", 2},
    {"node_xfs_extent_allocation_blocks_freed_total", "Number of blocks freed for a filesystem.",
     "extent_alloc", 3},
    {"node_xfs_allocation_btree_lookups_total",
     "Number of allocation B-tree lookups for a filesystem.", "abt", 0},
    {"node_xfs_allocation_btree_compares_total",
     "Number of allocation B-tree compares for a filesystem.", "abt", 1},
    {"node_xfs_allocation_btree_records_inserted_total",
     "Number of allocation B-tree records inserted for a filesystem.", "abt", 2},
    {"node_xfs_allocation_btree_records_deleted_total",
     "Number of allocation B-tree records deleted for a filesystem.", "abt", 3},
    {"node_xfs_block_mapping_reads_total",
     "Number of block map for read operations for a filesystem.", "blk_map", 0},
    {"node_xfs_block_mapping_writes_total",
     "Number of block map for write operations for a filesystem.", "blk_map", 1},
    {"node_xfs_block_mapping_unmaps_total", "Number of block unmaps (deletes) for a filesystem.",
     "blk_map", 2},
    {"node_xfs_block_mapping_extent_list_insertions_total",
     "Number of extent list insertions for a filesystem.", "blk_map", 3},
    {"node_xfs_block_mapping_extent_list_deletions_total",
     "Number of extent list deletions for a filesystem.", "blk_map", 4},
    {"node_xfs_block_mapping_extent_list_lookups_total",
     "Number of extent list lookups for a filesystem.", "blk_map", 5},
    {"node_xfs_block_mapping_extent_list_compares_total",
     "Number of extent list compares for a filesystem.", "blk_map", 6},
    {"node_xfs_block_map_btree_lookups_total",
     "Number of block map B-tree lookups for a filesystem.", "bmbt", 0},
    {"node_xfs_block_map_btree_compares_total",
     "Number of block map B-tree compares for a filesystem.", "bmbt", 1},
    {"node_xfs_block_map_btree_records_inserted_total",
     "Number of block map B-tree records inserted for a filesystem.", "bmbt", 2},
    {"node_xfs_block_map_btree_records_deleted_total",
     "Number of block map B-tree records deleted for a filesystem.", "bmbt", 3},
    {"node_xfs_directory_operation_lookup_total",
     "Number of file name directory lookups which miss the operating systems directory name lookup "
     "cache.",
     "dir", 0},
    {"node_xfs_directory_operation_create_total",
     "Number of times a new directory entry was created for a filesystem.", "dir", 1},
    {"node_xfs_directory_operation_remove_total",
     "Number of times an existing directory entry was created for a filesystem.", "dir", 2},
    {"node_xfs_directory_operation_getdents_total",
     "Number of times the directory getdents operation was performed for a filesystem.", "dir", 3},
    {"node_xfs_inode_operation_attempts_total",
     "Number of times the OS looked for an XFS inode in the inode cache.", "ig", 0},
    {"node_xfs_inode_operation_found_total",
     "Number of times the OS looked for and found an XFS inode in the inode cache.", "ig", 1},
    {"node_xfs_inode_operation_recycled_total",
     "Number of times the OS found an XFS inode in the cache, but could not use it as it was being "
     "recycled.",
     "ig", 2},
    {"node_xfs_inode_operation_missed_total",
     "Number of times the OS looked for an XFS inode in the cache, but did not find it.", "ig", 3},
    {"node_xfs_inode_operation_duplicates_total",
     "Number of times the OS tried to add a missing XFS inode to the inode cache, but found it had "
     "already been added by another process.",
     "ig", 4},
    {"node_xfs_inode_operation_reclaims_total",
     "Number of times the OS reclaimed an XFS inode from the inode cache to free memory for "
     "another purpose.",
     "ig", 5},
    {"node_xfs_inode_operation_attribute_changes_total",
     "Number of times the OS explicitly changed the attributes of an XFS inode.", "ig", 6},
    {"node_xfs_read_calls_total", "Number of read(2) system calls made to files in a filesystem.",
     "rw", 1},
    {"node_xfs_write_calls_total", "Number of write(2) system calls made to files in a filesystem.",
     "rw", 0},
    {"node_xfs_vnode_active_total", "Number of vnodes not on free lists for a filesystem.",
     "vnodes", 0},
    {"node_xfs_vnode_allocate_total", "Number of times vn_alloc called for a filesystem.", "vnodes",
     1},
    {"node_xfs_vnode_get_total", "Number of times vn_get called for a filesystem.", "vnodes", 2},
    {"node_xfs_vnode_hold_total", "Number of times vn_hold called for a filesystem.", "vnodes", 3},
    {"node_xfs_vnode_release_total", "Number of times vn_rele called for a filesystem.", "vnodes",
     4},
    {"node_xfs_vnode_reclaim_total", "Number of times vn_reclaim called for a filesystem.",
     "vnodes", 5},
    {"node_xfs_vnode_remove_total", "Number of times vn_remove called for a filesystem.", "vnodes",
     6},
};

std::span<const uint32_t> Group(const procfs::XfsStats& s, std::string_view group) {
  if (group == "extent_alloc") return s.extent_alloc;
  if (group == "abt") return s.abt;
  if (group == "blk_map") return s.blk_map;
  if (group == "bmbt") return s.bmbt;
  if (group == "dir") return s.dir;
  if (group == "ig") return s.ig;
  if (group == "rw") return s.rw;
  return s.vnodes;
}

}  // namespace

XfsCollector::XfsCollector(const Paths& paths)
    : sysfs_(paths.sysfs), fs_xfs_(procfs::JoinPath(paths.sysfs, "fs/xfs")) {}

Status XfsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // filepath.Glob("fs/xfs/*/stats/stats"): every entry, sorted, with that file.
  const auto entries = procfs::ListDirSorted(fs_xfs_);
  if (!entries.ok()) {
    // Glob ignores an unreadable directory; a wrong --path.sysfs fails (node_exporter
    // does not start).
    if (procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(entries.error());
  }
  std::vector<std::pair<std::string, procfs::XfsStats>> filesystems;
  for (const std::string& name : *entries) {
    const std::string path = fs_xfs_ + "/" + name + "/stats/stats";
    const auto text = files_.Read(path);
    if (!text.ok()) {
      if (text.failure().Vanished() || text.sys_errno() == ENOTDIR) continue;  // No match.
      files_.Sweep();
      return Status::Fail(text.error());
    }
    auto stats = procfs::ParseXfsStats(*text);
    if (!stats.ok()) {
      files_.Sweep();
      return Status::Fail(path + ": " + stats.error());
    }
    filesystems.emplace_back(name, std::move(*stats));
  }
  files_.Sweep();
  if (filesystems.empty()) return Status::Ok();
  for (const XfsFamily& spec : kFamilies) {
    auto& family = AddFamily(out, spec.name, spec.help, kCounter);
    for (const auto& [device, stats] : filesystems) {
      AddSample(family, static_cast<double>(Group(stats, spec.group)[spec.index]),
                {{"device", device}});
    }
  }
  return Status::Ok();
}

extern const CollectorSpec xfs_spec = {
    .name = "xfs",
    .enabled_by_default = true,
    .description = "XFS filesystem statistics (/sys/fs/xfs/*/stats/stats)",
    .make = MakeWithPaths<XfsCollector>,
};

}  // namespace vitals::collectors
