// The --web.config.file format of Prometheus's exporter-toolkit (the file node_exporter,
// blackbox_exporter and process-exporter read): tls_server_config, basic_auth_users and
// http_server_config.headers. Unknown keys and bad values are rejected with one line,
// "file:line:column: what is wrong", like the main config file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace vitals::server {

// Go's tls.ClientAuthType names, as exporter-toolkit spells them.
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,        // Ask for a certificate; accept any, or none.
  kRequireAnyClientCert,     // Demand a certificate; do not verify it.
  kVerifyClientCertIfGiven,  // Verify a certificate when one is sent.
  kRequireAndVerifyClientCert,
};

// TLS protocol versions, numbered as in the wire format (0x0303, 0x0304).
enum class TlsVersion { kTls12 = 0x0303, kTls13 = 0x0304 };

struct TlsServerConfig {
  // Paths as written, resolved against the web config file's directory (as exporter-toolkit
  // does) when the file is loaded.
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // Empty when not set.
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  TlsVersion min_version = TlsVersion::kTls12;
  std::optional<TlsVersion> max_version;  // Unset: the newest OpenSSL offers.
  // "file:line:column" of the tls_server_config key, for errors found when the
  // certificates are loaded.
  std::string where;
};

struct WebConfig {
  std::optional<TlsServerConfig> tls;
  std::map<std::string, std::string> basic_auth_users;       // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;  // Extra response headers.
  std::string source;
};

// Parses `yaml`; `name` is used in error messages (usually the file path). Pure: no file
// is read, so it can be fuzzed.
Result<WebConfig> ParseWebConfig(std::string_view yaml, const std::string& name);

// Reads and parses `path`; relative certificate paths become relative to its directory.
Result<WebConfig> LoadWebConfigFile(const std::string& path);

// True for "$2a$", "$2b$" and "$2y$" bcrypt hashes with a cost of 4..31 and 53
// characters of salt and digest.
bool IsBcryptHash(std::string_view hash);
// The cost of a hash IsBcryptHash accepts.
int BcryptCost(std::string_view hash);
// The highest cost basic_auth_users accepts: cost 16 is about 4 s of CPU per login on
// a current core, and cost 31 (which bcrypt allows) would never finish.
inline constexpr int kMaxBcryptCost = 16;

}  // namespace vitals::server
