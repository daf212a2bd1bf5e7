#include "procfs/cpuinfo.h"

#include <string>

#include "procfs/go_text.h"
#include "procfs/hwmon.h"

namespace vitals::procfs {
namespace {

constexpr size_t kMaxRead = 1024 * 1024;  // util.ReadFileNoStat's limit.

std::vector<std::string> Strings(const std::vector<std::string_view>& views) {
  return {views.begin(), views.end()};
}

// Applies one "key: value" line to `cpu`; false when a numeric field does not parse.
bool Apply(std::string_view key, std::string_view value, CpuInfo& cpu) {
  if (key == "vendor" || key == "vendor_id") {
    cpu.vendor_id = value;
  } else if (key == "cpu family") {
    cpu.cpu_family = value;
  } else if (key == "model") {
    cpu.model = value;
  } else if (key == "model name") {
    cpu.model_name = value;
  } else if (key == "stepping") {
    cpu.stepping = value;
  } else if (key == "microcode") {
    cpu.microcode = value;
  } else if (key == "cache size") {
    cpu.cache_size = value;
  } else if (key == "physical id") {
    cpu.physical_id = value;
  } else if (key == "core id") {
    cpu.core_id = value;
  } else if (key == "flags") {
    cpu.flags = Strings(GoFields(value));
  } else if (key == "bugs") {
    cpu.bugs = Strings(GoFields(value));
  } else if (key == "cpu MHz" || key == "bogomips") {
    return ParseGoFloat(value).has_value();
  } else if (key == "siblings" || key == "cpu cores" || key == "cpuid level" ||
             key == "clflush size" || key == "cache_alignment") {
    return ParseGoUint32(value).has_value();
  }
  return true;
}

}  // namespace

Result<std::vector<CpuInfo>> ParseCpuInfo(std::string_view text) {
  GoLines lines(text.substr(0, kMaxRead));
  std::string_view line;
  bool found = false;
  while (lines.Next(line)) {
    if (!GoTrimSpace(line).empty()) {
      found = true;
      break;
    }
  }
  if (!found) line = {};
  const size_t first_sep = line.find(": ");
  if (!line.starts_with("processor") || first_sep == std::string_view::npos) {
    return Error{"invalid cpuinfo file: first line \"" + std::string(line.substr(0, 80)) + "\""};
  }
  std::vector<CpuInfo> cpus(1);
  const auto first = ParseGoUint32(line.substr(first_sep + 2));
  if (first) cpus[0].processor = *first;
  if (!first) {
    return Error{"cpuinfo: processor number in \"" + std::string(line.substr(0, 80)) + "\""};
  }
  while (lines.Next(line)) {
    const size_t sep = line.find(": ");
    if (sep == std::string_view::npos) continue;  // Go's key would hold the ':' and match nothing.
    const std::string_view key = GoTrimSpace(line.substr(0, sep));
    const std::string_view value = line.substr(sep + 2);
    bool ok = true;
    if (key == "processor") {
      cpus.emplace_back();
      const auto processor = ParseGoUint32(value);
      ok = processor.has_value();
      cpus.back().processor = processor.value_or(0);
    } else {
      ok = Apply(key, value, cpus.back());
    }
    if (!ok) {
      return Error{"cpuinfo: bad number in \"" + std::string(line.substr(0, 80)) + "\""};
    }
  }
  return cpus;
}

}  // namespace vitals::procfs
