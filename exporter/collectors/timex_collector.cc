#include "collectors/timex_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr double kNanoSeconds = 1000000000;
constexpr double kMicroSeconds = 1000000;
// ppm with a 16-bit binary fraction (NOTES in adjtimex(2)).
constexpr double kPpm16Frac = 1000000.0 * 65536.0;

}  // namespace

Status TimexCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto read = read_();
  if (!read.ok()) {
    if (read.failure().Denied()) return Status::Ok();
    return Status::Fail(read.error());
  }
  const procfs::Timex& tx = *read;
  // offset and jitter follow STA_NANO; maxerror, esterror and tick are always in
  // microseconds.
  const double divisor = (tx.status & procfs::kStaNano) != 0 ? kNanoSeconds : kMicroSeconds;
  // Each expression is node_exporter's, operation for operation, so the doubles match.
  AddSingle(out, "node_timex_sync_status",
            "Is clock synchronized to a reliable server (1 = yes, 0 = no).", kGauge,
            tx.state == procfs::kTimeError ? 0 : 1);
  AddSingle(out, "node_timex_offset_seconds",
            "Time offset in between local system and reference clock.", kGauge,
            static_cast<double>(tx.offset) / divisor);
  AddSingle(out, "node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.",
            kGauge, 1 + static_cast<double>(tx.freq) / kPpm16Frac);
  AddSingle(out, "node_timex_maxerror_seconds", "Maximum error in seconds.", kGauge,
            static_cast<double>(tx.maxerror) / kMicroSeconds);
  AddSingle(out, "node_timex_estimated_error_seconds", "Estimated error in seconds.", kGauge,
            static_cast<double>(tx.esterror) / kMicroSeconds);
  AddSingle(out, "node_timex_status", "Value of the status array bits.", kGauge,
            static_cast<double>(tx.status));
  AddSingle(out, "node_timex_loop_time_constant", "Phase-locked loop time constant.", kGauge,
            static_cast<double>(tx.constant));
  AddSingle(out, "node_timex_tick_seconds", "Seconds between clock ticks.", kGauge,
            static_cast<double>(tx.tick) / kMicroSeconds);
  AddSingle(out, "node_timex_pps_frequency_hertz", "Pulse per second frequency.", kGauge,
            static_cast<double>(tx.ppsfreq) / kPpm16Frac);
  AddSingle(out, "node_timex_pps_jitter_seconds", "Pulse per second jitter.", kGauge,
            static_cast<double>(tx.jitter) / divisor);
  // The PPS interval as the kernel gives it (a power of two, in log2 seconds),
  // unconverted, as node_exporter publishes it.
  AddSingle(out, "node_timex_pps_shift_seconds", "Pulse per second interval duration.", kGauge,
            static_cast<double>(tx.shift));
  AddSingle(out, "node_timex_pps_stability_hertz",
            "Pulse per second stability, average of recent frequency changes.", kGauge,
            static_cast<double>(tx.stabil) / kPpm16Frac);
  AddSingle(out, "node_timex_pps_jitter_total",
            "Pulse per second count of jitter limit exceeded events.", kCounter,
            static_cast<double>(tx.jitcnt));
  AddSingle(out, "node_timex_pps_calibration_total",
            "Pulse per second count of calibration intervals.", kCounter,
            static_cast<double>(tx.calcnt));
  AddSingle(out, "node_timex_pps_error_total", "Pulse per second count of calibration errors.",
            kCounter, static_cast<double>(tx.errcnt));
  AddSingle(out, "node_timex_pps_stability_exceeded_total",
            "Pulse per second count of stability limit exceeded events.", kCounter,
            static_cast<double>(tx.stbcnt));
  AddSingle(out, "node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", kGauge,
            static_cast<double>(tx.tai));
  return Status::Ok();
}

extern const CollectorSpec timex_spec = {
    .name = "timex",
    .enabled_by_default = true,
    .description = "Kernel clock discipline (adjtimex(2))",
    .make = [](const Paths&, const CollectorOptions&) -> std::unique_ptr<Collector> {
      return std::make_unique<TimexCollector>();
    },
};

}  // namespace vitals::collectors
