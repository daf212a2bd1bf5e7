#include "server/web_security.h"

#include <civetweb.h>
#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "server/civetweb_openssl3.h"
#include "server/http_response.h"
#include "server/openssl_api.h"

namespace vitals::server {
namespace {

// The state of the request this worker thread is handling (see WebRequest).
thread_local const WebState* request_state = nullptr;

// OpenSSL's functions. Every caller runs after LoadOpenssl() succeeded: MakeSslContext
// checks it, and civetweb's TLS hooks run only with a TLS context made.
const OpensslApi& Ssl() { return *LoadOpenssl(); }

// Pops OpenSSL's error queue of this thread into one message: the first error is the
// cause ("No such file or directory"), later ones only say where it surfaced.
std::string OpensslError() {
  std::string message;
  while (const unsigned long code = Ssl().err_get_error()) {
    if (!message.empty()) continue;
    std::array<char, 256> text{};
    Ssl().err_error_string_n(code, text.data(), text.size());
    message = text.data();
  }
  return message.empty() ? "unknown OpenSSL error" : message;
}

// RequestClientCert and RequireAnyClientCert take any certificate, verified or not.
int AcceptAnyCertificate(int /*preverified*/, X509_STORE_CTX* /*store*/) { return 1; }

// Our contexts do not switch by server name; without this callback OpenSSL would call
// civetweb's (on its context), which moves the connection back to civetweb's context.
int IgnoreServerName(SSL* /*ssl*/, int* /*alert*/, void* /*arg*/) { return SSL_TLSEXT_ERR_NOACK; }

int ToOpenssl(TlsVersion version) {
  return version == TlsVersion::kTls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
}

Result<std::shared_ptr<ssl_ctx_st>> MakeSslContext(const TlsServerConfig& tls) {
  const Result<OpensslApi>& api = LoadOpenssl();
  if (!api.ok()) return Error{tls.where + ": tls_server_config: " + api.error()};
  api->err_clear_error();
  std::shared_ptr<SSL_CTX> ctx(api->ctx_new(api->tls_server_method()), api->ctx_free);
  const auto fail = [&](const std::string& what) {
    return Error{tls.where + ": tls_server_config: " + what + ": " + OpensslError()};
  };
  if (!ctx) return fail("cannot create a TLS context");
  api->ctx_ctrl(ctx.get(), SSL_CTRL_SET_MIN_PROTO_VERSION, ToOpenssl(tls.min_version), nullptr);
  api->ctx_ctrl(ctx.get(), SSL_CTRL_SET_MAX_PROTO_VERSION,
                tls.max_version ? ToOpenssl(*tls.max_version) : 0, nullptr);
  if (api->ctx_use_certificate_chain_file(ctx.get(), tls.cert_file.c_str()) != 1) {
    return fail("cannot load cert_file " + tls.cert_file);
  }
  if (api->ctx_use_private_key_file(ctx.get(), tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return fail("cannot load key_file " + tls.key_file);
  }
  if (api->ctx_check_private_key(ctx.get()) != 1) {
    return fail("key_file does not match cert_file");
  }
  if (!tls.client_ca_file.empty()) {
    if (api->ctx_load_verify_locations(ctx.get(), tls.client_ca_file.c_str(), nullptr) != 1) {
      return fail("cannot load client_ca_file " + tls.client_ca_file);
    }
    // The CA names go into the CertificateRequest, so clients pick a matching cert.
    STACK_OF(X509_NAME)* names = api->load_client_ca_file(tls.client_ca_file.c_str());
    if (names == nullptr) return fail("no certificate in client_ca_file " + tls.client_ca_file);
    api->ctx_set_client_ca_list(ctx.get(), names);
  }
  switch (tls.client_auth) {
    case ClientAuth::kNoClientCert:
      api->ctx_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
      break;
    case ClientAuth::kRequestClientCert:
      api->ctx_set_verify(ctx.get(), SSL_VERIFY_PEER, &AcceptAnyCertificate);
      break;
    case ClientAuth::kRequireAnyClientCert:
      api->ctx_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                          &AcceptAnyCertificate);
      break;
    case ClientAuth::kVerifyClientCertIfGiven:
      api->ctx_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuth::kRequireAndVerifyClientCert:
      api->ctx_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
  }
  api->ctx_callback_ctrl(ctx.get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                         reinterpret_cast<void (*)()>(&IgnoreServerName));
  return ctx;
}

// Debian's libcivetweb loads OpenSSL with dlopen("libssl.so") and dlopen("libcrypto.so"),
// the unversioned names that only libssl-dev installs. Say so instead of civetweb's
// terse failure.
Status CheckCivetwebCanLoadOpenssl() {
  for (const char* library : {"libcrypto.so", "libssl.so"}) {
    void* handle = dlopen(library, RTLD_LAZY);
    if (handle == nullptr) {
      return Status::Fail(std::string("TLS needs ") + library +
                          ", which civetweb loads at run time: install libssl-dev "
                          "(Debian) or link " +
                          library + " to the versioned OpenSSL library");
    }
    dlclose(handle);
  }
  return Status::Ok();
}

// The ClientHello callback on civetweb's SSL_CTX: runs before version negotiation and
// certificate selection, so switching the connection to the current context here
// applies its certificate, CA, versions and client-certificate policy.
int UseCurrentContext(SSL* ssl, int* alert, void* arg) {
  const auto state = static_cast<WebSecurity*>(arg)->Current();
  SSL_CTX* ctx = state->ssl_ctx.get();
  if (ctx == nullptr || Ssl().set_ssl_ctx(ssl, ctx) != ctx) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  // SSL_set_SSL_CTX swaps certificate and CA store only; these were copied at SSL_new.
  const OpensslApi& api = Ssl();
  api.set_verify(ssl, api.ctx_get_verify_mode(ctx), api.ctx_get_verify_callback(ctx));
  api.ctrl(ssl, SSL_CTRL_SET_MIN_PROTO_VERSION,
           api.ctx_ctrl(ctx, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nullptr), nullptr);
  api.ctrl(ssl, SSL_CTRL_SET_MAX_PROTO_VERSION,
           api.ctx_ctrl(ctx, SSL_CTRL_GET_MAX_PROTO_VERSION, 0, nullptr), nullptr);
  return SSL_CLIENT_HELLO_SUCCESS;
}

void SendUnauthorized(mg_connection* conn) {
  SendResponse(conn, 401, "text/plain; charset=utf-8", "Unauthorized\n",
               {{"WWW-Authenticate", "Basic realm=\"vitals\""}});
}

void SendTooManyRequests(mg_connection* conn) {
  SendResponse(conn, 429, "text/plain; charset=utf-8", "Too many password checks at once; retry\n",
               {{"Retry-After", "1"}});
}

}  // namespace

WebState::WebState(WebConfig web_config, std::shared_ptr<ssl_ctx_st> context)
    : config(std::move(web_config)), auth(config.basic_auth_users), ssl_ctx(std::move(context)) {}

Result<std::shared_ptr<const WebState>> LoadWebState(const std::string& path) {
  auto config = LoadWebConfigFile(path);
  if (!config.ok()) return Error{config.error()};
  if (!config->basic_auth_users.empty()) {
    // Basic auth's cache keys are libcrypto's SHA-256 (server/web_auth.h).
    if (const Result<OpensslApi>& openssl = LoadOpenssl(); !openssl.ok()) {
      return Error{path + ":1:1: basic_auth_users need OpenSSL: " + openssl.error()};
    }
  }
  std::shared_ptr<ssl_ctx_st> ctx;
  if (config->tls) {
    auto made = MakeSslContext(*config->tls);
    if (!made.ok()) return Error{made.error()};
    ctx = std::move(*made);
  }
  return std::shared_ptr<const WebState>(std::make_shared<WebState>(std::move(*config), ctx));
}

Result<std::unique_ptr<WebSecurity>> WebSecurity::Load(const std::string& path) {
  auto state = LoadWebState(path);
  if (!state.ok()) return Error{state.error()};
  if ((*state)->ssl_ctx) {
    if (auto status = CheckCivetwebCanLoadOpenssl(); !status.ok()) {
      return Error{path + ":1:1: " + status.message()};
    }
  }
  return std::unique_ptr<WebSecurity>(new WebSecurity(path, std::move(*state)));
}

WebSecurity::WebSecurity(std::string path, std::shared_ptr<const WebState> state)
    : path_(std::move(path)), tls_(state->ssl_ctx != nullptr), state_(std::move(state)) {
  watched_tls_ = state_->config.tls;
  loaded_fingerprint_ = Take(watched_tls_);
  next_check_ = std::chrono::steady_clock::now() + kCheckInterval;
}

WebSecurity::Fingerprint WebSecurity::Take(const std::optional<TlsServerConfig>& tls) const {
  Fingerprint fingerprint;
  std::ifstream file(path_, std::ios::binary);
  if (file) {
    std::stringstream content;
    content << file.rdbuf();
    fingerprint.content = content.str();
  }
  if (tls) {
    for (const auto& path : {tls->cert_file, tls->key_file, tls->client_ca_file}) {
      FileStamp stamp;
      struct stat info {};
      if (!path.empty() && stat(path.c_str(), &info) == 0) {
        stamp = {true,
                 info.st_dev,
                 info.st_ino,
                 info.st_size,
                 info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec,
                 info.st_ctim.tv_sec * 1'000'000'000LL + info.st_ctim.tv_nsec};
      }
      fingerprint.stamps.push_back(stamp);
    }
  }
  return fingerprint;
}

std::shared_ptr<const WebState> WebSecurity::Current() {
  std::lock_guard lock(mutex_);
  if (std::chrono::steady_clock::now() >= next_check_) ReloadIfChanged();
  return state_;
}

void WebSecurity::ReloadIfChanged() {
  next_check_ = std::chrono::steady_clock::now() + kCheckInterval;
  if (Take(watched_tls_) == loaded_fingerprint_) return;
  // Something changed. Watch the certificates the new file names (creating a missing one
  // may be the fix), and remember what was seen even if it fails to load, so a bad file
  // is reported once, not on every request. The content is read before loading: if the
  // file changes meanwhile, the next check loads it again.
  if (auto parsed = LoadWebConfigFile(path_); parsed.ok()) watched_tls_ = parsed->tls;
  loaded_fingerprint_ = Take(watched_tls_);
  auto loaded = LoadWebState(path_);
  if (loaded.ok() && ((*loaded)->ssl_ctx != nullptr) != tls_) {
    loaded = Error{path_ + ":1:1: adding or removing tls_server_config needs a restart"};
  }
  if (!loaded.ok()) {
    spdlog::error("web config not reloaded, keeping the previous one: {}", loaded.error());
    return;
  }
  state_ = std::move(*loaded);
  spdlog::info("web config reloaded from {}: tls={} basic_auth_users={} headers={}", path_, tls_,
               state_->config.basic_auth_users.size(), state_->config.headers.size());
}

int WebSecurity::InitSsl(void* ssl_ctx, void* web_security) {
  if (auto repaired = RepairCivetwebOpenssl3(); !repaired.ok()) {
    spdlog::error("TLS cannot start: civetweb's OpenSSL 3 workaround failed: {}",
                  repaired.message());
    return -1;
  }
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  // Every handshake moves to the current context, so sessions resumed from civetweb's
  // cache could skip the current client-certificate policy: no session reuse at all.
  const OpensslApi& api = Ssl();
  api.ctx_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, SSL_SESS_CACHE_OFF, nullptr);
  api.ctx_set_options(ctx, SSL_OP_NO_TICKET);
  api.ctx_set_num_tickets(ctx, 0);
  api.ctx_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, nullptr);
  api.ctx_set_client_hello_cb(ctx, &UseCurrentContext, web_security);
  return 1;  // The certificate comes from the current context, per handshake.
}

WebRequest::WebRequest(WebSecurity* security, mg_connection* conn) {
  if (security == nullptr) return;
  state_ = security->Current();
  request_state = state_.get();
  if (!state_->auth.enabled()) return;
  const auto verdict = state_->auth.VerifyHeader(mg_get_header(conn, "Authorization"));
  if (verdict == BasicAuth::Verdict::kBusy) {
    admitted_ = false;
    SendTooManyRequests(conn);
  } else if (verdict == BasicAuth::Verdict::kRejected) {
    admitted_ = false;
    spdlog::debug("http: 401 for {} from {}", mg_get_request_info(conn)->local_uri,
                  mg_get_request_info(conn)->remote_addr);
    SendUnauthorized(conn);
  }
}

WebRequest::~WebRequest() { request_state = nullptr; }

std::vector<std::pair<std::string, std::string>> ConfiguredHeaders(WebSecurity* security) {
  if (request_state != nullptr) return request_state->config.headers;
  if (security == nullptr) return {};
  return security->Current()->config.headers;
}

void AddConfiguredHeaders(mg_connection* conn) {
  if (request_state == nullptr) return;
  for (const auto& [name, value] : request_state->config.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
}

}  // namespace vitals::server
