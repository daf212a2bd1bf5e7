#include "collectors/interrupts_collector.h"

#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/interrupts.h"

namespace vitals::collectors {

InterruptsCollector::InterruptsCollector(const Paths& paths)
    : interrupts_file_(procfs::JoinPath(paths.procfs, "interrupts")) {}

Status InterruptsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = interrupts_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto interrupts = procfs::ParseInterrupts(*text);
  if (!interrupts.ok()) return Status::Fail(interrupts_file_.path() + ": " + interrupts.error());
  auto& family = AddFamily(out, "node_interrupts_total", "Interrupt details.", kCounter);
  for (const auto& interrupt : *interrupts) {
    for (size_t cpu = 0; cpu < interrupt.per_cpu.size(); ++cpu) {
      const std::string cpu_label = std::to_string(cpu);  // Column position, as node_exporter.
      AddSample(family, static_cast<double>(interrupt.per_cpu[cpu]),
                {{"cpu", cpu_label},
                 {"type", interrupt.name},
                 {"info", interrupt.info},
                 {"devices", interrupt.devices}});
    }
  }
  return Status::Ok();
}

extern const CollectorSpec interrupts_spec = {
    .name = "interrupts",
    .enabled_by_default = false,
    .description = "Interrupts per CPU and source (/proc/interrupts)",
    .make = MakeWithPaths<InterruptsCollector>,
};

}  // namespace vitals::collectors
