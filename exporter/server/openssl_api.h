// OpenSSL (libssl.so.3, libcrypto.so.3), loaded with dlopen() when a web config with
// tls_server_config or basic_auth_users is loaded, instead of linked. Linked, the two were mapped
// at every start: about 1.7 MiB of resident memory in every exporter, though only TLS uses them
// (civetweb itself dlopen()s libssl for TLS). The headers still give the types and
// constants; only the calls go through this table. OpenSSL "functions" that are macros
// (SSL_CTX_set_min_proto_version, SSL_CTX_set_session_cache_mode, ...) are the
// SSL_CTX_ctrl / SSL_ctrl / SSL_CTX_callback_ctrl calls they expand to.
#pragma once

#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include "base/result.h"

namespace vitals::server {

struct OpensslApi {
  // libcrypto
  decltype(&ERR_get_error) err_get_error;
  decltype(&ERR_error_string_n) err_error_string_n;
  decltype(&ERR_clear_error) err_clear_error;
  decltype(&SHA256) sha256;  // Basic auth's cache keys (server/web_auth.h).
  // libssl
  decltype(&TLS_server_method) tls_server_method;
  decltype(&SSL_CTX_new) ctx_new;
  decltype(&SSL_CTX_free) ctx_free;
  decltype(&SSL_CTX_ctrl) ctx_ctrl;
  decltype(&SSL_CTX_callback_ctrl) ctx_callback_ctrl;
  decltype(&SSL_CTX_use_certificate_chain_file) ctx_use_certificate_chain_file;
  decltype(&SSL_CTX_use_PrivateKey_file) ctx_use_private_key_file;
  decltype(&SSL_CTX_check_private_key) ctx_check_private_key;
  decltype(&SSL_CTX_load_verify_locations) ctx_load_verify_locations;
  decltype(&SSL_load_client_CA_file) load_client_ca_file;
  decltype(&SSL_CTX_set_client_CA_list) ctx_set_client_ca_list;
  decltype(&SSL_CTX_set_verify) ctx_set_verify;
  decltype(&SSL_CTX_get_verify_mode) ctx_get_verify_mode;
  decltype(&SSL_CTX_get_verify_callback) ctx_get_verify_callback;
  decltype(&SSL_CTX_set_options) ctx_set_options;
  decltype(&SSL_CTX_set_num_tickets) ctx_set_num_tickets;
  decltype(&SSL_CTX_set_client_hello_cb) ctx_set_client_hello_cb;
  decltype(&SSL_set_SSL_CTX) set_ssl_ctx;
  decltype(&SSL_set_verify) set_verify;
  decltype(&SSL_ctrl) ctrl;
  decltype(&SSL_get1_peer_certificate) get1_peer_certificate;
};

// The functions from `libssl` and `libcrypto` (dlopen()ed, never closed), or an error
// naming the library and dlerror()'s reason, or the first symbol missing. Each call
// loads anew: tests name libraries that are missing or are not OpenSSL.
Result<OpensslApi> LoadOpensslApi(const char* libssl, const char* libcrypto);

// libssl.so.3 and libcrypto.so.3, loaded once on the first call, from any thread; the
// same result (table or error) after that.
const Result<OpensslApi>& LoadOpenssl();

}  // namespace vitals::server
