// The HTTP front: /metrics (gzip when asked), /probe?target=&module= (one probe,
// blackbox_exporter's multi-target pattern), the landing page, /-/healthy and
// /-/ready, 404 for the rest. civetweb bounds concurrency (a fixed worker pool),
// header size and socket timeouts, so a misbehaving client cannot starve Prometheus.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "collectors/probes_collector.h"
#include "server/scraper.h"
#include "server/web_security.h"

struct mg_context;
struct mg_connection;

namespace vitals::server {

struct HttpOptions {
  std::vector<std::string> listen_addresses;
  std::string telemetry_path = "/metrics";
  // civetweb worker threads: each connection holds one until its request is answered,
  // or until request_timeout_ms if its headers never complete (a slow client). The
  // pool outnumbers such clients instead of queueing Prometheus behind them; an idle
  // worker costs about 17 KiB of RSS (100 KiB stacks in Debian's civetweb).
  int max_requests = 128;
  // Deadline for the request headers, and for any write that makes no progress.
  int request_timeout_ms = 5000;
  int max_header_bytes = 16384;
  // Modules and allowed_targets for /probe (the probes: config section).
  collectors::ProbesOptions probes;
  // POST/PUT /-/reload runs this (--web.enable-lifecycle): 200 when it returns Ok, 500
  // with the error otherwise. Unset: 403, as Prometheus answers without the flag.
  std::function<Status()> reload;
  // --web.config.file: TLS, basic auth and headers for every path; null for none.
  WebSecurity* web_security = nullptr;
};

class HttpServer {
 public:
  // Binds every address or fails with civetweb's reason.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options, Scraper& scraper);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // "ip:port" for every bound socket, with the real port when 0 was asked for.
  std::vector<std::string> BoundAddresses() const;
  // Replaces /probe's modules and allowed_targets (configuration reload); a request in
  // flight keeps the set it started with.
  void SetProbes(const collectors::ProbesOptions& probes);

 private:
  HttpServer(HttpOptions options, Scraper& scraper);
  static int HandleRequest(mg_connection* conn);
  // civetweb's own protocol errors (malformed request line, bad version, headers too
  // large), answered by SendProtocolError instead of civetweb's echoing writer.
  static int HandleHttpError(mg_connection* conn, int status, const char* message);
  static int InitSsl(void* ssl_ctx, void* http_server);
  int Dispatch(mg_connection* conn);
  void ServeMetrics(mg_connection* conn);
  void ServeProbe(mg_connection* conn);
  void ServeReload(mg_connection* conn, std::string_view method);
  std::shared_ptr<const collectors::ProbesOptions> Probes() const;
  std::string LandingPage() const;

  HttpOptions options_;
  Scraper& scraper_;
  mg_context* context_ = nullptr;
  mutable std::mutex probes_mutex_;
  std::shared_ptr<const collectors::ProbesOptions> probes_;
};

// ":10100" -> civetweb's listening_ports syntax; exposed for tests.
std::string ToCivetwebPort(const std::string& address, bool ipv6_available);

// gzip-compresses `data` (RFC 1952); empty on failure.
std::string Gzip(std::string_view data);

}  // namespace vitals::server
