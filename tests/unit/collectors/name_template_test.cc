#include "collectors/name_template.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER in UTF-8.

NameTemplate MustParse(std::string_view text) {
  auto parsed = NameTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error());
  return parsed.ok() ? *parsed : NameTemplate();
}

// One process's values, each distinct so a wrong field shows.
struct Values {
  Regex::NamedCaptures matches = {{"Cluster", "main"}, {"Port", "5432"}};
  TemplateValues Get() const {
    TemplateValues values;
    values.comm = "postgres";
    values.exe_base = "pg_ctl";
    values.exe_full = "/usr/lib/postgresql/15/bin/pg_ctl";
    values.username = "dbuser";
    values.matches = &matches;
    values.pid = 4242;
    values.start_time_ticks = 382179;
    values.cgroups = "[/ /system.slice/postgresql.service]";
    return values;
  }
};

TEST(NameTemplateTest, EveryField) {
  const Values values;
  const struct {
    const char* text;
    const char* expanded;
  } cases[] = {
      {"{{.Comm}}", "postgres"},
      {"{{.ExeBase}}", "pg_ctl"},
      {"{{.ExeFull}}", "/usr/lib/postgresql/15/bin/pg_ctl"},
      {"{{.Username}}", "dbuser"},
      {"{{.Matches.Cluster}}", "main"},
      {"{{.Matches.Port}}", "5432"},
      {"{{.PID}}", "4242"},
      {"{{.StartTime}}", "382179"},
      {"{{.Cgroups}}", "[/ /system.slice/postgresql.service]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const NameTemplate name = MustParse(c.text);
    EXPECT_EQ(name.text(), c.text);
    EXPECT_FALSE(name.IsStatic());
    EXPECT_EQ(name.Expand(values.Get()), c.expanded);
    // Only {{.Cgroups}} makes the classifier read /proc/PID/cgroup.
    EXPECT_EQ(name.UsesCgroups(), std::string(c.text) == "{{.Cgroups}}");
  }
}

TEST(NameTemplateTest, AllFieldsWithLiteralTextAround) {
  const Values values;
  const NameTemplate name = MustParse(
      "pg:{{.Comm}}/{{.ExeBase}} {{.ExeFull}}@{{.Username}}[{{.Matches.Cluster}}:"
      "{{.Matches.Port}}]#{{.PID}}+{{.StartTime}}.");
  EXPECT_EQ(name.Expand(values.Get()),
            "pg:postgres/pg_ctl /usr/lib/postgresql/15/bin/pg_ctl@dbuser[main:5432]#4242+382179.");
}

TEST(NameTemplateTest, SpacesInsideBraces) {
  const Values values;
  for (const char* text : {"{{ .Comm }}", "{{.Comm }}", "{{  .Comm}}", "{{\t.Comm\t}}"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(MustParse(text).Expand(values.Get()), "postgres");
  }
  EXPECT_EQ(MustParse("a {{ .Matches.Cluster }} b").Expand(values.Get()), "a main b");
}

TEST(NameTemplateTest, AdjacentPlaceholders) {
  const Values values;
  EXPECT_EQ(MustParse("{{.Comm}}{{.PID}}{{.Comm}}").Expand(values.Get()), "postgres4242postgres");
}

TEST(NameTemplateTest, StaticTemplates) {
  const Values values;
  for (const char* text : {"app", "my group", "", "a { b } c", "{single}", "}"}) {
    SCOPED_TRACE(text);
    const NameTemplate name = MustParse(text);
    EXPECT_TRUE(name.IsStatic());
    EXPECT_EQ(name.text(), text);
    EXPECT_EQ(name.Expand(values.Get()), text);
    EXPECT_EQ(name.Expand(TemplateValues{}), text);  // Values do not matter.
  }
}

TEST(NameTemplateTest, MissingMatchExpandsToEmpty) {
  const Values values;
  EXPECT_EQ(MustParse("x{{.Matches.Nope}}y").Expand(values.Get()), "xy");
  TemplateValues without = values.Get();
  without.matches = nullptr;
  EXPECT_EQ(MustParse("x{{.Matches.Cluster}}y").Expand(without), "xy");
}

TEST(NameTemplateTest, LargeNumbers) {
  TemplateValues values;
  values.pid = 4194304;  // pid_max on 64-bit kernels.
  values.start_time_ticks = UINT64_MAX;
  EXPECT_EQ(MustParse("{{.PID}} {{.StartTime}}").Expand(values), "4194304 18446744073709551615");
}

TEST(NameTemplateTest, ExpansionIsValidUtf8) {
  TemplateValues values;
  values.comm =
      "a\xff"
      "b";
  values.exe_base = "\xc3\xa9t\xc3\xa9";  // "été", already valid.
  EXPECT_EQ(MustParse("{{.Comm}}|{{.ExeBase}}").Expand(values),
            "a" + kFffd + "b|\xc3\xa9t\xc3\xa9");
}

struct BadTemplate {
  const char* name;
  const char* text;
  const char* says;  // A fragment the error message must contain.
  friend void PrintTo(const BadTemplate& c, std::ostream* os) { *os << c.name; }
};

class NameTemplateBadInputTest : public ::testing::TestWithParam<BadTemplate> {};

TEST_P(NameTemplateBadInputTest, IsAnError) {
  const auto parsed = NameTemplate::Parse(GetParam().text);
  ASSERT_FALSE(parsed.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(parsed.error().find(GetParam().says), std::string::npos) << parsed.error();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, NameTemplateBadInputTest,
    ::testing::Values(
        BadTemplate{"UnknownField", "{{.Cmdline}}", "unsupported template action '{{.Cmdline}}'"},
        BadTemplate{"LowerCaseField", "{{.comm}}", "unsupported template action"},
        BadTemplate{"NoDot", "{{Comm}}", "unsupported template action '{{Comm}}'"},
        BadTemplate{"EmptyAction", "{{}}", "unsupported template action"},
        BadTemplate{"BlankAction", "{{   }}", "unsupported template action"},
        BadTemplate{"Pipeline", "{{.Comm | printf \"%s\"}}", "unsupported template action"},
        BadTemplate{"Function", "{{printf \"%s\" .Comm}}", "unsupported template action"},
        BadTemplate{"IfAction", "{{if .Comm}}x{{end}}", "unsupported template action"},
        BadTemplate{"MatchesWithoutName", "{{.Matches}}", "unsupported template action"},
        BadTemplate{"MatchesEmptyName", "{{.Matches.}}", "unsupported template action"},
        BadTemplate{"ErrorListsSupported", "{{.Exe}}", ".Matches.NAME"},
        BadTemplate{"UnclosedAtEnd", "{{.Comm", "unclosed '{{'"},
        BadTemplate{"UnclosedAfterText", "app-{{", "unclosed '{{'"},
        BadTemplate{"SingleClosingBrace", "{{.Comm}", "unclosed '{{'"},
        BadTemplate{"SecondUnclosed", "{{.Comm}}-{{.PID", "unclosed '{{'"},
        BadTemplate{"StrayClosing", "app}}", "unbalanced '}}'"},
        BadTemplate{"StrayClosingAfterField", "{{.Comm}}}}", "unbalanced '}}'"},
        BadTemplate{"ClosingBeforeOpening", "}}{{.Comm}}", "unbalanced '}}'"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::collectors
