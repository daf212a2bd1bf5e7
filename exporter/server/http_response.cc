#include "server/http_response.h"

#include <civetweb.h>

#include <array>
#include <cstring>
#include <ctime>

#include "server/web_security.h"

namespace vitals::server {
namespace {

// civetweb 1.15 formats its own Date header with gmtime(), whose static buffer races
// between workers (ThreadSanitizer); with Date set here it adds none.
std::string HttpDate() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  std::array<char, 64> date{};
  if (gmtime_r(&now, &utc) == nullptr ||
      std::strftime(date.data(), date.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc) == 0) {
    return "";
  }
  return date.data();
}

ResponseHeaders BaseHeaders(std::string_view content_type, size_t length) {
  ResponseHeaders headers;
  if (std::string date = HttpDate(); !date.empty()) headers.emplace_back("Date", std::move(date));
  headers.emplace_back("Content-Type", std::string(content_type));
  headers.emplace_back("Content-Length", std::to_string(length));
  return headers;
}

bool IsHead(mg_connection* conn) {
  const char* method = mg_get_request_info(conn)->request_method;
  return method != nullptr && std::strcmp(method, "HEAD") == 0;
}

// The head written byte by byte: the status line never holds anything the client sent.
void WriteRawHead(mg_connection* conn, int status, const ResponseHeaders& headers) {
  std::string head =
      "HTTP/1.1 " + std::to_string(status) + " " + mg_get_response_code_text(conn, status) + "\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  head += "Connection: close\r\n\r\n";
  mg_write(conn, head.data(), head.size());
}

}  // namespace

void SendResponse(mg_connection* conn, int status, std::string_view content_type,
                  std::string_view body, const ResponseHeaders& extra) {
  ResponseHeaders headers = BaseHeaders(content_type, body.size());
  headers.insert(headers.end(), extra.begin(), extra.end());
  if (mg_response_header_start(conn, status) == 0) {
    for (const auto& [name, value] : headers) {
      mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
    }
    AddConfiguredHeaders(conn);
    mg_response_header_send(conn);
  } else {
    // A connection civetweb switched to WebSocket mode: it refuses a response head.
    const ResponseHeaders configured = ConfiguredHeaders(nullptr);
    headers.insert(headers.end(), configured.begin(), configured.end());
    WriteRawHead(conn, status, headers);
  }
  if (!IsHead(conn)) mg_write(conn, body.data(), body.size());
}

void SendProtocolError(mg_connection* conn, int status, WebSecurity* security) {
  const std::string body =
      "Error " + std::to_string(status) + ": " + mg_get_response_code_text(conn, status) + "\n";
  ResponseHeaders headers = BaseHeaders("text/plain; charset=utf-8", body.size());
  headers.emplace_back("Cache-Control", "no-store");
  const ResponseHeaders configured = ConfiguredHeaders(security);
  headers.insert(headers.end(), configured.begin(), configured.end());
  WriteRawHead(conn, status, headers);
  if (!IsHead(conn)) mg_write(conn, body.data(), body.size());
}

}  // namespace vitals::server
