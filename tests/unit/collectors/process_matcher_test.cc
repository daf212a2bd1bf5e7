#include "collectors/process_matcher.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace vitals::collectors {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD in UTF-8.

NameTemplate Template(std::string_view text) {
  auto parsed = NameTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : NameTemplate();
}

Regex Re(std::string_view pattern) {
  auto regex = Regex::Compile(pattern);
  EXPECT_TRUE(regex.ok()) << pattern;
  return regex.ok() ? *regex : Regex();
}

struct SpecBuilder {
  ProcessGroupSpec spec;
  explicit SpecBuilder(std::string_view name) { spec.name = Template(name); }
  SpecBuilder& Comm(std::vector<std::string> names) {
    spec.comm = std::move(names);
    return *this;
  }
  SpecBuilder& Exe(std::vector<std::string> names) {
    spec.exe = std::move(names);
    return *this;
  }
  SpecBuilder& Cmdline(const std::vector<std::string>& patterns) {
    for (const auto& pattern : patterns) spec.cmdline.push_back(Re(pattern));
    return *this;
  }
  operator ProcessGroupSpec() const { return spec; }  // NOLINT(google-explicit-constructor)
};

// A process: comm plus argv (kept alive here, ProcessFacts points at it).
struct Process {
  std::string comm;
  std::vector<std::string> argv;
  std::string username = "root";
  int64_t pid = 100;
  uint64_t start = 5000;
  ProcessFacts Facts() const { return {comm, &argv, username, pid, start, {}}; }
};

std::optional<GroupMatch> Match(const std::vector<ProcessGroupSpec>& specs,
                                const Process& process) {
  return MatchGroup(specs, process.Facts());
}

// "spec_index:name", or "none".
std::string Describe(const std::optional<GroupMatch>& match) {
  return match ? std::to_string(match->spec_index) + ":" + match->name : "none";
}

TEST(BaseNameTest, GoFilepathBaseSemantics) {
  // The examples of Go's filepath.Base documentation and its edge cases.
  const struct {
    const char* path;
    const char* base;
  } cases[] = {
      {"/usr/bin/python3", "python3"},
      {"python3", "python3"},
      {"/a/b/", "b"},
      {"a/b//", "b"},
      {"", "."},
      {"/", "/"},
      {"///", "/"},
      {"a//b", "b"},
      {"./x", "x"},
      {"/x", "x"},
      {".", "."},
      {"..", ".."},
      {"/opt/we ird/sp\"a\\ce", "sp\"a\\ce"},
  };
  for (const auto& c : cases) EXPECT_EQ(BaseName(c.path), c.base) << "'" << c.path << "'";
}

TEST(MatchGroupTest, NoSpecsNoMatch) {
  const Process process{"sleep", {"sleep", "1"}};
  EXPECT_EQ(Match({}, process), std::nullopt);
}

TEST(MatchGroupTest, FirstMatchWins) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("first").Comm({"other"}), SpecBuilder("second").Comm({"sleep"}),
      SpecBuilder("third").Comm({"sleep"}), SpecBuilder("fourth").Exe({"sleep"})};
  EXPECT_EQ(Describe(Match(specs, {"sleep", {"sleep", "100"}})), "1:second");
  EXPECT_EQ(Describe(Match(specs, {"other", {"sleep", "100"}})), "0:first");
  EXPECT_EQ(Describe(Match(specs, {"renamed", {"/bin/sleep", "100"}})), "3:fourth");
  EXPECT_EQ(Describe(Match(specs, {"cat", {"cat"}})), "none");
}

TEST(MatchGroupTest, CommIsAnOrListOfExactNames) {
  const std::vector<ProcessGroupSpec> specs = {SpecBuilder("g").Comm({"nginx", "php-fpm"})};
  EXPECT_EQ(Describe(Match(specs, {"nginx", {"nginx: master"}})), "0:g");
  EXPECT_EQ(Describe(Match(specs, {"php-fpm", {"php-fpm: pool www"}})), "0:g");
  EXPECT_EQ(Describe(Match(specs, {"nginx2", {"nginx"}})), "none");  // Not a prefix match.
  EXPECT_EQ(Describe(Match(specs, {"ngin", {"nginx"}})), "none");    // Not a substring.
  EXPECT_EQ(Describe(Match(specs, {"NGINX", {"nginx"}})), "none");   // Case matters.
  EXPECT_EQ(Describe(Match(specs, {"php", {"php-fpm"}})), "none");   // argv is not comm.
}

TEST(MatchGroupTest, ExeComparesBaseNameUnlessTheNameHasASlash) {
  const std::vector<ProcessGroupSpec> by_base = {SpecBuilder("base").Exe({"python3"})};
  EXPECT_EQ(Describe(Match(by_base, {"x", {"/usr/bin/python3", "a.py"}})), "0:base");
  EXPECT_EQ(Describe(Match(by_base, {"x", {"python3", "a.py"}})), "0:base");
  EXPECT_EQ(Describe(Match(by_base, {"x", {"/usr/bin/python3.11"}})), "none");
  EXPECT_EQ(Describe(Match(by_base, {"python3", {"/usr/bin/env", "python3"}})), "none");

  const std::vector<ProcessGroupSpec> by_path = {SpecBuilder("path").Exe({"/usr/bin/python3"})};
  EXPECT_EQ(Describe(Match(by_path, {"x", {"/usr/bin/python3", "a.py"}})), "0:path");
  EXPECT_EQ(Describe(Match(by_path, {"x", {"python3", "a.py"}})), "none");
  EXPECT_EQ(Describe(Match(by_path, {"x", {"/usr/local/bin/python3"}})), "none");

  // A relative name with a slash is compared with the whole argv[0] too.
  const std::vector<ProcessGroupSpec> relative = {SpecBuilder("rel").Exe({"bin/app"})};
  EXPECT_EQ(Describe(Match(relative, {"app", {"bin/app"}})), "0:rel");
  EXPECT_EQ(Describe(Match(relative, {"app", {"/srv/bin/app"}})), "none");

  // Any name of the list.
  const std::vector<ProcessGroupSpec> either = {SpecBuilder("e").Exe({"/sbin/init", "sshd"})};
  EXPECT_EQ(Describe(Match(either, {"sshd", {"/usr/sbin/sshd", "-D"}})), "0:e");
  EXPECT_EQ(Describe(Match(either, {"systemd", {"/sbin/init"}})), "0:e");
}

TEST(MatchGroupTest, CmdlineRegexesAllMustMatchTheSpaceJoinedArgv) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("worker").Cmdline({"worker --queue=jobs", "--verbose"})};
  // The first regex spans two arguments: argv is joined with single spaces.
  EXPECT_EQ(Describe(Match(specs, {"python3", {"python3", "worker", "--queue=jobs", "--verbose"}})),
            "0:worker");
  EXPECT_EQ(Describe(Match(specs, {"python3", {"python3", "worker", "--queue=jobs"}})), "none");
  EXPECT_EQ(Describe(Match(specs, {"python3", {"python3", "--verbose"}})), "none");
}

TEST(MatchGroupTest, CapturesFeedTheTemplate) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("db-{{.Matches.Cluster}}-{{.Matches.Port}}")
          .Cmdline({"-D /var/lib/dbsrv/(?P<Cluster>\\w+)", "-p (?<Port>\\d+)"})};
  EXPECT_EQ(Describe(Match(specs, {"dbsrv", {"dbsrv", "-D", "/var/lib/dbsrv/main", "-p", "5432"}})),
            "0:db-main-5432");
  EXPECT_EQ(Describe(Match(specs, {"dbsrv", {"dbsrv", "-D", "/var/lib/dbsrv/replica"}})), "none");
}

TEST(MatchGroupTest, SameCaptureNameInTwoRegexesLaterWins) {
  // process-exporter stores captures in a map, regex by regex: the later regex's value
  // replaces the earlier one's (process_matcher.h: "merged (later ones win)").
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.Matches.Role}}")
          .Cmdline({"--role=(?P<Role>[a-z]+)", "--override=(?P<Role>[a-z]+)"})};
  EXPECT_EQ(Describe(Match(specs, {"app", {"app", "--role=primary", "--override=standby"}})),
            "0:standby");
}

TEST(MatchGroupTest, EverySelectorMustMatch) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("strict").Comm({"python3"}).Exe({"python3"}).Cmdline({"serve"}),
      SpecBuilder("fallback").Comm({"python3"})};
  EXPECT_EQ(Describe(Match(specs, {"python3", {"/usr/bin/python3", "serve"}})), "0:strict");
  // One selector failing sends the process to the next group.
  EXPECT_EQ(Describe(Match(specs, {"python3", {"/usr/bin/python3", "build"}})), "1:fallback");
  EXPECT_EQ(Describe(Match(specs, {"python3", {"/usr/bin/python", "serve"}})), "1:fallback");
  EXPECT_EQ(Describe(Match(specs, {"python", {"/usr/bin/python3", "serve"}})), "none");
}

TEST(MatchGroupTest, KernelThreadUsesCommForExeBaseAndExeFull) {
  const Process kthreadd{"kthreadd", {}};
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.ExeBase}}|{{.ExeFull}}|{{.Comm}}").Comm({"kthreadd"})};
  EXPECT_EQ(Describe(Match(specs, kthreadd)), "0:kthreadd|kthreadd|kthreadd");
  // No argv: exe selectors never match it, even by its comm.
  const std::vector<ProcessGroupSpec> by_exe = {SpecBuilder("{{.ExeBase}}").Exe({"kthreadd"})};
  EXPECT_EQ(Describe(Match(by_exe, kthreadd)), "none");
  // A null argv pointer is the same as an empty one.
  const ProcessFacts facts{"kworker/0:1", nullptr, "root", 7, 1, {}};
  const auto match = MatchGroup({SpecBuilder("{{.ExeBase}}").Comm({"kworker/0:1"})}, facts);
  EXPECT_EQ(Describe(match), "0:kworker/0:1");  // The comm as is: no base name taken.
}

TEST(MatchGroupTest, ExeBaseAndExeFullFromArgv0) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.ExeBase}} {{.ExeFull}}").Cmdline({"."})};
  EXPECT_EQ(Describe(Match(specs, {"sleep", {"/usr/local/bin/queued", "1000"}})),
            "0:queued /usr/local/bin/queued");
  EXPECT_EQ(Describe(Match(specs, {"x", {"/srv/app/", "1"}})), "0:app /srv/app/");
  EXPECT_EQ(Describe(Match(specs, {"x", {"/", "1"}})), "0:/ /");
}

TEST(MatchGroupTest, EmptyArgv0ExeBaseIsDot) {
  // argv[0] "" with more arguments: Go's filepath.Base("") is ".".
  const std::vector<ProcessGroupSpec> specs = {SpecBuilder("[{{.ExeBase}}]").Comm({"x"})};
  EXPECT_EQ(Describe(Match(specs, {"x", {"", "arg"}})), "0:[.]");
}

TEST(MatchGroupTest, UsernamePidAndStartTimeReachTheTemplate) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.Username}}/{{.PID}}/{{.StartTime}}").Comm({"sleep"})};
  Process process{"sleep", {"sleep", "1"}};
  process.username = "nobody";
  process.pid = 31337;
  process.start = 382179;
  EXPECT_EQ(Describe(Match(specs, process)), "0:nobody/31337/382179");
}

TEST(MatchGroupTest, EmptyExpansionIsNoMatchAndFallsThrough) {
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.Matches.Tag}}").Cmdline({"app(?: --tag=(?P<Tag>\\w+))?"}),
      SpecBuilder("untagged").Comm({"app"})};
  EXPECT_EQ(Describe(Match(specs, {"app", {"app", "--tag=blue"}})), "0:blue");
  EXPECT_EQ(Describe(Match(specs, {"app", {"app"}})), "1:untagged");
  EXPECT_EQ(Describe(Match({specs[0]}, {"app", {"app"}})), "none");
}

TEST(MatchGroupTest, InvalidUtf8IsReadLikeGo) {
  // Go's regexp sees an invalid byte as U+FFFD, which '.' matches; the capture and the
  // group name come out as valid UTF-8.
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.Matches.Word}}").Cmdline({"run (?P<Word>a.b)"})};
  EXPECT_EQ(Describe(Match(specs, {"run",
                                   {"run",
                                    "a\xff"
                                    "b"}})),
            "0:a" + kFffd + "b");

  const std::vector<ProcessGroupSpec> by_comm = {
      SpecBuilder("{{.Comm}}:{{.ExeBase}}").Comm({"bad\xfe"})};
  EXPECT_EQ(Describe(Match(by_comm, {"bad\xfe", {"/opt/x\xc0\xaf/y\xff"}})),
            "0:bad" + kFffd + ":y" + kFffd);
}

TEST(MatchGroupTest, HostileArgvNamesStayVerbatim) {
  // Quotes, backslashes and newlines are valid UTF-8: they reach the name unchanged
  // (the exposition layer escapes them).
  const std::vector<ProcessGroupSpec> specs = {
      SpecBuilder("{{.ExeBase}}|{{.Matches.Q}}").Cmdline({"--q=(?P<Q>\\S+)"})};
  EXPECT_EQ(Describe(Match(specs, {"x", {"/tmp/a \"b\\c", "--q=q\"uo\\te", "new\nline"}})),
            "0:a \"b\\c|q\"uo\\te");
}

}  // namespace
}  // namespace vitals::collectors
