// --web.config.file at run time: TLS for civetweb's listeners, basic auth and extra
// headers for every request, and re-reading the file when it (or a certificate it names)
// changes. A file that fails to load keeps the previous one in force.
//
// TLS: Debian's civetweb creates one SSL_CTX at startup. Its ClientHello callback
// moves each new connection to the SSL_CTX built from the current file, so replaced
// certificates, CAs, client_auth_type and versions apply to the next handshake without a
// restart. Switching TLS on or off needs a restart (the listeners are plain or TLS).
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "server/web_auth.h"
#include "server/web_config.h"

struct mg_connection;
struct ssl_ctx_st;

namespace vitals::server {

// One loaded file: parsed config, its users' cache and its TLS context.
struct WebState {
  WebState(WebConfig config, std::shared_ptr<ssl_ctx_st> ssl_ctx);
  WebConfig config;
  BasicAuth auth;
  std::shared_ptr<ssl_ctx_st> ssl_ctx;  // Null without tls_server_config.
};

// Loads a web config file and builds its TLS context (certificate, key and CA read and
// checked); the error is one line, "file:line:column: message".
Result<std::shared_ptr<const WebState>> LoadWebState(const std::string& path);

class WebSecurity {
 public:
  static Result<std::unique_ptr<WebSecurity>> Load(const std::string& path);

  // Whether the listeners speak TLS; fixed for the process lifetime.
  bool tls() const { return tls_; }

  // The state in force, after re-reading the file if it or a file it names changed
  // (checked at most every kCheckInterval).
  std::shared_ptr<const WebState> Current();

  // civetweb's init_ssl callback: prepares civetweb's SSL_CTX to hand each handshake to
  // the current state's context.
  static int InitSsl(void* ssl_ctx, void* web_security);

  // How often the files are stat()ed at most.
  static constexpr std::chrono::milliseconds kCheckInterval{200};

 private:
  WebSecurity(std::string path, std::shared_ptr<const WebState> state);
  // Identity and change times of one file; `exists` false when stat() failed.
  struct FileStamp {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  // What a change is detected by: the file's content (it is small, and mtimes are
  // coarse enough for two quick edits to share one) and the stamps of the certificate,
  // key and CA files it names (rotated by rename or symlink swap, which stat() sees).
  struct Fingerprint {
    std::optional<std::string> content;
    std::vector<FileStamp> stamps;
    bool operator==(const Fingerprint&) const = default;
  };
  Fingerprint Take(const std::optional<TlsServerConfig>& tls) const;
  void ReloadIfChanged();

  const std::string path_;
  const bool tls_;
  std::mutex mutex_;
  std::shared_ptr<const WebState> state_;
  std::optional<TlsServerConfig> watched_tls_;  // The files named by the last attempt.
  Fingerprint loaded_fingerprint_;              // Of the last attempt, good or bad.
  std::chrono::steady_clock::time_point next_check_;
};

// Per-request guard for http_server.cc: checks credentials (sending 401 itself when
// they are missing or wrong) and makes the configured headers available to
// AddConfiguredHeaders() while the request is handled on this thread.
class WebRequest {
 public:
  WebRequest(WebSecurity* security, mg_connection* conn);  // security may be null.
  ~WebRequest();
  WebRequest(const WebRequest&) = delete;
  WebRequest& operator=(const WebRequest&) = delete;
  bool admitted() const { return admitted_; }

 private:
  std::shared_ptr<const WebState> state_;
  bool admitted_ = true;
};

// Adds http_server_config.headers of the request in progress (none outside a WebRequest).
void AddConfiguredHeaders(mg_connection* conn);
// The same headers as a list: those of the request in progress, else (outside a
// WebRequest, e.g. a protocol error before any request) those `security` holds now.
std::vector<std::pair<std::string, std::string>> ConfiguredHeaders(WebSecurity* security);

}  // namespace vitals::server
