#include "collectors/entropy_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/sysctl.h"

namespace vitals::collectors {
namespace {

Result<uint64_t> ReadUint(procfs::FileReader& file) {
  const auto text = file.Read();
  if (!text.ok()) return text.failure();
  auto value = procfs::ParseSysctlUint(*text);
  if (!value.ok()) return Error{file.path() + ": " + value.error()};
  return value;
}

}  // namespace

EntropyCollector::EntropyCollector(const Paths& paths)
    : available_file_(procfs::JoinPath(paths.procfs, "sys/kernel/random/entropy_avail"),
                      procfs::ReadMode::kOneRecord),
      pool_size_file_(procfs::JoinPath(paths.procfs, "sys/kernel/random/poolsize"),
                      procfs::ReadMode::kOneRecord) {}

Status EntropyCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // In node_exporter's order: the available bits are published even when the pool
  // size then fails.
  const auto available = ReadUint(available_file_);
  if (!available.ok()) return Status::Fail(available.error());
  AddSingle(out, "node_entropy_available_bits", "Bits of available entropy.", kGauge,
            static_cast<double>(*available));
  const auto pool_size = ReadUint(pool_size_file_);
  if (!pool_size.ok()) return Status::Fail(pool_size.error());
  AddSingle(out, "node_entropy_pool_size_bits", "Bits of entropy pool.", kGauge,
            static_cast<double>(*pool_size));
  return Status::Ok();
}

extern const CollectorSpec entropy_spec = {
    .name = "entropy",
    .enabled_by_default = true,
    .description = "Kernel entropy pool (/proc/sys/kernel/random)",
    .make = MakeWithPaths<EntropyCollector>,
};

}  // namespace vitals::collectors
