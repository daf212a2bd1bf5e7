#include "collectors/uname_collector.h"

#include <sys/utsname.h>

#include <cerrno>
#include <cstring>

#include "collectors/metric_builder.h"

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

}  // namespace vitals::collectors
