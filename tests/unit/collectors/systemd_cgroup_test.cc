#include "collectors/systemd_cgroup.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

// The `total=` of a PSI fixture's "some" or "full" line, in seconds.
double PressureSeconds(const std::string& fixture, std::string_view kind) {
  for (const std::string& line : test::Lines(test::ReadFixture(fixture))) {
    const auto tokens = test::Tokens(line);
    if (tokens.size() == 5 && tokens[0] == kind) return std::stod(tokens[4].substr(6)) / 1e6;
  }
  ADD_FAILURE() << fixture << " has no " << kind << " line";
  return -1;
}

class UnitCgroupFamiliesTest : public ::testing::Test {
 protected:
  std::string Root() const { return dir_.Sub("fs/cgroup"); }
  void Write(const std::string& relative, std::string_view text) {
    test::WriteFile(dir_.Sub("fs/cgroup/" + relative), text);
  }
  void CopyPressure(const std::string& directory) {
    for (const char* file : {"cpu.pressure", "memory.pressure", "io.pressure"}) {
      Write(directory + "/" + file,
            test::ReadFixture(std::string("sys/fs/cgroup/unified/") + file));
    }
  }

  test::TempDir dir_;
  Families out_;
};

TEST_F(UnitCgroupFamiliesTest, CgroupV2ReadsEveryFile) {
  const std::string unit_dir = "system.slice/ssh.service";
  Write(unit_dir + "/cpu.stat", "usage_usec 3500000\nuser_usec 2500000\nsystem_usec 1000000\n");
  Write(unit_dir + "/memory.current", "7340032\n");
  Write(unit_dir + "/memory.peak", "9437184\n");
  Write(unit_dir + "/pids.current", "3\n");
  Write(unit_dir + "/io.stat", test::ReadFixture("cgroup/io.stat"));
  CopyPressure(unit_dir);

  UnitCgroupFamilies families(Root(), out_);
  const Status status = families.Add("ssh.service", "/system.slice/ssh.service");
  ASSERT_TRUE(status.ok()) << status.message();

  const test::LabelMap ssh = {{"name", "ssh.service"}};
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_cpu_seconds_total",
                               {{"name", "ssh.service"}, {"mode", "user"}}),
                   2.5);
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_cpu_seconds_total",
                               {{"name", "ssh.service"}, {"mode", "system"}}),
                   1.0);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_memory_bytes", ssh), 7340032);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_memory_peak_bytes", ssh), 9437184);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_tasks", ssh), 3);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_io_read_bytes_total", ssh), 1459200 + 90430464);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_io_written_bytes_total", ssh),
            314773504 + 299008000);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_io_reads_total", ssh), 192 + 8950);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_io_writes_total", ssh), 353 + 1252);
  const std::string psi = "sys/fs/cgroup/unified/";
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_pressure_cpu_waiting_seconds_total", ssh),
                   PressureSeconds(psi + "cpu.pressure", "some"));
  EXPECT_DOUBLE_EQ(
      test::Value(out_, "vitals_systemd_unit_pressure_memory_waiting_seconds_total", ssh),
      PressureSeconds(psi + "memory.pressure", "some"));
  EXPECT_DOUBLE_EQ(
      test::Value(out_, "vitals_systemd_unit_pressure_memory_stalled_seconds_total", ssh),
      PressureSeconds(psi + "memory.pressure", "full"));
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_pressure_io_waiting_seconds_total", ssh),
                   PressureSeconds(psi + "io.pressure", "some"));
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_pressure_io_stalled_seconds_total", ssh),
                   PressureSeconds(psi + "io.pressure", "full"));
  // cpu.pressure's "full" line is not published, as for the host.
  EXPECT_EQ(test::FindFamily(out_, "vitals_systemd_unit_pressure_cpu_stalled_seconds_total"),
            nullptr);
}

TEST_F(UnitCgroupFamiliesTest, HybridHostReadsUnifiedThenV1) {
  // Debian 10/11 style: cpu.stat and PSI in the unified tree, memory and pids in v1's.
  const std::string unit_dir = "/system.slice/cron.service";
  Write("unified" + unit_dir + "/cpu.stat", "usage_usec 750\nuser_usec 500\nsystem_usec 250\n");
  CopyPressure("unified" + unit_dir);
  Write("memory" + unit_dir + "/memory.usage_in_bytes", "1048576\n");
  Write("memory" + unit_dir + "/memory.max_usage_in_bytes", "2097152\n");
  Write("pids" + unit_dir + "/pids.current", "1\n");

  UnitCgroupFamilies families(Root(), out_);
  const Status status = families.Add("cron.service", unit_dir);
  ASSERT_TRUE(status.ok()) << status.message();

  const test::LabelMap cron = {{"name", "cron.service"}};
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_cpu_seconds_total",
                               {{"name", "cron.service"}, {"mode", "user"}}),
                   0.0005);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_memory_bytes", cron), 1048576);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_memory_peak_bytes", cron), 2097152);
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_tasks", cron), 1);
  EXPECT_DOUBLE_EQ(test::Value(out_, "vitals_systemd_unit_pressure_io_stalled_seconds_total", cron),
                   PressureSeconds("sys/fs/cgroup/unified/io.pressure", "full"));
  // v1's blkio counts differently: no I/O families from it.
  EXPECT_FALSE(test::SampleValue(out_, "vitals_systemd_unit_io_read_bytes_total", cron));
}

TEST_F(UnitCgroupFamiliesTest, MissingFilesAreNotAnError) {
  // An older kernel (no memory.peak, no PSI) with the io and pids controllers off.
  Write("system.slice/old.service/cpu.stat", "usage_usec 2\nuser_usec 1\nsystem_usec 1\n");
  Write("system.slice/old.service/memory.current", "4096\n");
  UnitCgroupFamilies families(Root(), out_);
  const Status status = families.Add("old.service", "/system.slice/old.service");
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_memory_bytes", {{"name", "old.service"}}), 4096);
  for (const char* absent : {"vitals_systemd_unit_memory_peak_bytes", "vitals_systemd_unit_tasks",
                             "vitals_systemd_unit_io_reads_total",
                             "vitals_systemd_unit_pressure_cpu_waiting_seconds_total"}) {
    EXPECT_FALSE(test::SampleValue(out_, absent, {{"name", "old.service"}})) << absent;
  }
}

TEST_F(UnitCgroupFamiliesTest, BadFileFailsAfterPublishingTheOthers) {
  const std::string unit_dir = "system.slice/bad.service";
  Write(unit_dir + "/cpu.stat", "usage_usec 2\nuser_usec 1\nsystem_usec 1\n");
  Write(unit_dir + "/memory.peak", "lots\n");
  Write(unit_dir + "/io.stat", "8:0 rbytes\n");
  Write(unit_dir + "/pids.current", "5\n");
  CopyPressure(unit_dir);
  UnitCgroupFamilies families(Root(), out_);
  const Status status = families.Add("bad.service", "/" + unit_dir);
  ASSERT_FALSE(status.ok());
  // The first failure, naming its file.
  EXPECT_NE(status.message().find(unit_dir + "/memory.peak"), std::string::npos)
      << status.message();
  const test::LabelMap bad = {{"name", "bad.service"}};
  EXPECT_EQ(test::Value(out_, "vitals_systemd_unit_tasks", bad), 5);
  EXPECT_TRUE(
      test::SampleValue(out_, "vitals_systemd_unit_pressure_io_waiting_seconds_total", bad));
  EXPECT_FALSE(test::SampleValue(out_, "vitals_systemd_unit_io_reads_total", bad));
}

TEST_F(UnitCgroupFamiliesTest, UnreadableFileFails) {
  // A directory where the file should be: read() gives EISDIR, not "absent".
  std::filesystem::create_directories(
      dir_.Sub("fs/cgroup/system.slice/odd.service/memory.current"));
  UnitCgroupFamilies families(Root(), out_);
  const Status status = families.Add("odd.service", "/system.slice/odd.service");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("memory.current"), std::string::npos) << status.message();
}

TEST_F(UnitCgroupFamiliesTest, FamiliesAndTypes) {
  UnitCgroupFamilies families(Root(), out_);
  std::map<std::string, prometheus::MetricType> types;
  for (const auto& family : out_) types[family.name] = family.type;
  EXPECT_EQ(types.size(), 13u);
  EXPECT_EQ(types["vitals_systemd_unit_memory_peak_bytes"], prometheus::MetricType::Gauge);
  EXPECT_EQ(types["vitals_systemd_unit_tasks"], prometheus::MetricType::Gauge);
  EXPECT_EQ(types["vitals_systemd_unit_io_written_bytes_total"], prometheus::MetricType::Counter);
  EXPECT_EQ(types["vitals_systemd_unit_pressure_memory_stalled_seconds_total"],
            prometheus::MetricType::Counter);
}

}  // namespace
}  // namespace vitals::collectors
