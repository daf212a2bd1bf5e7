// The shared process identity on fake /proc trees: one instance per (root, rules),
// a decision kept per (pid, start time), children folded into their ancestor's group.
#include "collectors/process_identity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

// tests/fixtures/pid/sleep/stat with pid, comm, ppid (field 4) and start time (22) set.
void WriteProcess(const test::TempDir& proc, int64_t pid, int64_t ppid, const std::string& comm,
                  uint64_t start, const std::string& argv0) {
  const std::string captured = test::ReadFixture("pid/sleep/stat");
  auto fields = test::Tokens(captured.substr(captured.rfind(')') + 1));
  fields[4 - 3] = std::to_string(ppid);
  fields[22 - 3] = std::to_string(start);
  std::string line = std::to_string(pid) + " (" + comm + ")";
  for (const auto& field : fields) line += " " + field;
  const auto dir = proc.path() / std::to_string(pid);
  test::WriteFile(dir / "stat", line + "\n");
  test::WriteFile(dir / "cmdline", argv0 + std::string(1, '\0'));
}

ProcessesOptions Rules(bool children = true) {
  ProcessesOptions options;
  ProcessGroupSpec spec;
  spec.name = *NameTemplate::Parse("{{.ExeBase}}");
  spec.exe = {"trainer", "server"};
  options.groups.push_back(std::move(spec));
  options.children = children;
  return options;
}

std::string GroupOf(ProcessClassifier& classifier, int64_t pid) {
  const auto identity = classifier.Classify(pid);
  if (!identity) return "(gone)";
  if (!identity->group) return "(none)";
  return identity->group->name + (identity->inherited ? " (inherited)" : "");
}

TEST(ProcessClassifierTest, EqualRulesShareOneInstance) {
  test::TempDir proc;
  auto first = ProcessClassifier::Shared(proc.path().string(), Rules());
  auto same = ProcessClassifier::Shared(proc.path().string(), Rules());
  EXPECT_EQ(first, same);
  EXPECT_NE(first, ProcessClassifier::Shared(proc.path().string(), Rules(false)));
  test::TempDir other;
  EXPECT_NE(first, ProcessClassifier::Shared(other.path().string(), Rules()));
  // Any other option gets its own instance, so options() (gpu reads max_groups from it)
  // is always the caller's, also while a reload still holds the old one.
  ProcessesOptions bounded = Rules();
  bounded.max_groups = 3;
  const auto other_options = ProcessClassifier::Shared(proc.path().string(), bounded);
  EXPECT_NE(first, other_options);
  EXPECT_EQ(other_options->options().max_groups, 3);
  EXPECT_EQ(first->options().max_groups, Rules().max_groups);
}

TEST(ProcessClassifierTest, DecidedOncePerProcessAndAfreshForAReusedPid) {
  test::TempDir proc;
  WriteProcess(proc, 10, 1, "trainer", 500, "/opt/trainer");
  ProcessClassifier classifier(proc.path().string(), Rules());
  EXPECT_EQ(GroupOf(classifier, 10), "trainer");
  // The same process rewrites its argv: it keeps its group.
  WriteProcess(proc, 10, 1, "trainer", 500, "renamed");
  EXPECT_EQ(GroupOf(classifier, 10), "trainer");
  // Another process with the same pid (another start time): decided again.
  WriteProcess(proc, 10, 1, "server", 900, "/usr/bin/server");
  EXPECT_EQ(GroupOf(classifier, 10), "server");
  EXPECT_EQ(GroupOf(classifier, 11), "(gone)");
}

TEST(ProcessClassifierTest, ChildrenFoldIntoTheNearestMatchingAncestor) {
  test::TempDir proc;
  WriteProcess(proc, 10, 1, "trainer", 500, "/opt/trainer");
  WriteProcess(proc, 20, 10, "sh", 600, "/bin/sh");
  WriteProcess(proc, 30, 20, "worker", 700, "/opt/worker");
  WriteProcess(proc, 40, 1, "orphan", 800, "/opt/orphan");
  ProcessClassifier classifier(proc.path().string(), Rules());
  EXPECT_EQ(GroupOf(classifier, 30), "trainer (inherited)");
  EXPECT_EQ(GroupOf(classifier, 20), "trainer (inherited)");
  EXPECT_EQ(GroupOf(classifier, 40), "(none)");
  ProcessClassifier alone(proc.path().string(), Rules(false));
  EXPECT_EQ(GroupOf(alone, 30), "(none)");
}

TEST(ProcessClassifierTest, AncestryWalkIsBounded) {
  test::TempDir proc;
  // Above any pid_max (2^22), so no fake pid is this test's own, where the walk stops.
  constexpr int64_t kTrainer = 5'000'000;
  WriteProcess(proc, kTrainer, 1, "trainer", 1, "/opt/trainer");
  // A chain longer than kMaxAncestry below the trainer.
  const int64_t deepest = kTrainer + kMaxAncestry + 1;
  for (int64_t pid = kTrainer + 1; pid <= deepest; ++pid) {
    WriteProcess(proc, pid, pid - 1, "sh", 2, "/bin/sh");
  }
  ProcessClassifier classifier(proc.path().string(), Rules());
  EXPECT_EQ(GroupOf(classifier, deepest), "(none)");
  ProcessClassifier fresh(proc.path().string(), Rules());
  EXPECT_EQ(GroupOf(fresh, deepest - 1), "trainer (inherited)");
}

}  // namespace
}  // namespace vitals::collectors
