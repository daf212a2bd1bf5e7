// The processes: section of the configuration file and process-exporter's own format
// (a top-level process_names: list).
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "collectors/processes_collector.h"
#include "server/config.h"
#include "server/config_error_case.h"
#include "test_util.h"

namespace vitals::server {
namespace {

using collectors::MatchGroup;
using collectors::ProcessFacts;
using collectors::ProcessGroupSpec;

using Enabled = std::map<std::string, bool, std::less<>>;

// "spec_index:name" of the group `comm`/`argv` falls into, or "none".
std::string GroupOf(const std::vector<ProcessGroupSpec>& specs, const std::string& comm,
                    const std::vector<std::string>& argv) {
  const ProcessFacts facts{comm, &argv, "root", 1234, 5678, {}};
  const auto match = MatchGroup(specs, facts);
  return match ? std::to_string(match->spec_index) + ":" + match->name : "none";
}

std::vector<std::string> Patterns(const ProcessGroupSpec& spec) {
  std::vector<std::string> patterns;
  for (const auto& regex : spec.cmdline) patterns.push_back(regex.pattern());
  return patterns;
}

TEST(ParseConfigProcessesTest, DefaultsWithoutTheSection) {
  const auto config = ParseConfig("collectors:\n  cpu: {}\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  const auto& options = config->collector_options.Get<collectors::ProcessesOptions>();
  EXPECT_TRUE(options.groups.empty());
  EXPECT_TRUE(options.children);
  EXPECT_FALSE(options.recheck);
  EXPECT_EQ(options.max_groups, 1000);
  EXPECT_TRUE(options.threads);  // process-exporter's -threads defaults to true.
  EXPECT_FALSE(options.gather_smaps);
  EXPECT_FALSE(options.remove_empty_groups);
  EXPECT_EQ(options.kept_files, 4096);
  EXPECT_EQ(config->enabled.count("process_groups"), 0u);
}

TEST(ParseConfigProcessesTest, ValidConfigRoundTrip) {
  const auto config = ParseConfig(
      "processes:\n"
      "  children: false\n"
      "  recheck: true\n"
      "  max_groups: 50\n"
      "  threads: false\n"
      "  gather_smaps: true\n"
      "  remove_empty_groups: true\n"
      "  kept_files: 0\n"
      "  groups:\n"
      "    - name: \"db-{{ .Matches.Cluster }}\"\n"
      "      cmdline:\n"
      "        - -D /var/lib/dbsrv/(?P<Cluster>\\w+)\n"
      "        - '--port=\\d+'\n"
      "      per_pid: true\n"
      "      max_pids: 3\n"
      "    - comm: [nginx, php-fpm]\n"
      "    - name: fixed\n"
      "      exe:\n"
      "        - /usr/bin/python3\n"
      "        - sleep\n"
      "      comm: [python3, sleep]\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"process_groups", true}}));  // Turned on by the groups.
  const auto& options = config->collector_options.Get<collectors::ProcessesOptions>();
  EXPECT_FALSE(options.children);
  EXPECT_TRUE(options.recheck);
  EXPECT_EQ(options.max_groups, 50);
  EXPECT_FALSE(options.threads);
  EXPECT_TRUE(options.gather_smaps);
  EXPECT_TRUE(options.remove_empty_groups);
  EXPECT_EQ(options.kept_files, 0);  // 0 is allowed: keep nothing open.
  ASSERT_EQ(options.groups.size(), 3u);

  const auto& db = options.groups[0];
  EXPECT_EQ(db.name.text(), "db-{{ .Matches.Cluster }}");
  EXPECT_FALSE(db.name.IsStatic());
  EXPECT_TRUE(db.comm.empty());
  EXPECT_TRUE(db.exe.empty());
  EXPECT_EQ(Patterns(db),
            (std::vector<std::string>{"-D /var/lib/dbsrv/(?P<Cluster>\\w+)", "--port=\\d+"}));
  EXPECT_TRUE(db.per_pid);
  EXPECT_EQ(db.max_pids, 3);

  const auto& web = options.groups[1];
  EXPECT_EQ(web.name.text(), "{{.ExeBase}}");  // process-exporter's default.
  EXPECT_EQ(web.comm, (std::vector<std::string>{"nginx", "php-fpm"}));
  EXPECT_FALSE(web.per_pid);
  EXPECT_EQ(web.max_pids, 10);

  const auto& fixed = options.groups[2];
  EXPECT_EQ(fixed.name.text(), "fixed");
  EXPECT_TRUE(fixed.name.IsStatic());
  EXPECT_EQ(fixed.exe, (std::vector<std::string>{"/usr/bin/python3", "sleep"}));
  EXPECT_EQ(fixed.comm, (std::vector<std::string>{"python3", "sleep"}));

  // The parsed groups behave as written.
  EXPECT_EQ(GroupOf(options.groups, "dbsrv", {"dbsrv", "-D", "/var/lib/dbsrv/main", "--port=5432"}),
            "0:db-main");
  EXPECT_EQ(GroupOf(options.groups, "dbsrv", {"dbsrv", "-D", "/var/lib/dbsrv/main"}), "none");
  EXPECT_EQ(GroupOf(options.groups, "php-fpm", {"/usr/sbin/php-fpm8.2", "--nodaemonize"}),
            "1:php-fpm8.2");
  EXPECT_EQ(GroupOf(options.groups, "sleep", {"/bin/sleep", "5"}), "2:fixed");
  EXPECT_EQ(GroupOf(options.groups, "python3", {"/usr/bin/python3", "x.py"}), "2:fixed");
  EXPECT_EQ(GroupOf(options.groups, "python3", {"/usr/local/bin/python3"}), "none");
}

TEST(ParseConfigProcessesTest, EnabledFlag) {
  // Groups switch the collector on unless the file says otherwise; enabled alone is kept.
  const struct {
    const char* yaml;
    Enabled enabled;
    size_t groups;
  } cases[] = {
      {"processes:\n  groups:\n    - comm: [a]\n", {{"process_groups", true}}, 1},
      {"processes:\n  enabled: false\n  groups:\n    - comm: [a]\n",
       {{"process_groups", false}},
       1},
      {"processes:\n  groups:\n    - comm: [a]\n  enabled: false\n",
       {{"process_groups", false}},
       1},
      {"processes:\n  enabled: true\n", {{"process_groups", true}}, 0},
      {"processes:\n  children: true\n", {}, 0},
      {"processes:\n", {}, 0},
      {"process_names:\n  - comm: [a]\nprocesses:\n  enabled: off\n",
       {{"process_groups", false}},
       1},
      {"collectors:\n  process_groups:\n    enabled: false\nprocess_names:\n  - comm: [a]\n",
       {{"process_groups", false}},
       1},
      // collectors.processes is node_exporter's processes collector, not the groups.
      {"collectors:\n  processes:\n    enabled: false\nprocess_names:\n  - comm: [a]\n",
       {{"process_groups", true}, {"processes", false}},
       1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    const auto config = ParseConfig(c.yaml, "c.yml");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_EQ(config->enabled, c.enabled);
    EXPECT_EQ(config->collector_options.Get<collectors::ProcessesOptions>().groups.size(),
              c.groups);
  }
}

TEST(ParseConfigProcessesTest, ProcessExporterFormat) {
  // After the examples in process-exporter's README.
  const auto config = ParseConfig(
      "process_names:\n"
      "  - name: \"{{.Comm}}\"\n"
      "    cmdline:\n"
      "    - '.+'\n"
      "  - name: \"{{.ExeFull}}:{{.Matches.Cfgfile}}\"\n"
      "    exe:\n"
      "    - /usr/local/bin/process-exporter\n"
      "    cmdline:\n"
      "    - -config.path\\s+(?P<Cfgfile>\\S+)\n",
      "all.yaml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"process_groups", true}}));
  const auto& groups = config->collector_options.Get<collectors::ProcessesOptions>().groups;
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name.text(), "{{.Comm}}");
  EXPECT_EQ(Patterns(groups[0]), std::vector<std::string>{".+"});
  EXPECT_EQ(groups[1].exe, std::vector<std::string>{"/usr/local/bin/process-exporter"});
  EXPECT_EQ(Patterns(groups[1]), std::vector<std::string>{"-config.path\\s+(?P<Cfgfile>\\S+)"});
  // The first group takes every process with a command line.
  EXPECT_EQ(GroupOf(groups, "bash", {"/bin/bash"}), "0:bash");
  EXPECT_EQ(GroupOf({groups[1]}, "process-exporte",
                    {"/usr/local/bin/process-exporter", "-config.path", "/etc/pe.yml"}),
            "0:/usr/local/bin/process-exporter:/etc/pe.yml");
}

TEST(ParseConfigProcessesTest, ProcessNamesWithOtherProcessesKeys) {
  // Only groups conflict: the other processes keys still apply to process_names groups.
  const auto config = ParseConfig(
      "processes:\n  children: false\n  max_groups: 7\nprocess_names:\n  - comm: [a]\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_FALSE(config->collector_options.Get<collectors::ProcessesOptions>().children);
  EXPECT_EQ(config->collector_options.Get<collectors::ProcessesOptions>().max_groups, 7);
  EXPECT_EQ(config->collector_options.Get<collectors::ProcessesOptions>().groups.size(), 1u);
}

class ParseConfigProcessesErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(ParseConfigProcessesErrorTest, PointsAtTheOffendingToken) {
  test::ExpectErrorAtToken(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseConfigProcessesErrorTest,
    ::testing::Values(
        test::ErrorCase{"ProcessesNotAMapping", "processes: [a, b]\n", "[a",
                        "processes must be a mapping, got a list"},
        test::ErrorCase{"UnknownKeyInProcesses",
                        "processes:\n  children: true\n  childern: false\n", "childern",
                        "unknown key 'childern' in processes"},
        test::ErrorCase{"UnknownKeyInGroup",
                        "processes:\n  groups:\n    - comm: [a]\n      nmae: x\n", "nmae",
                        "unknown key 'nmae' in processes.groups[0]"},
        test::ErrorCase{
            "UnknownKeyInSecondGroup",
            "processes:\n  groups:\n    - comm: [a]\n    - comm: [b]\n      children: true\n",
            "children", "unknown key 'children' in processes.groups[1]"},
        test::ErrorCase{"DuplicateKeyInGroup",
                        "processes:\n  groups:\n    - comm: [a]\n      exe: [b]\n      comm: [c]\n",
                        "comm: [c]", "duplicate key 'comm' in processes.groups[0]"},
        test::ErrorCase{"GroupWithoutSelectors", "processes:\n  groups:\n    - name: lonely\n",
                        "name: lonely",
                        "processes.groups[0] needs at least one of comm, exe or cmdline"},
        test::ErrorCase{
            "SecondGroupWithoutSelectors",
            "processes:\n  groups:\n    - comm: [a]\n    - name: b\n      per_pid: true\n",
            "name: b", "processes.groups[1] needs at least one of comm, exe or cmdline"},
        test::ErrorCase{"GroupWithEmptySelectorLists",
                        "processes:\n  groups:\n    - {name: x, comm: [], exe: []}\n", "{name: x",
                        "needs at least one of comm, exe or cmdline"},
        test::ErrorCase{"GroupNotAMapping", "processes:\n  groups:\n    - comm: [a]\n    - nginx\n",
                        "nginx", "processes.groups[1] must be a mapping, got 'nginx'"},
        test::ErrorCase{"BadTemplateField",
                        "processes:\n  groups:\n    - name: \"{{.Cmdline}}\"\n      comm: [a]\n",
                        "\"{{.Cmdline}}", "processes.groups[0].name: unsupported template action"},
        test::ErrorCase{"UnclosedTemplate",
                        "processes:\n  groups:\n    - comm: [a]\n      name: app-{{.Comm\n",
                        "app-{{", "processes.groups[0].name: unclosed '{{'"},
        test::ErrorCase{"NameNotAString",
                        "processes:\n  groups:\n    - comm: [a]\n      name: [x]\n", "[x]",
                        "name must be a string, got a list"},
        test::ErrorCase{
            "BadCmdlineRegexPointsAtItsItem",
            "processes:\n  groups:\n    - cmdline:\n        - ok\n        - \"(unclosed\"\n"
            "        - fine\n",
            "\"(unclosed", "processes.groups[0].cmdline: invalid regular expression '(unclosed'"},
        test::ErrorCase{"BadCmdlineRegexInFlowList",
                        "processes:\n  groups:\n    - comm: [a]\n    - cmdline: [ok, \"a)\"]\n",
                        "\"a)", "processes.groups[1].cmdline: invalid regular expression 'a)'"},
        test::ErrorCase{"CmdlineNotAList", "processes:\n  groups:\n    - cmdline: \"^x\"\n", "\"^x",
                        "cmdline must be a list of strings, got '^x'"},
        test::ErrorCase{"CommNotAList", "processes:\n  groups:\n    - comm: nginx\n", "nginx",
                        "comm must be a list of strings, got 'nginx'"},
        test::ErrorCase{"ExeItemNotAString", "processes:\n  groups:\n    - exe: [a, [b]]\n", "[b]",
                        "exe item must be a string, got a list"},
        test::ErrorCase{"ProcessNamesAndGroups",
                        "processes:\n  groups:\n    - comm: [a]\nprocess_names:\n  - comm: [b]\n",
                        "- comm: [b]", "process_names and processes.groups cannot both be set"},
        test::ErrorCase{"GroupsIsAMapping", "processes:\n  groups:\n    comm: [a]\n", "comm: [a]",
                        "processes.groups must be a list of groups, got a mapping"},
        test::ErrorCase{"GroupsIsAScalar", "processes:\n  groups: nginx\n", "nginx",
                        "processes.groups must be a list of groups, got 'nginx'"},
        test::ErrorCase{"ProcessNamesIsAMapping", "process_names: {comm: [a]}\n", "{comm",
                        "process_names must be a list of groups, got a mapping"},
        test::ErrorCase{"UnknownKeyInProcessNames",
                        "process_names:\n  - comm: [a]\n    exe_base: x\n", "exe_base",
                        "unknown key 'exe_base' in process_names[0]"},
        test::ErrorCase{"BadRegexInProcessNames",
                        "process_names:\n  - name: x\n    cmdline:\n    - '[z-a]'\n", "'[z-a]",
                        "process_names[0].cmdline: invalid regular expression '[z-a]'"},
        test::ErrorCase{
            "MaxPidsZero",
            "processes:\n  groups:\n    - comm: [a]\n      per_pid: true\n      max_pids: 0\n",
            "0\n", "max_pids must be a positive integer, got '0'"},
        test::ErrorCase{"MaxPidsNotANumber",
                        "processes:\n  groups:\n    - comm: [a]\n      max_pids: ten\n", "ten",
                        "max_pids must be a positive integer"},
        test::ErrorCase{"PerPidNotABool",
                        "processes:\n  groups:\n    - comm: [a]\n      per_pid: 2\n", "2\n",
                        "per_pid must be true or false, got '2'"},
        test::ErrorCase{"MaxGroupsZero", "processes:\n  max_groups: 0\n", "0\n",
                        "max_groups must be a positive integer, got '0'"},
        test::ErrorCase{"MaxGroupsNegative", "processes:\n  max_groups: -5\n", "-5",
                        "max_groups must be a positive integer"},
        test::ErrorCase{"KeptFilesNegative", "processes:\n  kept_files: -1\n", "-1",
                        "kept_files must be 0 or a positive integer, got '-1'"},
        test::ErrorCase{"KeptFilesNotANumber", "processes:\n  kept_files: many\n", "many",
                        "kept_files must be 0 or a positive integer"},
        test::ErrorCase{"ChildrenNotABool", "processes:\n  children: sometimes\n", "sometimes",
                        "children must be true or false"},
        test::ErrorCase{"RecheckNotABool", "processes:\n  recheck: [yes]\n", "[yes]",
                        "recheck must be true or false, got a list"},
        test::ErrorCase{"ThreadsNotABool", "processes:\n  threads: 3\n", "3\n",
                        "threads must be true or false, got '3'"},
        test::ErrorCase{"GatherSmapsNotABool", "processes:\n  gather_smaps: often\n", "often",
                        "gather_smaps must be true or false"},
        test::ErrorCase{"RemoveEmptyGroupsNotABool", "processes:\n  remove_empty_groups: [x]\n",
                        "[x]", "remove_empty_groups must be true or false, got a list"},
        test::ErrorCase{"CgroupsTemplateTypo",
                        "processes:\n  groups:\n    - name: '{{.Cgroup}}'\n      comm: [a]\n",
                        "'{{.Cgroup}}'", "unsupported template action '{{.Cgroup}}'"},
        test::ErrorCase{"EnabledNotABool", "processes:\n  enabled: maybe\n", "maybe",
                        "enabled must be true or false, got 'maybe'"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::server
