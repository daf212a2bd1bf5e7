#include "procfs/bonding.h"

#include <fcntl.h>

#include <algorithm>
#include <string_view>

#include "procfs/file_reader.h"

namespace vitals::procfs {
namespace {

// Go's strings.Fields on ASCII white space (sysfs lists interface names).
std::vector<std::string> Fields(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  std::vector<std::string> fields;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && space(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !space(s[i])) ++i;
    if (i > start) fields.emplace_back(s.substr(start, i - start));
  }
  return fields;
}

// The whole file, or the error (errno kept).
Result<std::string> ReadWhole(const std::string& path) {
  std::string buffer;
  const auto text = ReadFileAt(AT_FDCWD, path.c_str(), buffer);
  if (!text.ok()) return text.failure();
  return std::string(*text);
}

bool TrimmedIsUp(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s == "up";
}

// One master: its slaves and how many are up, or why it cannot be told.
Result<BondingMaster> ReadMaster(const std::string& class_net, const std::string& name) {
  const std::string dir = class_net + "/" + name;
  const auto slaves = ReadWhole(dir + "/bonding/slaves");
  if (!slaves.ok()) return Error{slaves.error(), slaves.sys_errno()};
  BondingMaster master;
  master.name = name;
  for (const std::string& slave : Fields(*slaves)) {
    auto state = ReadWhole(dir + "/lower_" + slave + "/bonding_slave/mii_status");
    if (!state.ok() && state.failure().Vanished()) {
      state = ReadWhole(dir + "/slave_" + slave + "/bonding_slave/mii_status");
    }
    if (!state.ok()) return Error{state.error(), state.sys_errno()};
    ++master.slaves;
    if (TrimmedIsUp(*state)) ++master.active;
  }
  return master;
}

}  // namespace

Result<BondingState> ReadBonding(const std::string& class_net) {
  const auto masters = ReadWhole(class_net + "/bonding_masters");
  if (!masters.ok()) return masters.failure();
  BondingState state;
  for (const std::string& name : Fields(*masters)) {
    // A name listed twice is one master (node_exporter keeps them in a map).
    const auto seen = [&name](const BondingMaster& m) { return m.name == name; };
    if (std::any_of(state.masters.begin(), state.masters.end(), seen)) continue;
    auto master = ReadMaster(class_net, name);
    if (master.ok()) {
      state.masters.push_back(std::move(*master));
    } else {
      state.skipped.push_back(name + ": " + master.error());
    }
  }
  return state;
}

}  // namespace vitals::procfs
