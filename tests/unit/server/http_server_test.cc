#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/probes_collector.h"
#include "test_util.h"

namespace vitals::server {
namespace {

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // Names lower-cased.
  std::string body;
  std::string raw;

  std::string Header(const std::string& lower_case_name) const {
    const auto it = headers.find(lower_case_name);
    return it == headers.end() ? "<absent>" : it->second;
  }
};

// Sends `request` as is on a fresh connection with plain POSIX sockets and returns
// every byte until the server closes.
std::string Exchange(int port, const std::string& request) {
  std::string raw;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_GE(fd, 0);
  if (fd < 0) return raw;
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ADD_FAILURE() << "connect to port " << port << " failed";
    close(fd);
    return raw;
  }
  EXPECT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  char buffer[65536];
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      EXPECT_EQ(n, 0) << "recv failed or timed out";
      break;
    }
    raw.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return raw;
}

// Splits a raw response into status, headers and body.
Response Parse(std::string raw) {
  Response response;
  response.raw = std::move(raw);
  const size_t header_end = response.raw.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    ADD_FAILURE() << "no end of headers in: " << response.raw;
    return response;
  }
  const auto lines = test::Lines(response.raw.substr(0, header_end));
  EXPECT_EQ(lines[0].substr(0, 9), "HTTP/1.1 ") << lines[0];
  response.status = std::stoi(lines[0].substr(9, 3));
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t value = line.find_first_not_of(' ', colon + 1);
    response.headers[name] = value == std::string::npos ? "" : line.substr(value);
  }
  response.body = response.raw.substr(header_end + 4);
  return response;
}

// One request (Connection: close) and its parsed response.
Response Request(int port, const std::string& method, const std::string& path,
                 const std::string& extra_headers = "") {
  return Parse(Exchange(port, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                  extra_headers + "Connection: close\r\n\r\n"));
}

// Inflates gzip (RFC 1952) with zlib; empty and a failure on error.
std::string Gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[16384];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
  }
  inflateEnd(&stream);
  EXPECT_EQ(result, Z_STREAM_END) << "not a complete gzip stream";
  return out;
}

// A server over the fixture tree on 127.0.0.1 with a port picked by the kernel.
// civetweb takes about 2 s to stop (its accept loop polls in 2 s quanta), so each
// test starts one server and checks several things on it.
class TestServer {
 public:
  explicit TestServer(const std::string& telemetry_path = "/metrics") {
    std::vector<std::string> names;
    for (const auto* spec : collectors::AllCollectors()) names.emplace_back(spec->name);
    scraper_ = std::make_unique<Scraper>(
        MakeCollectors(names, test::FixturePaths(), collectors::CollectorOptions::Defaults()));
    HttpOptions options;
    options.listen_addresses = {"127.0.0.1:0"};
    options.telemetry_path = telemetry_path;
    options.max_requests = 4;
    auto started = HttpServer::Start(options, *scraper_);
    EXPECT_TRUE(started.ok()) << started.error();
    if (!started.ok()) return;
    server_ = std::move(*started);
    const auto addresses = server_->BoundAddresses();
    EXPECT_EQ(addresses.size(), 1u);
    if (addresses.size() != 1) return;
    address_ = addresses[0];
    EXPECT_EQ(address_.rfind("127.0.0.1:", 0), 0u) << address_;
    port_ = std::stoi(address_.substr(address_.rfind(':') + 1));
    EXPECT_GT(port_, 0);
  }

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  const std::string& address() const { return address_; }
  Response Get(const std::string& path, const std::string& extra_headers = "") const {
    return Request(port_, "GET", path, extra_headers);
  }

 private:
  std::unique_ptr<Scraper> scraper_;
  std::unique_ptr<HttpServer> server_;
  std::string address_;
  int port_ = 0;
};

constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";

TEST(HttpServerTest, MetricsEndpoint) {
  const TestServer server;
  ASSERT_TRUE(server.ok());
  {
    SCOPED_TRACE("GET /metrics");
    const Response plain = server.Get("/metrics");
    EXPECT_EQ(plain.status, 200);
    EXPECT_EQ(plain.Header("content-type"), kMetricsType);
    EXPECT_EQ(plain.Header("content-encoding"), "<absent>");
    EXPECT_EQ(plain.Header("content-length"), std::to_string(plain.body.size()));
    EXPECT_EQ(plain.body.rfind("# HELP ", 0), 0u) << plain.body.substr(0, 100);
    EXPECT_NE(plain.body.find("\nnode_load1 0.66\n"), std::string::npos);
    EXPECT_NE(plain.body.find("vitals_scrape_collector_success{collector=\"cpu\"} 1\n"),
              std::string::npos);

    SCOPED_TRACE("GET /metrics with Accept-Encoding: gzip");
    const Response zipped = server.Get("/metrics", "Accept-Encoding: deflate, gzip\r\n");
    EXPECT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.Header("content-encoding"), "gzip");
    EXPECT_EQ(zipped.Header("content-type"), kMetricsType);
    EXPECT_EQ(zipped.Header("content-length"), std::to_string(zipped.body.size()));
    ASSERT_GE(zipped.body.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(zipped.body[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(zipped.body[1]), 0x8b);
    EXPECT_LT(zipped.body.size(), plain.body.size());
    const std::string text = Gunzip(zipped.body);
    EXPECT_EQ(text.rfind("# HELP", 0), 0u);
    // Same series in every scrape; only values (time, durations) differ.
    EXPECT_EQ(test::Lines(text).size(), test::Lines(plain.body).size());
  }
  {
    SCOPED_TRACE("content negotiation");
    const std::vector<std::pair<const char*, bool>> cases = {{"gzip", true},
                                                             {"*", true},
                                                             {"deflate, gzip;q=0.5", true},
                                                             {"br, gzip ; q=1", true},
                                                             {"gzip;q=0", false},
                                                             {"gzip; q=0.000", false},
                                                             {"identity", false},
                                                             {"*, gzip;q=0", false},
                                                             {"gzip;q=0, *", false},
                                                             {"*;q=0, gzip", true},
                                                             {"*;q=0", false},
                                                             {"deflate, br", false},
                                                             // Issue 12: q=0 in any spelling.
                                                             {"gzip;Q=0", false},
                                                             {"gzip; Q=0.0", false},
                                                             {"*, GZIP;q=0", false},
                                                             {"GZIP", true},
                                                             {"*;Q=0", false},
                                                             {"gzip;q=nonsense", false},
                                                             {"gzip;q=0;x=1", false},
                                                             {"", false}};
    for (const auto& [accept, gzip] : cases) {
      const Response response =
          server.Get("/metrics", "Accept-Encoding: " + std::string(accept) + "\r\n");
      EXPECT_EQ(response.status, 200) << accept;
      EXPECT_EQ(response.Header("content-encoding"), gzip ? "gzip" : "<absent>") << accept;
      EXPECT_EQ(response.body.rfind(gzip ? "\x1f\x8b" : "# HELP", 0), 0u) << accept;
    }
  }
  {
    SCOPED_TRACE("HEAD /metrics");
    const Response head = Request(server.port(), "HEAD", "/metrics");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty()) << head.body.substr(0, 100);
    EXPECT_EQ(head.Header("content-type"), kMetricsType);
    EXPECT_NE(head.Header("content-length"), "0");
  }
  {
    SCOPED_TRACE("query string");
    EXPECT_EQ(server.Get("/metrics?collect[]=cpu").status, 200);
  }
}

TEST(HttpServerTest, OtherPaths) {
  const TestServer server;
  ASSERT_TRUE(server.ok());
  {
    SCOPED_TRACE("landing page");
    const Response landing = server.Get("/");
    EXPECT_EQ(landing.status, 200);
    EXPECT_EQ(landing.Header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(landing.body.find("href=\"/metrics\""), std::string::npos) << landing.body;
    for (const auto* each : collectors::AllCollectors()) {
      const auto& spec = *each;
      EXPECT_NE(landing.body.find("<li>" + std::string(spec.name) + "</li>"), std::string::npos)
          << spec.name;
    }
    EXPECT_NE(landing.body.find(VITALS_EXPECTED_VERSION), std::string::npos);
  }
  for (const char* path : {"/-/healthy", "/-/ready"}) {
    SCOPED_TRACE(path);
    const Response get = server.Get(path);
    EXPECT_EQ(get.status, 200);
    EXPECT_FALSE(get.body.empty());
    const Response head = Request(server.port(), "HEAD", path);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty()) << head.body;
    EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));
  }
  for (const char* path : {"/metric", "/metrics/", "/favicon.ico", "/-/unknown"}) {
    EXPECT_EQ(server.Get(path).status, 404) << path;
  }
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    const Response response = Request(server.port(), method, "/metrics", "Content-Length: 0\r\n");
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.Header("allow"), "GET, HEAD") << method;
  }
  // Without a reload hook (no --web.enable-lifecycle): Prometheus's 403.
  for (const char* method : {"POST", "PUT"}) {
    const Response response = Request(server.port(), method, "/-/reload", "Content-Length: 0\r\n");
    EXPECT_EQ(response.status, 403) << method;
    EXPECT_EQ(response.body, "Lifecycle API is not enabled.\n") << method;
  }
}

// Malformed requests, answered by the exporter instead of civetweb's own writer, which
// echoed the client's version string into the status line ("HTTP/9.9<script> 505",
// "HTTP/HTTP/1.1 extra\r\n\r 400": response splitting) and, on "Upgrade: websocket",
// sent a body without any status line.
TEST(HttpServerTest, HostileRequestLinesGetAFixedStatusLine) {
  const TestServer server;
  ASSERT_TRUE(server.ok());
  const std::vector<std::pair<std::string, int>> cases = {
      {"GET / HTTP/9.9<script>\r\n\r\n", 505},
      {"GET / FOO/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1 extra<script>\r\n\r\n", 400},
      {"<script>alert(1)</script> / HTTP/1.1\r\n\r\n", 400},
      {"GET /\r\n\r\n", 400},
      {std::string("G\x01T / HTTP/1.1\r\n\r\n"), 400},
  };
  for (const auto& [request, status] : cases) {
    SCOPED_TRACE(request);
    const Response response = Parse(Exchange(server.port(), request));
    EXPECT_EQ(response.status, status);
    const std::string status_line = response.raw.substr(0, response.raw.find("\r\n"));
    EXPECT_EQ(status_line.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u) << status_line;
    for (const char* echoed : {"<script>", "extra", "FOO", "9.9", "\x01"}) {
      EXPECT_EQ(response.raw.find(echoed), std::string::npos) << echoed << " in " << response.raw;
    }
    EXPECT_EQ(response.Header("connection"), "close");
    EXPECT_EQ(response.Header("content-length"), std::to_string(response.body.size()));
    EXPECT_NE(response.Header("date"), "<absent>");
  }

  // A WebSocket upgrade is ignored (RFC 9110 7.8): a normal, complete answer.
  const Response upgraded = server.Get("/metrics",
                                       "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
  EXPECT_EQ(upgraded.status, 200);
  EXPECT_EQ(upgraded.Header("content-type"), kMetricsType);
  EXPECT_NE(upgraded.body.find("node_load1 "), std::string::npos);
  EXPECT_EQ(upgraded.Header("content-length"), std::to_string(upgraded.body.size()));

  // civetweb 1.15 closes "OPTIONS *" and a proxy request for another host without
  // calling any handler: no answer, but no hang and nothing leaked, and the server goes on.
  EXPECT_EQ(Exchange(server.port(), "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"), "");
  EXPECT_EQ(Exchange(server.port(), "GET http://evil.example/metrics HTTP/1.1\r\nHost: x\r\n\r\n"),
            "");
  EXPECT_EQ(server.Get("/-/healthy").status, 200);
}

TEST(HttpServerTest, ReloadEndpointAndProbesSwap) {
  Scraper scraper({});
  HttpOptions options;
  options.listen_addresses = {"127.0.0.1:0"};
  options.probes.modules["tcp_connect"].prober = collectors::ProberKind::kTcp;
  int calls = 0;
  options.reload = [&calls] {
    return ++calls % 2 == 1 ? Status::Ok() : Status::Fail("c.yml:3:5: bad key");
  };
  auto server = HttpServer::Start(options, scraper);
  ASSERT_TRUE(server.ok()) << server.error();
  const std::string address = (*server)->BoundAddresses().at(0);
  const int port = std::stoi(address.substr(address.rfind(':') + 1));
  const std::string no_body = "Content-Length: 0\r\n";

  const Response ok = Request(port, "POST", "/-/reload", no_body);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "");
  const Response failed = Request(port, "PUT", "/-/reload", no_body);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, "failed to reload config: c.yml:3:5: bad key\n");
  for (const char* method : {"GET", "HEAD", "DELETE"}) {
    const Response refused = Request(port, method, "/-/reload");
    EXPECT_EQ(refused.status, 405) << method;
    EXPECT_EQ(refused.Header("allow"), "POST, PUT") << method;
    EXPECT_EQ(refused.body,
              std::string(method) == "HEAD" ? "" : "Only POST or PUT requests allowed\n");
  }
  EXPECT_EQ(calls, 2);

  // /probe follows SetProbes(): the old module is gone, the new one is found (and its
  // allowed_targets refuse the target, so nothing goes on the network).
  const std::string probe = "/probe?target=127.0.0.1:1&module=";
  EXPECT_EQ(Request(port, "GET", probe + "other").status, 400);
  collectors::ProbesOptions next;
  next.modules["other"].prober = collectors::ProberKind::kTcp;
  next.allowed_targets.push_back(*collectors::Regex::Compile("never"));
  (*server)->SetProbes(next);
  const Response refused = Request(port, "GET", probe + "other");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Request(port, "GET", probe + "tcp_connect").status, 400);
}

// Several clients at once, as Prometheus and curl may be: each /metrics answer is a
// whole scrape, and the shared state (scraper, gzip, probe options) stays consistent.
// Run under ThreadSanitizer by the race test build (VITALS_TSAN=ON).
TEST(HttpServerTest, ConcurrentRequests) {
  const TestServer server;
  ASSERT_TRUE(server.ok());
  const Response first = server.Get("/metrics");
  const std::string& reference = first.body;
  ASSERT_NE(reference.find("node_load1 "), std::string::npos);
  // One Date header, ours (civetweb's own comes from the racy gmtime()).
  const std::string head = first.raw.substr(0, first.raw.find("\r\n\r\n"));
  EXPECT_EQ(head.find("\r\nDate: "), head.rfind("\r\nDate: ")) << head;
  EXPECT_TRUE(std::regex_search(
      first.Header("date"),
      std::regex(R"(^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$)")))
      << first.Header("date");
  constexpr int kThreads = 6;
  constexpr int kRequests = 8;
  std::vector<int> good(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        bool ok = false;
        switch ((t + i) % 4) {
          case 0: {
            const Response r = server.Get("/metrics");
            ok = r.status == 200 && r.body.find("node_load1 ") != std::string::npos &&
                 r.body.size() > reference.size() / 2;
            break;
          }
          case 1: {
            const Response r = server.Get("/metrics", "Accept-Encoding: gzip\r\n");
            ok = r.status == 200 && r.Header("content-encoding") == "gzip" &&
                 Gunzip(r.body).find("node_load1 ") != std::string::npos;
            break;
          }
          case 2:
            ok = server.Get("/probe?target=127.0.0.1:1").status == 400;
            break;
          default:
            ok = server.Get("/-/healthy").status == 200;
        }
        if (ok) ++good[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(good[t], kRequests) << "thread " << t;
}

TEST(HttpServerTest, CustomTelemetryPathAndBusyPort) {
  const TestServer server("/custom/metrics");
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(server.Get("/custom/metrics").status, 200);
  EXPECT_EQ(server.Get("/metrics").status, 404);
  EXPECT_NE(server.Get("/").body.find("href=\"/custom/metrics\""), std::string::npos);

  // A second server on the same address fails with a reason naming it.
  Scraper scraper({});
  HttpOptions options;
  options.listen_addresses = {server.address()};
  const auto second = HttpServer::Start(options, scraper);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find(server.address()), std::string::npos) << second.error();
}

TEST(ToCivetwebPortTest, Conversions) {
  EXPECT_EQ(ToCivetwebPort(":10100", true), "+10100");
  EXPECT_EQ(ToCivetwebPort(":10100", false), "10100");
  EXPECT_EQ(ToCivetwebPort(":0", true), "+0");
  EXPECT_EQ(ToCivetwebPort("127.0.0.1:9100", true), "127.0.0.1:9100");
  EXPECT_EQ(ToCivetwebPort("[::1]:9100", true), "[::1]:9100");
  EXPECT_EQ(ToCivetwebPort("", true), "");
}

TEST(GzipTest, RoundTrip) {
  std::mt19937 random(7);
  std::string data;
  for (int i = 0; i < 200000; ++i) {
    data += "node_metric{device=\"sd" + std::string(1, static_cast<char>('a' + random() % 26)) +
            "\"} " + std::to_string(random() % 1000) + "\n";
  }
  const std::string zipped = Gzip(data);
  ASSERT_FALSE(zipped.empty());
  EXPECT_EQ(static_cast<unsigned char>(zipped[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(zipped[1]), 0x8b);
  EXPECT_LT(zipped.size(), data.size() / 3);
  EXPECT_EQ(Gunzip(zipped), data);
}

TEST(GzipTest, EmptyAndBinaryInput) {
  const std::string empty = Gzip("");
  ASSERT_FALSE(empty.empty());
  EXPECT_EQ(Gunzip(empty), "");
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>(i * 37 % 256);
  EXPECT_EQ(Gunzip(Gzip(binary)), binary);
}

}  // namespace
}  // namespace vitals::server
