#include "procfs/interrupts.h"

#include "base/text.h"

namespace vitals::procfs {
namespace {

std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  for (std::string_view field = NextField(text); !field.empty(); field = NextField(text)) {
    fields.push_back(field);
  }
  return fields;
}

std::string Join(const std::vector<std::string_view>& fields, size_t from) {
  std::string joined;
  for (size_t i = from; i < fields.size(); ++i) {
    if (i > from) joined += ' ';
    joined += fields[i];
  }
  return joined;
}

// Go's strconv.Atoi: an optional sign, then decimal digits.
bool IsNumbered(std::string_view name) {
  if (!name.empty() && (name[0] == '+' || name[0] == '-')) name.remove_prefix(1);
  return ParseU64(name).has_value();
}

// A name given twice keeps its last line (node_exporter's map), in its first place.
void Keep(std::vector<Interrupt>& out, Interrupt interrupt) {
  for (auto& earlier : out) {
    if (earlier.name == interrupt.name) {
      earlier = std::move(interrupt);
      return;
    }
  }
  out.push_back(std::move(interrupt));
}

}  // namespace

Result<std::vector<Interrupt>> ParseInterrupts(std::string_view text) {
  if (text.empty()) return Error{"empty file"};
  const size_t cpus = Fields(NextLine(text)).size();
  std::vector<Interrupt> out;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    const auto fields = Fields(line);
    if (fields.size() < cpus + 2) continue;  // ERR and MIS: one total, no description.
    Interrupt interrupt;
    interrupt.name = std::string(fields[0].substr(0, fields[0].size() - 1));  // Drop the ':'.
    for (size_t cpu = 1; cpu <= cpus; ++cpu) {
      const auto count = ParseU64(fields[cpu]);
      if (!count) return Error{"malformed count in line: " + std::string(line)};
      interrupt.per_cpu.push_back(*count);
    }
    if (IsNumbered(interrupt.name)) {
      interrupt.info = std::string(fields[cpus + 1]);
      interrupt.devices = Join(fields, cpus + 2);
    } else {
      interrupt.info = Join(fields, cpus + 1);
    }
    Keep(out, std::move(interrupt));
  }
  return out;
}

}  // namespace vitals::procfs
