#include "procfs/timex.h"

#include <sys/timex.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vitals::procfs {

Result<Timex> ReadTimex() {
  struct timex tx {};  // modes 0: read only.
  const int state = adjtimex(&tx);
  if (state < 0) {
    const int err = errno;
    return Error{std::string("adjtimex: ") + std::strerror(err), err};
  }
  Timex out;
  out.state = state;
  out.offset = tx.offset;
  out.freq = tx.freq;
  out.maxerror = tx.maxerror;
  out.esterror = tx.esterror;
  out.status = tx.status;
  out.constant = tx.constant;
  out.tick = tx.tick;
  out.ppsfreq = tx.ppsfreq;
  out.jitter = tx.jitter;
  out.shift = tx.shift;
  out.stabil = tx.stabil;
  out.jitcnt = tx.jitcnt;
  out.calcnt = tx.calcnt;
  out.errcnt = tx.errcnt;
  out.stbcnt = tx.stbcnt;
  out.tai = tx.tai;
  return out;
}

}  // namespace vitals::procfs
