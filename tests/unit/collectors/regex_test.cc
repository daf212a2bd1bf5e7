#include "collectors/regex.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vitals::collectors {
namespace {

using Captures = std::map<std::string, std::string>;

Regex MustCompile(std::string_view pattern) {
  auto regex = Regex::Compile(pattern);
  EXPECT_TRUE(regex.ok()) << pattern << ": " << (regex.ok() ? "" : regex.error());
  return regex.ok() ? *regex : Regex();
}

// Named captures as a map: PCRE2 reports them in name order, not group order.
std::optional<Captures> Named(const Regex& regex, std::string_view subject) {
  const auto found = regex.SearchNamed(subject);
  if (!found) return std::nullopt;
  Captures captures;
  for (const auto& [name, value] : *found) {
    EXPECT_TRUE(captures.emplace(name, value).second) << "name " << name << " twice";
  }
  return captures;
}

TEST(RegexTest, CompileErrorsCarryPatternAndOffset) {
  for (const char* pattern : {"(", "^(veth", "[z-a]", "a{2,1}", "(?P<x>a", "(?<1bad>a)", "*a"}) {
    SCOPED_TRACE(pattern);
    const auto regex = Regex::Compile(pattern);
    ASSERT_FALSE(regex.ok());
    const std::string& message = regex.error();
    EXPECT_NE(message.find("invalid regular expression '" + std::string(pattern) + "'"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(" at offset "), std::string::npos) << message;
  }
}

TEST(RegexTest, ErrorOffsetPointsIntoThePattern) {
  // PCRE2 reports "missing closing parenthesis" at the end of "ab(cd": offset 5.
  const auto regex = Regex::Compile("ab(cd");
  ASSERT_FALSE(regex.ok());
  EXPECT_NE(regex.error().find("at offset 5"), std::string::npos) << regex.error();
}

TEST(RegexTest, InvalidUtf8PatternIsAnErrorNotACrash) {
  const auto regex = Regex::Compile("a\xff");
  EXPECT_FALSE(regex.ok());
}

TEST(RegexTest, DefaultConstructedMatchesNothing) {
  const Regex regex;
  EXPECT_TRUE(regex.empty());
  EXPECT_FALSE(regex.Search(""));
  EXPECT_FALSE(regex.Search("anything"));
  EXPECT_EQ(regex.SearchNamed("anything"), std::nullopt);
}

TEST(RegexTest, SearchIsUnanchoredLikeGoMatchString) {
  const Regex regex = MustCompile("queue=jobs");
  EXPECT_FALSE(regex.empty());
  EXPECT_EQ(regex.pattern(), "queue=jobs");
  EXPECT_TRUE(regex.Search("python3 worker --queue=jobs --verbose"));
  EXPECT_TRUE(regex.Search("queue=jobs"));
  EXPECT_FALSE(regex.Search("queue=job"));
  EXPECT_FALSE(regex.Search(""));
  // Anchors still anchor.
  const Regex anchored = MustCompile("^worker$");
  EXPECT_TRUE(anchored.Search("worker"));
  EXPECT_FALSE(anchored.Search("a worker"));
  EXPECT_FALSE(anchored.Search("workers"));
}

TEST(RegexTest, EmptyPatternMatchesEverything) {
  const Regex regex = MustCompile("");
  EXPECT_TRUE(regex.Search(""));
  EXPECT_TRUE(regex.Search("x"));
}

TEST(RegexTest, GoSyntaxWorks) {
  EXPECT_TRUE(MustCompile("\\d+").Search("cachesrv 1000"));
  EXPECT_FALSE(MustCompile("\\d").Search("no digits here"));
  EXPECT_TRUE(MustCompile("(?i)POSTGRES").Search("/usr/lib/postgresql/15/bin/postgres"));
  EXPECT_FALSE(MustCompile("POSTGRES").Search("/usr/lib/postgresql/15/bin/postgres"));
  EXPECT_TRUE(MustCompile("\\s--queue=\\w+").Search("worker --queue=jobs"));
  EXPECT_TRUE(MustCompile("^/usr/(s?bin)/[^/]+$").Search("/usr/sbin/sshd"));
}

TEST(RegexTest, SubjectIsNotNulTerminated) {
  // cmdline arguments are joined by the caller; a NUL in the middle is still searched past.
  const std::string subject("left\0right", 10);
  EXPECT_TRUE(MustCompile("right").Search(subject));
  // Only the view's bytes are searched, not what follows them in memory.
  const std::string_view prefix = std::string_view("abcdef").substr(0, 3);
  EXPECT_FALSE(MustCompile("def").Search(prefix));
  EXPECT_FALSE(MustCompile("c$").Search(std::string_view("abcd").substr(0, 2)));
  EXPECT_TRUE(MustCompile("b$").Search(std::string_view("abcd").substr(0, 2)));
}

TEST(RegexTest, SearchNamedPythonAndPerlSyntax) {
  const Regex python = MustCompile("-D /var/lib/dbsrv/(?P<Cluster>[^ ]+)");
  EXPECT_EQ(Named(python, "dbsrv -c config_file=x -D /var/lib/dbsrv/main"),
            (Captures{{"Cluster", "main"}}));
  const Regex perl = MustCompile("-D /var/lib/dbsrv/(?<Cluster>[^ ]+)");
  EXPECT_EQ(Named(perl, "dbsrv -D /var/lib/dbsrv/replica -p 5433"),
            (Captures{{"Cluster", "replica"}}));
  EXPECT_EQ(Named(python, "dbsrv -D /srv/other"), std::nullopt);
}

TEST(RegexTest, SearchNamedReportsEveryNameOfTheFirstMatch) {
  // Names given out of alphabetical order; an unnamed group in between is not reported.
  const Regex regex = MustCompile("(?P<zone>[a-z]+)-(\\d+)-(?P<app>[a-z]+)");
  EXPECT_EQ(Named(regex, "x eu-12-web us-13-db"), (Captures{{"app", "web"}, {"zone", "eu"}}));
}

TEST(RegexTest, UnsetOptionalGroupsGiveEmptyStrings) {
  const Regex regex = MustCompile("(?P<opt>x)?(?P<name>y+)(?P<tail>z)?");
  EXPECT_EQ(Named(regex, "yy"), (Captures{{"name", "yy"}, {"opt", ""}, {"tail", ""}}));
  // An alternation leaves the other branch's group unset.
  const Regex either = MustCompile("(?P<a>aaa)|(?P<b>bbb)");
  EXPECT_EQ(Named(either, "--bbb--"), (Captures{{"a", ""}, {"b", "bbb"}}));
  // A group that matched the empty string is also "".
  EXPECT_EQ(Named(MustCompile("k(?P<e>\\d*)v"), "kv"), (Captures{{"e", ""}}));
}

TEST(RegexTest, SearchNamedWithoutNamesIsAnEmptyMatch) {
  const auto found = MustCompile("(a)(b)").SearchNamed("xab");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->empty());
}

TEST(RegexTest, InvalidUtf8SubjectDoesNotCrash) {
  const std::string subject = "\xff\xfe /opt/\xc3(bin\x80/app \xed\xa0\x80 --x=\xf4\x90\x80\x80";
  const Regex any = MustCompile(".");
  EXPECT_TRUE(any.Search(subject));  // The ASCII bytes still match.
  EXPECT_TRUE(MustCompile("app").Search(subject));
  EXPECT_TRUE(MustCompile("--x=").Search(subject));
  EXPECT_FALSE(MustCompile("zzz").Search(subject));
  // Valid text between invalid bytes can be captured.
  EXPECT_EQ(Named(MustCompile("/(?P<dir>[a-z]+)/"), "\xff/opt/\xfe"), (Captures{{"dir", "opt"}}));
  // Subjects made only of invalid bytes: no crash, no match for '.'.
  for (const char* bad : {"\xff", "\x80\x80", "\xc3", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80"}) {
    SCOPED_TRACE(::testing::PrintToString(std::string(bad)));
    EXPECT_FALSE(any.Search(bad));
    EXPECT_EQ(Named(MustCompile("(?P<n>.*)"), bad), (Captures{{"n", ""}}));
  }
}

TEST(RegexTest, CopiesShareTheCompiledCode) {
  Regex copy;
  {
    const Regex original = MustCompile("(?P<n>\\d+)");
    copy = original;
  }  // The original is gone; the copy still works.
  EXPECT_FALSE(copy.empty());
  EXPECT_EQ(copy.pattern(), "(?P<n>\\d+)");
  EXPECT_EQ(Named(copy, "port 8080"), (Captures{{"n", "8080"}}));
}

uint64_t Errors(std::string_view reason) {
  const auto counts = RegexErrorCounts();
  for (size_t i = 0; i < kRegexErrorReasons.size(); ++i) {
    if (kRegexErrorReasons[i] == reason) return counts[i];
  }
  ADD_FAILURE() << "no reason " << reason;
  return 0;
}

// A catastrophic pattern on a hostile subject stops at the match limit: no match,
// counted, instead of a silent "no match" after seconds of backtracking.
TEST(RegexTest, CatastrophicBacktrackingHitsTheMatchLimitAndIsCounted) {
  const Regex regex = MustCompile("^(a+)+$");
  const std::string hostile = std::string(64, 'a') + "!";
  const uint64_t before = Errors("match_limit");
  EXPECT_FALSE(regex.Search(hostile));
  EXPECT_FALSE(regex.SearchNamed(hostile).has_value());
  EXPECT_EQ(Errors("match_limit"), before + 2);
  // A plain non-match is not an error.
  EXPECT_FALSE(regex.Search("aaab"));
  EXPECT_EQ(Errors("match_limit"), before + 2);
}

// A 166 KB command line overflowed the JIT's default 32 KiB stack, and the process
// silently matched no group; it is retried on a large stack and matches.
TEST(RegexTest, HugeSubjectsMatchDespiteTheJitStack) {
  const std::string command_line = "/usr/bin/java " + std::string(166 * 1024, 'x');
  const uint64_t before = Errors("jit_stack_limit");
  EXPECT_TRUE(MustCompile("^(.)*$").Search(command_line));
  const auto captures = Named(MustCompile("^(?P<prog>\\S+) (?:x|y)*$"), command_line);
  EXPECT_EQ(captures, (Captures{{"prog", "/usr/bin/java"}}));
  EXPECT_EQ(Errors("jit_stack_limit"), before);
  // Beyond what even the large stack holds: no match, and counted as such.
  const std::string giant(1024 * 1024, 'x');
  EXPECT_FALSE(MustCompile("^(?:x|y)*$").Search(giant));
  EXPECT_EQ(Errors("jit_stack_limit"), before + 1);
}

}  // namespace
}  // namespace vitals::collectors
