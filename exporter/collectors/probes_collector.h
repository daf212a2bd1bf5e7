// probes: blackbox-style HTTP and TCP probes of configured targets, run at scrape
// time. All targets of one scrape run concurrently on one libcurl multi handle; each
// is bounded by its module's timeout and the whole pass by the scrape deadline (the
// Prometheus scrape timeout minus 0.5 s, when the HTTP layer knows it).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/collector.h"
#include "collectors/regex.h"

namespace vitals::collectors {

enum class ProberKind { kHttp, kTcp };

// Sent with every HTTP probe, on every hop. /probe refuses a request that carries it
// (508), so a target that redirects to an exporter's /probe (its own or another's)
// costs one refused request instead of a chain of probes that ends when every worker
// is busy. Not configurable in a module's headers.
inline constexpr const char* kProbeMarkerHeader = "X-Vitals-Probe";
// Redirects followed at most, as blackbox_exporter (and curl's default in vitals).
inline constexpr int kMaxRedirects = 10;
// The longest module timeout accepted: /probe and each scrape stay bounded.
inline constexpr std::chrono::milliseconds kMaxProbeTimeout{60'000};

// Inclusive ranges of HTTP status codes; "2xx" is {200, 299}.
using StatusRanges = std::vector<std::pair<int, int>>;

// "200" or "2xx" -> a range; nullopt when malformed or outside 100..599.
std::optional<std::pair<int, int>> ParseStatusCodeSpec(std::string_view text);
// Whether `code` is in one of `ranges`; empty ranges mean 2xx (the default).
bool StatusAllowed(const StatusRanges& ranges, long code);

struct HttpProbeOptions {
  std::string method = "GET";       // GET or HEAD.
  StatusRanges valid_status_codes;  // Empty: 2xx.
  bool follow_redirects = true;
  std::vector<Regex> fail_if_body_not_matches;  // Every one must match the body.
  std::vector<std::pair<std::string, std::string>> headers;
  bool tls_insecure_skip_verify = false;
  std::string ca_file;  // Empty: the system's CA bundle.

  bool operator==(const HttpProbeOptions&) const = default;
};

struct TcpProbeOptions {
  bool tls = false;
  bool tls_insecure_skip_verify = false;
  std::string ca_file;

  bool operator==(const TcpProbeOptions&) const = default;
};

struct ProbeModule {
  ProberKind prober = ProberKind::kHttp;
  std::chrono::milliseconds timeout{5000};
  HttpProbeOptions http;
  TcpProbeOptions tcp;

  bool operator==(const ProbeModule&) const = default;
};

struct ProbeTarget {
  std::string target;  // A URL (http) or host:port (tcp).
  std::string module;
  std::string group;
  std::vector<std::pair<std::string, std::string>> labels;  // Extra labels, sorted by name.

  bool operator==(const ProbeTarget&) const = default;
};

struct ProbesOptions {
  std::map<std::string, ProbeModule, std::less<>> modules;
  std::vector<ProbeTarget> targets;
  // /probe?target=: each pattern must match the whole target. Empty: any target.
  std::vector<Regex> allowed_targets;

  bool operator==(const ProbesOptions&) const = default;
};

// Whether /probe may probe `target`.
bool ProbeTargetAllowed(const ProbesOptions& options, std::string_view target);

// Whether `name: value` may be sent as a header: name an RFC 9110 token, value free of
// control characters (CR and LF would start another header) but for tab.
bool ValidHeaderName(std::string_view name);
bool ValidHeaderValue(std::string_view value);

struct ProbeResult {
  bool success = false;
  double duration_seconds = 0;
  long http_status = 0;  // 0: no HTTP response (or a TCP probe).
  // Seconds per phase: resolve, connect, tls, processing, transfer.
  std::vector<std::pair<const char*, double>> phases;
  std::optional<double> earliest_cert_expiry;  // Unix seconds.
  std::string error;                           // Why it failed, for the debug log.
};

// Runs every probe concurrently; results come back in the order of `targets`.
// Redirects are followed here, not by curl: each hop is checked against
// `allowed_targets` when given (/probe), and a module's headers go only to hops on
// the target's own scheme, host and port.
std::vector<ProbeResult> RunProbes(const std::vector<const ProbeTarget*>& targets,
                                   const std::vector<const ProbeModule*>& modules,
                                   Deadline deadline,
                                   const ProbesOptions* allowed_targets = nullptr);

// Appends probe_* families for `targets` (parallel to `results`), labelled by
// target, module, group and the target's labels when `target_labels` (/metrics);
// /probe answers without them, as blackbox_exporter does.
void AppendProbeFamilies(const std::vector<const ProbeTarget*>& targets,
                         const std::vector<const ProbeModule*>& modules,
                         const std::vector<ProbeResult>& results, bool target_labels,
                         Families& out);

// What /probe?target=&module= answers: one probe, blackbox_exporter's families without
// target labels, or a refusal with the HTTP status to give (400: unknown module, 403:
// target not in allowed_targets).
struct ProbeAnswer {
  int http_status = 200;
  std::string refusal;  // Why, when http_status is not 200.
  Families families;
};
ProbeAnswer ProbeOnce(const ProbesOptions& options, const std::string& target,
                      const std::string& module, const ScrapeContext& context);

class ProbesCollector : public Collector {
 public:
  explicit ProbesCollector(const ProbesOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  struct State {
    uint64_t consecutive_failures = 0;
    std::optional<double> last_success;  // Unix seconds.
  };
  ProbesOptions options_;
  std::vector<State> states_;  // Parallel to options_.targets.
};

}  // namespace vitals::collectors
