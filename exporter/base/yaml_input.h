// What every YAML reader shares (the --config.file loader, each collector's own
// section readers, --web.config.file): the error that carries a position, the
// "file:line:column: message" form, the type and key checks whose wording users see,
// and reading the file.
#pragma once

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <initializer_list>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::yaml_input {

// Thrown inside a loader only; turned into "file:line:column: message" at its top.
struct Error : std::runtime_error {
  Error(const YAML::Mark& where, const std::string& message)
      : std::runtime_error(message), mark(where) {}
  YAML::Mark mark;
};

// "name:line:column: message", counting from 1 as editors do.
std::string Located(const std::string& name, const YAML::Mark& mark, const std::string& message);

// How a node reads in an error: "a mapping", "a list", "nothing" or the quoted scalar
// (through Quote).
std::string Describe(const YAML::Node& node);

// Text from the file as an error quotes it: single-quoted, bytes outside printable ASCII
// escaped (\n, \xNN), cut after kMaxQuoted bytes ("..."), so an error stays one short
// line whatever the file holds.
constexpr size_t kMaxQuoted = 64;
std::string Quote(std::string_view text);

// The one document of `text` (a null node when it is empty); a second document
// ("---") is an error, not silently ignored.
YAML::Node LoadOne(const std::string& text);

void ExpectMap(const YAML::Node& node, const std::string& what);
std::string AsString(const YAML::Node& node, const std::string& key);
bool AsBool(const YAML::Node& node, const std::string& key);
int AsPositiveInt(const YAML::Node& node, const std::string& key);
int AsNonNegativeInt(const YAML::Node& node, const std::string& key);
// A positive Go-style duration ("5s", "250ms") of at most `max` (a bigger one is a
// typo, and would overflow the clocks it is added to).
constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(1);
std::chrono::milliseconds AsDuration(const YAML::Node& node, const std::string& key,
                                     std::chrono::milliseconds max = kMaxDuration);
// "1h", "90s", "250ms": how a limit reads in an error.
std::string FormatDuration(std::chrono::milliseconds duration);
std::vector<std::string> AsStringList(const YAML::Node& node, const std::string& key);

// The key's name; rejects non-scalar keys and repeats (yaml-cpp silently keeps the
// first of two equal keys, and a repeated key is almost always a mistake).
std::string UniqueKey(const YAML::Node& key, const std::string& section,
                      std::set<std::string>& seen);

// Rejects repeated keys and keys outside `allowed`, so typos never pass silently.
// `unsupported`, when given, names keys that are known elsewhere but not implemented,
// and its message replaces the "unknown key" one.
using UnsupportedKey = const char* (*)(std::string_view key);
void CheckKeys(const YAML::Node& map, const std::string& section,
               std::span<const std::string_view> allowed, UnsupportedKey unsupported = nullptr);
inline void CheckKeys(const YAML::Node& map, const std::string& section,
                      std::initializer_list<std::string_view> allowed,
                      UnsupportedKey unsupported = nullptr) {
  CheckKeys(map, section, std::span(allowed.begin(), allowed.size()), unsupported);
}

// The biggest configuration file read; a config is a few KiB.
constexpr size_t kMaxFileBytes = 1 << 20;

// The text of a regular file of at most kMaxFileBytes, or "path:1:1: <why>": is a
// directory, not a <what> / is not a regular file / cannot open <what> / cannot read
// <what> / is larger than 1 MiB. Opened non-blocking, so a FIFO never hangs the caller.
Result<std::string> ReadFile(const std::string& path, const std::string& what);

}  // namespace vitals::yaml_input
