#include "base/yaml_input.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/duration.h"

namespace vitals::yaml_input {

std::string Located(const std::string& name, const YAML::Mark& mark, const std::string& message) {
  // yaml-cpp counts from 0; editors count from 1. A mark of -1 means "no position".
  const int line = mark.line >= 0 ? mark.line + 1 : 1;
  const int column = mark.column >= 0 ? mark.column + 1 : 1;
  return name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "'" + node.Scalar() + "'";
  }
}

void ExpectMap(const YAML::Node& node, const std::string& what) {
  if (!node.IsMap() && !node.IsNull()) {
    throw Error(node.Mark(), what + " must be a mapping, got " + Describe(node));
  }
}

std::string AsString(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) {
    throw Error(node.Mark(), key + " must be a string, got " + Describe(node));
  }
  return node.Scalar();
}

bool AsBool(const YAML::Node& node, const std::string& key) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    throw Error(node.Mark(), key + " must be true or false, got " + Describe(node));
  }
  return value;
}

int AsPositiveInt(const YAML::Node& node, const std::string& key) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value) || value <= 0) {
    throw Error(node.Mark(), key + " must be a positive integer, got " + Describe(node));
  }
  return value;
}

std::chrono::milliseconds AsDuration(const YAML::Node& node, const std::string& key) {
  const auto value = node.IsScalar() ? ParseDuration(node.Scalar()) : std::nullopt;
  if (!value || value->count() <= 0) {
    throw Error(node.Mark(),
                key + " must be a positive duration like 5s or 250ms, got " + Describe(node));
  }
  return *value;
}

std::vector<std::string> AsStringList(const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) {
    throw Error(node.Mark(), key + " must be a list of strings, got " + Describe(node));
  }
  std::vector<std::string> items;
  for (const auto& item : node) items.push_back(AsString(item, key + " item"));
  return items;
}

std::string UniqueKey(const YAML::Node& key, const std::string& section,
                      std::set<std::string>& seen) {
  if (!key.IsScalar()) throw Error(key.Mark(), "keys in " + section + " must be plain names");
  if (!seen.insert(key.Scalar()).second) {
    throw Error(key.Mark(), "duplicate key '" + key.Scalar() + "' in " + section);
  }
  return key.Scalar();
}

void CheckKeys(const YAML::Node& map, const std::string& section,
               std::span<const std::string_view> allowed, UnsupportedKey unsupported) {
  std::set<std::string> seen;
  for (const auto& item : map) {
    const std::string key = UniqueKey(item.first, section, seen);
    bool known = false;
    for (const auto& name : allowed) known = known || name == key;
    if (known) continue;
    if (const char* why = unsupported ? unsupported(key) : nullptr) {
      throw Error(item.first.Mark(), "'" + key + "' in " + section + " " + why);
    }
    std::string list;
    for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
    throw Error(item.first.Mark(),
                "unknown key '" + key + "' in " + section + " (allowed: " + list + ")");
  }
}

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return vitals::Error{path + ":1:1: is a directory, not a " + what};
  }
  std::ifstream file(path);
  if (!file) return vitals::Error{path + ":1:1: cannot open " + what};
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

}  // namespace vitals::yaml_input
