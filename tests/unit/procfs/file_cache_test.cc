#include "procfs/file_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::TempDir;
using test::WriteFile;

TEST(FileCacheTest, ReadsAndKeepsFileOpen) {
  TempDir dir;
  WriteFile(dir.path() / "mtu", "1500\n");
  FileCache cache;
  const auto first = cache.Read(dir.Sub("mtu"));
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(*first, "1500\n");
  EXPECT_EQ(cache.open_files(), 1u);
  WriteFile(dir.path() / "mtu", "9000\n");  // Rewritten in place: the open fd sees it.
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("mtu")), "9000");
  EXPECT_EQ(cache.open_files(), 1u);
}

TEST(FileCacheTest, MissingFileIsAnErrorAndNotKept) {
  TempDir dir;
  FileCache cache;
  const auto missing = cache.Read(dir.Sub("speed"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find(dir.Sub("speed")), std::string::npos) << missing.error();
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("speed")), "");
  EXPECT_EQ(cache.open_files(), 0u);
  WriteFile(dir.path() / "speed", "1000\n");
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("speed")), "1000");
}

TEST(FileCacheTest, SweepClosesFilesNotReadSinceLastSweep) {
  TempDir dir;
  WriteFile(dir.path() / "a", "A\n");
  WriteFile(dir.path() / "b", "B\n");
  FileCache cache;
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("a")), "A");
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("b")), "B");
  cache.Sweep();
  EXPECT_EQ(cache.open_files(), 2u);
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("a")), "A");
  cache.Sweep();  // b was not read in this round: closed.
  EXPECT_EQ(cache.open_files(), 1u);
  cache.Sweep();
  EXPECT_EQ(cache.open_files(), 0u);
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("b")), "B");  // Reopened on demand.
}

TEST(FileCacheTest, BoundedNumberOfOpenFiles) {
  TempDir dir;
  FileCache cache(2);
  for (int i = 0; i < 5; ++i) {
    WriteFile(dir.path() / std::to_string(i), "value " + std::to_string(i) + "\n");
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(cache.ReadTrimmed(dir.Sub(std::to_string(i))), "value " + std::to_string(i));
    }
    EXPECT_EQ(cache.open_files(), 2u);
  }
}

TEST(FileCacheTest, ReadTrimmedStripsWhitespace) {
  TempDir dir;
  WriteFile(dir.path() / "operstate", " \tup \n\n");
  FileCache cache;
  EXPECT_EQ(cache.ReadTrimmed(dir.Sub("operstate")), "up");
}

}  // namespace
}  // namespace vitals::procfs
