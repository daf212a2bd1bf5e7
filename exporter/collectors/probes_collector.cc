#include "collectors/probes_collector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <memory>

#include "collectors/curl_api.h"
#include "collectors/metric_builder.h"

namespace vitals::collectors {
namespace {

// Bodies beyond this are not kept for fail_if_body_not_matches_regexp (still read).
constexpr size_t kMaxBody = 4 << 20;
// How long one curl_multi_poll may sleep before the deadline is checked again.
constexpr int kPollSliceMs = 200;

// The loaded libcurl: RunProbes loads it before anything below runs. Kept in a
// pointer, so the ~60 calls of a probe do not each copy LoadCurl()'s Result.
const CurlApi& Curl() {
  static const CurlApi* const api = *LoadCurl();
  return *api;
}

constexpr size_t kPhases = 5;  // resolve, connect, tls, processing, transfer.
using Phases = std::array<double, kPhases>;

struct Transfer {
  const ProbeTarget* target = nullptr;
  const ProbeModule* module = nullptr;
  const ProbesOptions* allowed = nullptr;  // Checked on each redirect when set (/probe).
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;      // The marker and the module's headers.
  curl_slist* marker_only = nullptr;  // What goes to another host: the marker alone.
  std::string origin;                 // "scheme://host:port" of the target.
  std::string body;
  bool keep_body = false;
  bool done = false;
  CURLcode code = CURLE_OK;
  std::string redirect_error;  // Why a redirect was not followed, when it failed the probe.
  int redirects = 0;
  Phases earlier_hops{};  // Phase seconds of the hops before the current one.
  std::chrono::steady_clock::time_point start;
  Deadline deadline;

  ~Transfer() {
    if (easy != nullptr) Curl().easy_cleanup(easy);
    if (headers != nullptr) Curl().slist_free_all(headers);
    if (marker_only != nullptr) Curl().slist_free_all(marker_only);
  }
};

// "scheme://host:port" of `url` (lower case, default port filled in), empty when curl
// cannot parse it: the unit a module's headers are confined to.
std::string OriginOf(const std::string& url) {
  CURLU* parsed = Curl().url();
  if (parsed == nullptr) return {};
  std::string origin;
  if (Curl().url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    char* port = nullptr;
    if (Curl().url_get(parsed, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        Curl().url_get(parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        Curl().url_get(parsed, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      origin = std::string(scheme) + "://" + host + ":" + port;
      for (char& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    Curl().free(scheme);
    Curl().free(host);
    Curl().free(port);
  }
  Curl().url_cleanup(parsed);
  return origin;
}

// `url` without user name and password: credentials never follow a redirect to
// another host.
std::string WithoutCredentials(const std::string& url) {
  CURLU* parsed = Curl().url();
  if (parsed == nullptr) return url;
  std::string out = url;
  if (Curl().url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    Curl().url_set(parsed, CURLUPART_USER, nullptr, 0);
    Curl().url_set(parsed, CURLUPART_PASSWORD, nullptr, 0);
    Curl().url_set(parsed, CURLUPART_OPTIONS, nullptr, 0);
    char* text = nullptr;
    if (Curl().url_get(parsed, CURLUPART_URL, &text, 0) == CURLUE_OK) out = text;
    Curl().free(text);
  }
  Curl().url_cleanup(parsed);
  return out;
}

// Milliseconds the transfer may still run: what is left of its module's timeout and of
// the scrape deadline.
long RemainingMs(const Transfer& t) {
  const auto now = std::chrono::steady_clock::now();
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.start + t.module->timeout - now);
  if (t.deadline) {
    left = std::min(left, std::chrono::duration_cast<std::chrono::milliseconds>(*t.deadline - now));
  }
  return static_cast<long>(left.count());
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->keep_body && transfer->body.size() < kMaxBody) {
    transfer->body.append(data, std::min(bytes, kMaxBody - transfer->body.size()));
  }
  return bytes;
}

bool HasScheme(std::string_view target) { return target.find("://") != std::string_view::npos; }

void SetTls(CURL* easy, bool insecure, const std::string& ca_file) {
  if (insecure) {
    Curl().easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    Curl().easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!ca_file.empty()) Curl().easy_setopt(easy, CURLOPT_CAINFO, ca_file.c_str());
  Curl().easy_setopt(easy, CURLOPT_CERTINFO, 1L);
}

void Setup(Transfer& t, long timeout_ms) {
  // Headers and redirects are decided here and in FollowRedirect, not by curl.
  CURL* easy = t.easy;
  Curl().easy_setopt(easy, CURLOPT_PRIVATE, &t);
  Curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  Curl().easy_setopt(easy, CURLOPT_TIMEOUT_MS, std::max(timeout_ms, 1L));
  Curl().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  Curl().easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  Curl().easy_setopt(easy, CURLOPT_USERAGENT, "vitals_exporter");
  Curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, &WriteBody);
  Curl().easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  const ProbeModule& module = *t.module;
  std::string url;
  if (module.prober == ProberKind::kTcp) {
    url = (module.tcp.tls ? "https://" : "http://") + t.target->target;
    Curl().easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
    if (module.tcp.tls) SetTls(easy, module.tcp.tls_insecure_skip_verify, module.tcp.ca_file);
  } else {
    const HttpProbeOptions& http = module.http;
    url = HasScheme(t.target->target) ? t.target->target : "http://" + t.target->target;
    if (http.method == "HEAD") Curl().easy_setopt(easy, CURLOPT_NOBODY, 1L);
    // Redirects are followed by FollowRedirect, one checked hop at a time.
    Curl().easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    Curl().easy_setopt(easy, CURLOPT_UNRESTRICTED_AUTH, 0L);
    const std::string marker = std::string(kProbeMarkerHeader) + ": 1";
    t.marker_only = Curl().slist_append(nullptr, marker.c_str());
    t.headers = Curl().slist_append(nullptr, marker.c_str());
    for (const auto& [name, value] : http.headers) {
      t.headers = Curl().slist_append(t.headers, (name + ": " + value).c_str());
    }
    Curl().easy_setopt(easy, CURLOPT_HTTPHEADER, t.headers);
    t.origin = OriginOf(url);
    SetTls(easy, http.tls_insecure_skip_verify, http.ca_file);
    t.keep_body = !http.fail_if_body_not_matches.empty();
  }
  Curl().easy_setopt(easy, CURLOPT_URL, url.c_str());
}

// Microseconds since the transfer started.
curl_off_t Micros(CURL* easy, CURLINFO info) {
  curl_off_t micros = 0;
  Curl().easy_getinfo(easy, info, &micros);
  return micros;
}

// "Expire date" lines of the peer's chain, as OpenSSL prints them: "Mar 10 12:00:00 2030 GMT".
std::optional<double> EarliestExpiry(CURL* easy) {
  curl_certinfo* certs = nullptr;
  if (Curl().easy_getinfo(easy, CURLINFO_CERTINFO, &certs) != CURLE_OK || certs == nullptr) {
    return std::nullopt;
  }
  std::optional<double> earliest;
  for (int i = 0; i < certs->num_of_certs; ++i) {
    for (curl_slist* item = certs->certinfo[i]; item != nullptr; item = item->next) {
      constexpr std::string_view kKey = "Expire date:";
      const std::string_view line = item->data;
      if (line.substr(0, kKey.size()) != kKey) continue;
      const std::string value(line.substr(kKey.size()));
      std::tm tm{};
      const char* end = strptime(value.c_str(), " %b %d %H:%M:%S %Y", &tm);
      if (end == nullptr) continue;
      const auto when = static_cast<double>(timegm(&tm));
      if (!earliest || when < *earliest) earliest = when;
    }
  }
  return earliest;
}

// One hop's seconds per phase. curl's times are cumulative from the hop's start; a
// phase that did not happen is 0.
Phases HopPhases(CURL* easy) {
  const curl_off_t resolve = Micros(easy, CURLINFO_NAMELOOKUP_TIME_T);
  const curl_off_t connect = Micros(easy, CURLINFO_CONNECT_TIME_T);
  const curl_off_t tls = Micros(easy, CURLINFO_APPCONNECT_TIME_T);
  const curl_off_t pretransfer = Micros(easy, CURLINFO_PRETRANSFER_TIME_T);
  const curl_off_t first_byte = Micros(easy, CURLINFO_STARTTRANSFER_TIME_T);
  const curl_off_t total = Micros(easy, CURLINFO_TOTAL_TIME_T);
  auto span = [](curl_off_t from, curl_off_t to) {
    return to > from && from >= 0 ? static_cast<double>(to - from) / 1e6 : 0.0;
  };
  return {span(0, resolve), span(resolve, connect), tls > 0 ? span(connect, tls) : 0.0,
          span(pretransfer, first_byte), span(first_byte, total)};
}

ProbeResult Finish(Transfer& t) {
  ProbeResult result;
  CURL* easy = t.easy;
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - t.start;
  result.duration_seconds = elapsed.count();
  if (!t.done) {
    result.error = "scrape deadline reached";
  } else if (t.code != CURLE_OK) {
    result.error = Curl().easy_strerror(t.code);
  }
  if (t.module->prober == ProberKind::kHttp) {
    long code = 0;
    Curl().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    result.http_status = code;
    const Phases last = HopPhases(easy);
    static constexpr std::array<const char*, kPhases> kNames = {"resolve", "connect", "tls",
                                                                "processing", "transfer"};
    for (size_t i = 0; i < kPhases; ++i) {
      result.phases.emplace_back(kNames[i], t.earlier_hops[i] + last[i]);
    }
    if (result.error.empty() && !t.redirect_error.empty()) result.error = t.redirect_error;
    if (result.error.empty()) {
      if (!StatusAllowed(t.module->http.valid_status_codes, code)) {
        result.error = "status code " + std::to_string(code) + " is not valid";
      } else {
        for (const auto& regex : t.module->http.fail_if_body_not_matches) {
          if (!regex.Search(t.body)) {
            result.error = "body does not match " + regex.pattern();
            break;
          }
        }
      }
    }
  }
  result.earliest_cert_expiry = EarliestExpiry(easy);
  result.success = result.error.empty();
  return result;
}

void AddProbeSample(prometheus::MetricFamily& family, double value, const ProbeTarget* target,
                    std::initializer_list<Label> extra = {}) {
  prometheus::ClientMetric& metric = family.metric.emplace_back();
  if (target != nullptr) {
    metric.label.push_back({"group", target->group});
    metric.label.push_back({"module", target->module});
    metric.label.push_back({"target", target->target});
    for (const auto& [name, label_value] : target->labels)
      metric.label.push_back({name, label_value});
  }
  for (const auto& [name, label_value] : extra) {
    metric.label.push_back({std::string(name), std::string(label_value)});
  }
  metric.gauge.value = value;
}

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::optional<std::pair<int, int>> ParseStatusCodeSpec(std::string_view text) {
  if (text.size() == 3 && (text.substr(1) == "xx" || text.substr(1) == "XX")) {
    if (text[0] < '1' || text[0] > '5') return std::nullopt;
    const int hundreds = (text[0] - '0') * 100;
    return std::pair{hundreds, hundreds + 99};
  }
  int code = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec != std::errc() || ptr != text.data() + text.size() || code < 100 || code > 599) {
    return std::nullopt;
  }
  return std::pair{code, code};
}

bool StatusAllowed(const StatusRanges& ranges, long code) {
  if (ranges.empty()) return code >= 200 && code <= 299;
  return std::any_of(ranges.begin(), ranges.end(), [code](const auto& range) {
    return code >= range.first && code <= range.second;
  });
}

bool ProbeTargetAllowed(const ProbesOptions& options, std::string_view target) {
  if (options.allowed_targets.empty()) return true;
  return std::any_of(options.allowed_targets.begin(), options.allowed_targets.end(),
                     [target](const Regex& regex) { return regex.Search(target); });
}

bool ValidHeaderName(std::string_view name) {
  constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kTokenPunctuation.find(c) != std::string_view::npos;
  });
}

bool ValidHeaderValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= 0x20 && byte != 0x7f);
  });
}

namespace {

// Sets up one transfer on `multi`; a transfer curl cannot start is done at once.
void AddTransfer(CURLM* multi, Transfer& t, Deadline deadline) {
  t.easy = Curl().easy_init();
  if (t.easy == nullptr || multi == nullptr) {
    t.done = true;
    t.code = CURLE_FAILED_INIT;
    return;
  }
  t.deadline = deadline;
  Setup(t, RemainingMs(t));
  if (Curl().multi_add_handle(multi, t.easy) != CURLM_OK) {
    t.done = true;
    t.code = CURLE_FAILED_INIT;
  }
}

// After a hop that answered 3xx with a Location: starts the next hop on the same
// handle and returns true, or returns false when the probe ends here (redirects off, no
// Location, a hop outside allowed_targets, too many hops, no time left).
bool FollowRedirect(CURLM* multi, Transfer& t) {
  if (t.module->prober != ProberKind::kHttp || !t.module->http.follow_redirects) return false;
  long code = 0;
  Curl().easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &code);
  char* location = nullptr;
  Curl().easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location);
  if (code < 300 || code > 399 || location == nullptr) return false;
  std::string next = location;
  if (t.redirects >= kMaxRedirects) {
    t.code = CURLE_TOO_MANY_REDIRECTS;
    return false;
  }
  if (t.allowed != nullptr && !ProbeTargetAllowed(*t.allowed, next)) {
    t.redirect_error = "redirect to " + next + " is not in probes.allowed_targets";
    return false;
  }
  const long timeout_ms = RemainingMs(t);
  if (timeout_ms <= 0) {
    t.code = CURLE_OPERATION_TIMEDOUT;
    return false;
  }
  const bool same_origin = !t.origin.empty() && OriginOf(next) == t.origin;
  if (!same_origin) next = WithoutCredentials(next);
  const Phases hop = HopPhases(t.easy);
  for (size_t i = 0; i < kPhases; ++i) t.earlier_hops[i] += hop[i];
  Curl().multi_remove_handle(multi, t.easy);
  ++t.redirects;
  t.body.clear();
  // A module's headers (tokens, cookies) are for the target's own host only.
  Curl().easy_setopt(t.easy, CURLOPT_HTTPHEADER, same_origin ? t.headers : t.marker_only);
  Curl().easy_setopt(t.easy, CURLOPT_URL, next.c_str());
  Curl().easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  if (Curl().multi_add_handle(multi, t.easy) != CURLM_OK) {
    t.code = CURLE_FAILED_INIT;
    return false;
  }
  return true;
}

// Marks the transfers curl reports finished, or starts their next hop; true when any
// transfer was restarted.
bool ReapFinished(CURLM* multi) {
  bool restarted = false;
  int queued = 0;
  while (CURLMsg* message = Curl().multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    Curl().easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
    if (t == nullptr) continue;
    t->code = message->data.result;
    if (t->code == CURLE_OK && FollowRedirect(multi, *t)) {
      restarted = true;
      continue;
    }
    t->done = true;
  }
  return restarted;
}

// Drives every transfer until all are done or the deadline passes.
void RunUntilDone(CURLM* multi, Deadline deadline) {
  int running = 0;
  while (true) {
    Curl().multi_perform(multi, &running);
    const bool restarted = ReapFinished(multi);
    if (restarted) continue;  // Perform again at once: the new hops start there.
    if (running == 0) return;
    int wait_ms = kPollSliceMs;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      wait_ms = static_cast<int>(std::min<int64_t>(wait_ms, left.count()));
    }
    Curl().multi_poll(multi, nullptr, 0, wait_ms, nullptr);
  }
}

}  // namespace

std::vector<ProbeResult> RunProbes(const std::vector<const ProbeTarget*>& targets,
                                   const std::vector<const ProbeModule*>& modules,
                                   Deadline deadline, const ProbesOptions* allowed_targets) {
  if (const auto curl = LoadCurl(); !curl.ok()) {
    std::vector<ProbeResult> failed(targets.size());
    for (auto& result : failed) result.error = curl.error();
    return failed;
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<Transfer>> transfers;
  CURLM* multi = Curl().multi_init();
  for (size_t i = 0; i < targets.size(); ++i) {
    auto& t = *transfers.emplace_back(std::make_unique<Transfer>());
    t.target = targets[i];
    t.module = modules[i];
    t.allowed = allowed_targets;
    t.start = start;
    AddTransfer(multi, t, deadline);
  }
  if (multi != nullptr) RunUntilDone(multi, deadline);
  std::vector<ProbeResult> results;
  results.reserve(transfers.size());
  for (auto& t : transfers) {
    if (t->easy == nullptr) {
      results.emplace_back().error = "curl_easy_init failed";
      continue;
    }
    results.push_back(Finish(*t));
    if (multi != nullptr) Curl().multi_remove_handle(multi, t->easy);
  }
  if (multi != nullptr) Curl().multi_cleanup(multi);
  return results;
}

void AppendProbeFamilies(const std::vector<const ProbeTarget*>& targets,
                         const std::vector<const ProbeModule*>& modules,
                         const std::vector<ProbeResult>& results, bool target_labels,
                         Families& out) {
  auto& success = AddFamily(out, "probe_success", "Whether the probe succeeded.", kGauge);
  auto& duration = AddFamily(out, "probe_duration_seconds",
                             "How long the probe took to complete in seconds.", kGauge);
  auto& status = AddFamily(out, "probe_http_status_code",
                           "Response HTTP status code (0 without a response).", kGauge);
  auto& phases =
      AddFamily(out, "probe_http_duration_seconds",
                "Duration of the HTTP request by phase, summed over all redirects.", kGauge);
  auto& expiry = AddFamily(out, "probe_ssl_earliest_cert_expiry",
                           "Earliest expiry of the peer's certificate chain, unixtime.", kGauge);
  for (size_t i = 0; i < targets.size(); ++i) {
    const ProbeTarget* target = target_labels ? targets[i] : nullptr;
    const ProbeResult& result = results[i];
    AddProbeSample(success, result.success ? 1 : 0, target);
    AddProbeSample(duration, result.duration_seconds, target);
    if (modules[i]->prober == ProberKind::kHttp) {
      AddProbeSample(status, static_cast<double>(result.http_status), target);
      for (const auto& [phase, seconds] : result.phases) {
        AddProbeSample(phases, seconds, target, {{"phase", phase}});
      }
    }
    if (result.earliest_cert_expiry) AddProbeSample(expiry, *result.earliest_cert_expiry, target);
  }
}

ProbeAnswer ProbeOnce(const ProbesOptions& options, const std::string& target,
                      const std::string& module, const ScrapeContext& context) {
  ProbeAnswer answer;
  const auto found = options.modules.find(module);
  if (found == options.modules.end()) {
    return {.http_status = 400, .refusal = "unknown module \"" + module + "\"", .families = {}};
  }
  if (!ProbeTargetAllowed(options, target)) {
    return {
        .http_status = 403, .refusal = "target is not in probes.allowed_targets", .families = {}};
  }
  ProbeTarget probe;
  probe.target = target;
  probe.module = module;
  const std::vector<const ProbeTarget*> targets = {&probe};
  const std::vector<const ProbeModule*> modules = {&found->second};
  const auto results = RunProbes(targets, modules, context.deadline, &options);
  if (!results.front().success) {
    spdlog::debug("probe {} (module {}) failed: {}", target, module, results.front().error);
  }
  AppendProbeFamilies(targets, modules, results, false, answer.families);
  std::erase_if(answer.families, [](const auto& family) { return family.metric.empty(); });
  return answer;
}

ProbesCollector::ProbesCollector(const ProbesOptions& options)
    : options_(options), states_(options.targets.size()) {}

Status ProbesCollector::Collect(const ScrapeContext& context, Families& out) {
  std::vector<const ProbeTarget*> targets;
  std::vector<const ProbeModule*> modules;
  for (const auto& target : options_.targets) {
    targets.push_back(&target);
    modules.push_back(&options_.modules.find(target.module)->second);
  }
  const std::vector<ProbeResult> results = RunProbes(targets, modules, context.deadline);
  const double now = UnixNow();
  for (size_t i = 0; i < results.size(); ++i) {
    State& state = states_[i];
    if (results[i].success) {
      state.consecutive_failures = 0;
      state.last_success = now;
    } else {
      ++state.consecutive_failures;
      spdlog::debug("probe {} (module {}) failed: {}", targets[i]->target, targets[i]->module,
                    results[i].error);
    }
  }
  AppendProbeFamilies(targets, modules, results, true, out);
  auto& failures = AddFamily(out, "vitals_probe_consecutive_failures",
                             "Failed probes of this target in a row since its last success "
                             "(or since the exporter started).",
                             kGauge);
  auto& last = AddFamily(out, "vitals_probe_last_success_timestamp_seconds",
                         "When this target's probe last succeeded, unixtime; absent before the "
                         "first success.",
                         kGauge);
  for (size_t i = 0; i < targets.size(); ++i) {
    AddProbeSample(failures, static_cast<double>(states_[i].consecutive_failures), targets[i]);
    if (states_[i].last_success) AddProbeSample(last, *states_[i].last_success, targets[i]);
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
