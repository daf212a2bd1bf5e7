#include "server/openssl_api.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "base/symbol_resolver.h"

namespace vitals::server {

Result<OpensslApi> LoadOpensslApi(const char* libssl, const char* libcrypto) {
  // libcrypto first: libssl needs it, and a missing one is then named as itself.
  void* crypto = dlopen(libcrypto, RTLD_NOW | RTLD_LOCAL);
  if (crypto == nullptr) return Error{std::string("cannot load ") + dlerror()};
  void* ssl = dlopen(libssl, RTLD_NOW | RTLD_LOCAL);
  if (ssl == nullptr) {
    Error error{std::string("cannot load ") + dlerror()};
    dlclose(crypto);
    return error;
  }
  OpensslApi api{};
  std::string error;
  SymbolResolver from_crypto(crypto, libcrypto, error);
  from_crypto("ERR_get_error", api.err_get_error);
  from_crypto("ERR_error_string_n", api.err_error_string_n);
  from_crypto("ERR_clear_error", api.err_clear_error);
  from_crypto("SHA256", api.sha256);
  SymbolResolver from_ssl(ssl, libssl, error);
  from_ssl("TLS_server_method", api.tls_server_method);
  from_ssl("SSL_CTX_new", api.ctx_new);
  from_ssl("SSL_CTX_free", api.ctx_free);
  from_ssl("SSL_CTX_ctrl", api.ctx_ctrl);
  from_ssl("SSL_CTX_callback_ctrl", api.ctx_callback_ctrl);
  from_ssl("SSL_CTX_use_certificate_chain_file", api.ctx_use_certificate_chain_file);
  from_ssl("SSL_CTX_use_PrivateKey_file", api.ctx_use_private_key_file);
  from_ssl("SSL_CTX_check_private_key", api.ctx_check_private_key);
  from_ssl("SSL_CTX_load_verify_locations", api.ctx_load_verify_locations);
  from_ssl("SSL_load_client_CA_file", api.load_client_ca_file);
  from_ssl("SSL_CTX_set_client_CA_list", api.ctx_set_client_ca_list);
  from_ssl("SSL_CTX_set_verify", api.ctx_set_verify);
  from_ssl("SSL_CTX_get_verify_mode", api.ctx_get_verify_mode);
  from_ssl("SSL_CTX_get_verify_callback", api.ctx_get_verify_callback);
  from_ssl("SSL_CTX_set_options", api.ctx_set_options);
  from_ssl("SSL_CTX_set_num_tickets", api.ctx_set_num_tickets);
  from_ssl("SSL_CTX_set_client_hello_cb", api.ctx_set_client_hello_cb);
  from_ssl("SSL_set_SSL_CTX", api.set_ssl_ctx);
  from_ssl("SSL_set_verify", api.set_verify);
  from_ssl("SSL_ctrl", api.ctrl);
  from_ssl("SSL_get1_peer_certificate", api.get1_peer_certificate);
  if (!error.empty()) {
    dlclose(ssl);
    dlclose(crypto);
    return Error{error};
  }
  return api;
}

const Result<OpensslApi>& LoadOpenssl() {
  static std::once_flag once;
  static Result<OpensslApi> loaded = Error{"not loaded"};
  std::call_once(once, [] { loaded = LoadOpensslApi("libssl.so.3", "libcrypto.so.3"); });
  return loaded;
}

}  // namespace vitals::server
