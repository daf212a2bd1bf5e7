#include "collectors/uname_collector.h"

#include <sys/utsname.h>

#include <cerrno>
#include <cstring>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {

Status UnameCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  struct utsname uts {};
  if (uname(&uts) != 0) return Status::Fail(std::string("uname: ") + std::strerror(errno));
  AddSample(AddFamily(out, "node_uname_info",
                      "Labeled system information as provided by the uname system call.", kGauge),
            1,
            {{"domainname", uts.domainname},
             {"machine", uts.machine},
             {"nodename", uts.nodename},
             {"release", uts.release},
             {"sysname", uts.sysname},
             {"version", uts.version}});
  return Status::Ok();
}

extern const CollectorSpec uname_spec = {
    .name = "uname",
    .enabled_by_default = true,
    .description = "Kernel and host identity (uname(2))",
    .make = [](const Paths&, const CollectorOptions&) -> std::unique_ptr<Collector> {
      return std::make_unique<UnameCollector>();
    },
};

}  // namespace vitals::collectors
