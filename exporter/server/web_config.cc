#include "server/web_config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <initializer_list>
#include <set>

#include "base/yaml_input.h"

namespace vitals::server {
namespace {

using WebConfigError = yaml_input::Error;
using yaml_input::AsString;
using yaml_input::Describe;
using yaml_input::ExpectMap;
using yaml_input::Located;

// exporter-toolkit keys vitals does not implement: named, so the error says so instead of
// calling them typos.
const char* Unsupported(std::string_view key) {
  for (const std::string_view name :
       {"cert", "key", "client_ca", "client_allowed_sans", "cipher_suites", "curve_preferences",
        "prefer_server_cipher_suites", "rate_limit"}) {
    if (key == name) return "is an exporter-toolkit setting that vitals does not support";
  }
  return nullptr;
}

void CheckKeys(const YAML::Node& map, const std::string& section,
               std::initializer_list<std::string_view> allowed) {
  yaml_input::CheckKeys(map, section, allowed, &Unsupported);
}

ClientAuth ReadClientAuth(const YAML::Node& node) {
  const std::string value = AsString(node, "client_auth_type");
  static const std::pair<std::string_view, ClientAuth> kNames[] = {
      {"NoClientCert", ClientAuth::kNoClientCert},
      {"RequestClientCert", ClientAuth::kRequestClientCert},
      {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
      {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
      {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert},
  };
  for (const auto& [name, auth] : kNames) {
    if (value == name) return auth;
  }
  throw WebConfigError(node.Mark(),
                       "client_auth_type must be one of NoClientCert, RequestClientCert, "
                       "RequireAnyClientCert, VerifyClientCertIfGiven, "
                       "RequireAndVerifyClientCert, got '" +
                           value + "'");
}

TlsVersion ReadVersion(const YAML::Node& node, const std::string& key) {
  const std::string value = AsString(node, key);
  if (value == "TLS12") return TlsVersion::kTls12;
  if (value == "TLS13") return TlsVersion::kTls13;
  if (value == "TLS10" || value == "TLS11") {
    throw WebConfigError(node.Mark(), key + " " + value +
                                          " is not supported: TLS 1.0 and 1.1 are obsolete "
                                          "(RFC 8996); use TLS12 or TLS13");
  }
  throw WebConfigError(node.Mark(), key + " must be TLS12 or TLS13, got '" + value + "'");
}

TlsServerConfig ReadTls(const YAML::Node& node, const std::string& name) {
  ExpectMap(node, "tls_server_config");
  CheckKeys(node, "tls_server_config",
            {"cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version",
             "max_version"});
  TlsServerConfig tls;
  tls.where = Located(name, node.Mark(), "");
  tls.where.resize(tls.where.size() - 2);  // Drop the ": " of the empty message.
  if (node["cert_file"]) tls.cert_file = AsString(node["cert_file"], "cert_file");
  if (node["key_file"]) tls.key_file = AsString(node["key_file"], "key_file");
  if (tls.cert_file.empty()) {
    throw WebConfigError(node.Mark(), "tls_server_config needs cert_file");
  }
  if (tls.key_file.empty()) throw WebConfigError(node.Mark(), "tls_server_config needs key_file");
  if (node["client_auth_type"]) tls.client_auth = ReadClientAuth(node["client_auth_type"]);
  if (node["client_ca_file"])
    tls.client_ca_file = AsString(node["client_ca_file"], "client_ca_file");
  if (node["min_version"]) tls.min_version = ReadVersion(node["min_version"], "min_version");
  if (node["max_version"]) tls.max_version = ReadVersion(node["max_version"], "max_version");
  if (tls.max_version && *tls.max_version < tls.min_version) {
    throw WebConfigError(node["max_version"].Mark(), "max_version is below min_version");
  }
  // The same consistency checks as exporter-toolkit: a CA without a policy that uses it,
  // or a verifying policy without a CA, is a mistake.
  const bool verifies = tls.client_auth == ClientAuth::kVerifyClientCertIfGiven ||
                        tls.client_auth == ClientAuth::kRequireAndVerifyClientCert;
  if (verifies && tls.client_ca_file.empty()) {
    throw WebConfigError(node.Mark(), "client_auth_type " + node["client_auth_type"].Scalar() +
                                          " needs client_ca_file");
  }
  if (!tls.client_ca_file.empty() && tls.client_auth == ClientAuth::kNoClientCert) {
    throw WebConfigError(node["client_ca_file"].Mark(),
                         "client_ca_file is set but client_auth_type is NoClientCert; set "
                         "client_auth_type (e.g. RequireAndVerifyClientCert)");
  }
  return tls;
}

void ReadUsers(const YAML::Node& node, WebConfig& config) {
  if (node.IsNull()) return;
  ExpectMap(node, "basic_auth_users");
  std::set<std::string> seen;
  for (const auto& item : node) {
    if (!item.first.IsScalar()) {
      throw WebConfigError(item.first.Mark(), "user names in basic_auth_users must be strings");
    }
    const std::string user = item.first.Scalar();
    if (!seen.insert(user).second) {
      throw WebConfigError(item.first.Mark(), "duplicate user '" + user + "' in basic_auth_users");
    }
    // RFC 7617: the user-id cannot contain a colon; such a user could never log in.
    if (user.empty() || user.find(':') != std::string::npos) {
      throw WebConfigError(item.first.Mark(),
                           "user name '" + user + "' must be non-empty and contain no ':'");
    }
    const std::string hash = AsString(item.second, "basic_auth_users." + user);
    if (!IsBcryptHash(hash)) {
      // Never echo the value: it may be a plaintext password written by mistake.
      throw WebConfigError(item.second.Mark(),
                           "basic_auth_users." + user +
                               " must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters); "
                               "see docs/security.md for how to make one");
    }
    if (const int cost = BcryptCost(hash); cost > kMaxBcryptCost) {
      throw WebConfigError(item.second.Mark(),
                           "basic_auth_users." + user + ": bcrypt cost " + std::to_string(cost) +
                               " is above " + std::to_string(kMaxBcryptCost) +
                               " (each cost step doubles the CPU time of every login; "
                               "10 to 12 is usual)");
    }
    config.basic_auth_users[user] = hash;
  }
}

// exporter-toolkit's allow-list: these headers, and for two of them only these values.
void ReadHeaders(const YAML::Node& node, WebConfig& config) {
  if (node.IsNull()) return;
  ExpectMap(node, "http_server_config.headers");
  struct Allowed {
    std::string_view name;
    std::vector<std::string_view> values;  // Empty: any value.
  };
  static const Allowed kAllowed[] = {
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  };
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string name = AsString(item.first, "a header name");
    if (!seen.insert(name).second) {
      throw WebConfigError(item.first.Mark(), "duplicate header '" + name + "'");
    }
    const Allowed* allowed = nullptr;
    for (const auto& candidate : kAllowed) {
      if (candidate.name == name) allowed = &candidate;
    }
    if (allowed == nullptr) {
      throw WebConfigError(item.first.Mark(),
                           "HTTP header '" + name +
                               "' can not be configured (allowed: Strict-Transport-Security, "
                               "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, "
                               "Content-Security-Policy)");
    }
    const std::string value = AsString(item.second, "header " + name);
    if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos) {
      throw WebConfigError(item.second.Mark(), "header " + name + " must be one line");
    }
    bool ok = allowed->values.empty();
    std::string expected;
    for (const auto& candidate : allowed->values) {
      ok = ok || candidate == value;
      expected += (expected.empty() ? "" : ", ") + std::string(candidate);
    }
    if (!ok) {
      throw WebConfigError(item.second.Mark(), "invalid value for " + name + ": expected one of " +
                                                   expected + ", got '" + value + "'");
    }
    config.headers.emplace_back(name, value);
  }
}

void ReadHttpServerConfig(const YAML::Node& node, WebConfig& config) {
  if (node.IsNull()) return;
  ExpectMap(node, "http_server_config");
  CheckKeys(node, "http_server_config", {"headers", "http2"});
  if (const YAML::Node http2 = node["http2"]) {
    // Accepted for compatibility; civetweb serves HTTP/1.1 only.
    bool value = false;
    if (!http2.IsScalar() || !YAML::convert<bool>::decode(http2, value)) {
      throw WebConfigError(http2.Mark(), "http2 must be true or false, got " + Describe(http2));
    }
  }
  if (node["headers"]) ReadHeaders(node["headers"], config);
}

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
  return base_dir + "/" + path;
}

}  // namespace

int BcryptCost(std::string_view hash) { return (hash[4] - '0') * 10 + (hash[5] - '0'); }

bool IsBcryptHash(std::string_view hash) {
  // "$2b$10$" + 22 characters of salt + 31 of digest, in bcrypt's base64 alphabet.
  if (hash.size() != 60 || hash.substr(0, 2) != "$2" || hash[3] != '$' || hash[6] != '$') {
    return false;
  }
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (hash[4] < '0' || hash[4] > '3' || hash[5] < '0' || hash[5] > '9') return false;
  const int cost = BcryptCost(hash);
  if (cost < 4 || cost > 31) return false;
  for (const char c : hash.substr(7)) {
    const bool base64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '/';
    if (!base64) return false;
  }
  return true;
}

Result<WebConfig> ParseWebConfig(std::string_view yaml, const std::string& name) {
  WebConfig config;
  config.source = name;
  try {
    const YAML::Node root = yaml_input::LoadOne(std::string(yaml));
    if (root.IsNull()) return config;  // An empty file: no TLS, no auth, like exporter-toolkit.
    ExpectMap(root, "the top level");
    CheckKeys(root, "the top level",
              {"tls_server_config", "basic_auth_users", "http_server_config"});
    if (root["tls_server_config"] && !root["tls_server_config"].IsNull()) {
      config.tls = ReadTls(root["tls_server_config"], name);
    }
    if (root["basic_auth_users"]) ReadUsers(root["basic_auth_users"], config);
    if (root["http_server_config"]) ReadHttpServerConfig(root["http_server_config"], config);
  } catch (const WebConfigError& e) {
    return Error{Located(name, e.mark, e.what())};
  } catch (const YAML::Exception& e) {
    return Error{Located(name, e.mark, e.msg)};
  }
  return config;
}

Result<WebConfig> LoadWebConfigFile(const std::string& path) {
  auto text = yaml_input::ReadFile(path, "web config file");
  if (!text.ok()) return Error{text.error()};
  auto config = ParseWebConfig(*text, path);
  if (config.ok() && config->tls) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    auto& tls = *config->tls;
    tls.cert_file = ResolvePath(dir, tls.cert_file);
    tls.key_file = ResolvePath(dir, tls.key_file);
    tls.client_ca_file = ResolvePath(dir, tls.client_ca_file);
  }
  return config;
}

}  // namespace vitals::server
