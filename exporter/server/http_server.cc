#include "server/http_server.h"

#include <civetweb.h>
#include <spdlog/spdlog.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>

#include "base/text.h"
#include "server/exposition.h"
#include "server/http_response.h"
#include "server/probe_query.h"
#include "server/version.h"

namespace vitals::server {
namespace {

constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr unsigned kFeatureIpv6 = 8;

// The weight of one Accept-Encoding element's parameters (";q=0.5"): 1 without a q,
// 0 for a q that is zero or not a number (when in doubt, do not compress: identity is
// always acceptable). Names are case-insensitive (RFC 9110, 12.4.2).
double Weight(std::string_view params) {
  double weight = 1;
  while (!params.empty()) {
    const size_t semicolon = params.find(';');
    const std::string_view param = Trim(params.substr(0, semicolon));
    params =
        semicolon == std::string_view::npos ? std::string_view() : params.substr(semicolon + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    const auto value = ParseDouble(Trim(param.substr(2)));
    weight = value && *value > 0 && *value <= 1 ? *value : 0;
  }
  return weight;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// True when Accept-Encoding lists gzip (or *) with a weight above 0 (RFC 9110, 12.5.3):
// "gzip;q=0", "GZIP;Q=0" and "*;q=0" without gzip all mean "not gzip".
bool AcceptsGzip(mg_connection* conn) {
  const char* header = mg_get_header(conn, "Accept-Encoding");
  std::string_view rest = header != nullptr ? header : "";
  std::optional<bool> star;  // "*" matches codings not listed explicitly.
  std::optional<bool> gzip;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t semicolon = item.find(';');
    const std::string_view coding = Trim(item.substr(0, semicolon));
    const bool accepted =
        semicolon == std::string_view::npos || Weight(item.substr(semicolon + 1)) > 0;
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
      gzip = gzip.value_or(true) && accepted;  // Any "q=0" for gzip refuses it.
    } else if (coding == "*") {
      star = star.value_or(true) && accepted;
    }
  }
  return gzip.value_or(star.value_or(false));  // An explicit entry wins over "*".
}

// Prometheus's scrape timeout (X-Prometheus-Scrape-Timeout-Seconds) minus 0.5 s, as
// blackbox_exporter does, so the answer arrives before Prometheus gives up.
Deadline ScrapeDeadline(mg_connection* conn) {
  const char* header = mg_get_header(conn, "X-Prometheus-Scrape-Timeout-Seconds");
  if (header == nullptr) return std::nullopt;
  const auto seconds = ParseDouble(Trim(header));
  if (!seconds || !(*seconds > 0) || *seconds > 86400) return std::nullopt;
  const double budget = *seconds > 1.0 ? *seconds - 0.5 : *seconds / 2;
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(budget));
}

int LogCivetweb(const mg_connection* /*conn*/, const char* message) {
  spdlog::debug("http: {}", message);
  return 1;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string ToCivetwebPort(const std::string& address, bool ipv6_available) {
  // ":port" means every address; "+port" asks civetweb for dual-stack IPv4 + IPv6.
  if (!address.empty() && address.front() == ':') {
    return (ipv6_available ? "+" : "") + address.substr(1);
  }
  return address;
}

std::string Gzip(std::string_view data) {
  z_stream stream{};
  constexpr int kGzipWindowBits = 15 + 16;
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return {};
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? out : std::string();
}

HttpServer::HttpServer(HttpOptions options, Scraper& scraper)
    : options_(std::move(options)),
      scraper_(scraper),
      probes_(std::make_shared<const collectors::ProbesOptions>(options_.probes)) {}

HttpServer::~HttpServer() {
  if (context_ != nullptr) mg_stop(context_);
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                      Scraper& scraper) {
  const bool tls = options.web_security != nullptr && options.web_security->tls();
  mg_init_library(tls ? MG_FEATURES_TLS : 0);
  std::unique_ptr<HttpServer> server(new HttpServer(options, scraper));
  const bool ipv6 = mg_check_feature(kFeatureIpv6) != 0;
  std::string ports;
  for (const auto& address : options.listen_addresses) {
    // A trailing "s" makes civetweb speak TLS on that port.
    ports += (ports.empty() ? "" : ",") + ToCivetwebPort(address, ipv6) + (tls ? "s" : "");
  }
  const std::string threads = std::to_string(options.max_requests);
  const std::string timeout = std::to_string(options.request_timeout_ms);
  const std::string header_bytes = std::to_string(options.max_header_bytes);
  // tcp_nodelay: headers and body go out in two writes; with Nagle's algorithm the
  // body would wait for the client's delayed ACK (40 ms per scrape).
  // clang-format off
  const char* civet_options[] = {
      "listening_ports", ports.c_str(),
      "num_threads", threads.c_str(),
      "request_timeout_ms", timeout.c_str(),
      "max_request_size", header_bytes.c_str(),
      "enable_keep_alive", "yes",
      "keep_alive_timeout_ms", "1000",
      "tcp_nodelay", "1",
      "enable_auth_domain_check", "no",
      nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  callbacks.begin_request = &HttpServer::HandleRequest;
  callbacks.http_error = &HttpServer::HandleHttpError;
  callbacks.log_message = &LogCivetweb;
  // civetweb passes its user data (the HttpServer) to init_ssl; hand it the WebSecurity.
  if (tls) callbacks.init_ssl = &HttpServer::InitSsl;
  mg_init_data init{&callbacks, server.get(), civet_options};
  std::array<char, 256> error_text{};
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text.data(), error_text.size()};
  server->context_ = mg_start2(&init, &error);
  if (server->context_ == nullptr) {
    return Error{"cannot listen on " + ports + ": " + error_text.data()};
  }
  return server;
}

std::vector<std::string> HttpServer::BoundAddresses() const {
  std::array<mg_server_port, 16> ports{};
  const int count = mg_get_server_ports(context_, static_cast<int>(ports.size()), ports.data());
  std::vector<std::string> addresses;
  // civetweb keeps the order of listening_ports: pair each socket with its address.
  for (int i = 0; i < count; ++i) {
    const std::string& asked = i < static_cast<int>(options_.listen_addresses.size())
                                   ? options_.listen_addresses[i]
                                   : std::string(":");
    addresses.push_back(asked.substr(0, asked.rfind(':') + 1) + std::to_string(ports[i].port));
  }
  return addresses;
}

int HttpServer::HandleRequest(mg_connection* conn) {
  auto* self = static_cast<HttpServer*>(mg_get_user_data(mg_get_context(conn)));
  return self->Dispatch(conn);
}

int HttpServer::HandleHttpError(mg_connection* conn, int status, const char* message) {
  auto* self = static_cast<HttpServer*>(mg_get_user_data(mg_get_context(conn)));
  spdlog::debug("http: {} from {}: {}", status, mg_get_request_info(conn)->remote_addr,
                message != nullptr ? message : "");
  SendProtocolError(conn, status, self->options_.web_security);
  return 0;  // Answered: civetweb must not write its own.
}

int HttpServer::InitSsl(void* ssl_ctx, void* http_server) {
  return WebSecurity::InitSsl(ssl_ctx,
                              static_cast<HttpServer*>(http_server)->options_.web_security);
}

int HttpServer::Dispatch(mg_connection* conn) {
  // Every path, /probe and the landing page included, is behind the web config's auth.
  const WebRequest web(options_.web_security, conn);
  if (!web.admitted()) return 1;  // 401 sent.
  const mg_request_info* info = mg_get_request_info(conn);
  const std::string_view method = info->request_method;
  const std::string_view path = info->local_uri != nullptr ? info->local_uri : "";
  if (path == "/-/reload") {
    ServeReload(conn, method);
  } else if (method != "GET" && method != "HEAD") {
    SendResponse(conn, 405, "text/plain; charset=utf-8", "Method Not Allowed\n",
                 {{"Allow", "GET, HEAD"}});
  } else if (path == options_.telemetry_path) {
    ServeMetrics(conn);
  } else if (path == "/probe") {
    ServeProbe(conn);
  } else if (path == "/") {
    SendResponse(conn, 200, "text/html; charset=utf-8", LandingPage());
  } else if (path == "/-/healthy") {
    SendResponse(conn, 200, "text/plain; charset=utf-8", "Healthy\n");
  } else if (path == "/-/ready") {
    SendResponse(conn, 200, "text/plain; charset=utf-8", "Ready\n");
  } else {
    SendResponse(conn, 404, "text/plain; charset=utf-8", "Not Found\n");
  }
  return 1;  // Handled; civetweb must not look for files.
}

void HttpServer::ServeMetrics(mg_connection* conn) {
  const auto scrape = scraper_.Scrape(ScrapeDeadline(conn));
  const std::string& text = scrape->text();
  if (AcceptsGzip(conn)) {
    const std::string& compressed = scrape->Compressed(Gzip);
    if (!compressed.empty()) {
      SendResponse(conn, 200, kMetricsContentType, compressed, {{"Content-Encoding", "gzip"}});
      return;
    }
  }
  SendResponse(conn, 200, kMetricsContentType, text);
}

void HttpServer::ServeProbe(mg_connection* conn) {
  constexpr const char* kText = "text/plain; charset=utf-8";
  const mg_request_info* info = mg_get_request_info(conn);
  const auto query = ParseProbeQuery(info->query_string);
  if (!query) {
    SendResponse(conn, 400, kText, query.error() + "\n");
    return;
  }
  // A probe's own request (ours or another vitals exporter's, sent here by a redirect or
  // named as the target): refusing it ends the loop after one hop.
  if (mg_get_header(conn, collectors::kProbeMarkerHeader) != nullptr) {
    SendResponse(conn, 508, kText,
                 std::string("refusing a probe from a probe (") + collectors::kProbeMarkerHeader +
                     " is set): a target redirects to /probe\n");
    return;
  }
  const auto probes = Probes();  // One set for the whole request, even across a reload.
  const auto answer = collectors::ProbeOnce(*probes, query->target, query->module,
                                            ScrapeContext{ScrapeDeadline(conn)});
  if (answer.http_status != 200) {
    SendResponse(conn, answer.http_status, kText, answer.refusal + "\n");
    return;
  }
  std::string text;
  AppendExposition(answer.families, text);
  SendResponse(conn, 200, kMetricsContentType, text);
}

// Prometheus's answers, status and text, for the lifecycle endpoint.
void HttpServer::ServeReload(mg_connection* conn, std::string_view method) {
  constexpr const char* kText = "text/plain; charset=utf-8";
  if (method != "POST" && method != "PUT") {
    SendResponse(conn, 405, kText, "Only POST or PUT requests allowed\n", {{"Allow", "POST, PUT"}});
  } else if (!options_.reload) {
    SendResponse(conn, 403, kText, "Lifecycle API is not enabled.\n");
  } else if (const Status status = options_.reload(); status.ok()) {
    SendResponse(conn, 200, kText, "");
  } else {
    SendResponse(conn, 500, kText, "failed to reload config: " + status.message() + "\n");
  }
}

void HttpServer::SetProbes(const collectors::ProbesOptions& probes) {
  auto fresh = std::make_shared<const collectors::ProbesOptions>(probes);
  std::lock_guard lock(probes_mutex_);
  probes_.swap(fresh);
}

std::shared_ptr<const collectors::ProbesOptions> HttpServer::Probes() const {
  std::lock_guard lock(probes_mutex_);
  return probes_;
}

std::string HttpServer::LandingPage() const {
  std::string collectors;
  for (const auto& name : scraper_.Names()) collectors += "<li>" + HtmlEscape(name) + "</li>";
  const std::string path = HtmlEscape(options_.telemetry_path);
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>vitals_exporter</title>"
         "</head><body><h1>vitals_exporter</h1><p>Prometheus exporter for Linux hosts, version " +
         std::string(kVersion) + " (revision " + std::string(kRevision) + ").</p><p><a href=\"" +
         path +
         "\">Metrics</a> &middot; <a href=\"/-/healthy\">Health</a> &middot; "
         "<a href=\"/-/ready\">Ready</a></p><h2>Enabled collectors</h2><ul>" +
         collectors + "</ul></body></html>\n";
}

}  // namespace vitals::server
