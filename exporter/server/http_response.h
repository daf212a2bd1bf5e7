// Every HTTP response the exporter writes goes through here, so each carries the same
// Date, Content-Length and configured security headers, whatever path produced it.
// Two cases bypass civetweb's response API, which cannot serve them safely: its own
// protocol errors (it would echo the client's version string, CR LF included, into the
// status line: "HTTP/HTTP/1.1 extra\r\n\r 400") and requests it switched to WebSocket
// mode on "Upgrade: websocket" (it refuses a response head there, so only the body went
// out). Those are written by hand, with a fixed "HTTP/1.1" status line, and close the
// connection.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct mg_connection;

namespace vitals::server {

class WebSecurity;

using ResponseHeaders = std::vector<std::pair<std::string, std::string>>;

// A complete response; the body is left out for HEAD. `extra`: headers beyond Date,
// Content-Type, Content-Length and the configured ones (Allow, Content-Encoding, ...).
void SendResponse(mg_connection* conn, int status, std::string_view content_type,
                  std::string_view body, const ResponseHeaders& extra = {});

// For civetweb's http_error callback: a short text response naming only the status,
// with `security`'s configured headers (may be null), connection closed.
void SendProtocolError(mg_connection* conn, int status, WebSecurity* security);

}  // namespace vitals::server
