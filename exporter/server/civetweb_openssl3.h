// Debian 12's libcivetweb1 (1.15) loads OpenSSL at run time by symbol name and was
// written for OpenSSL 1.1: it looks up SSL_get_peer_certificate, which OpenSSL 3 only
// has as a macro for SSL_get1_peer_certificate. The lookup fails, the pointer stays
// null (civetweb marks it optional), and civetweb calls it after every TLS handshake:
// each HTTPS connection would crash the process.
//
// RepairCivetwebOpenssl3() fills that one empty slot of civetweb's private OpenSSL
// function table with SSL_get1_peer_certificate (same contract: a new reference that
// civetweb frees with X509_free). It must run after civetweb loaded libssl and before
// it accepts connections: from the init_ssl callback.
#pragma once

#include "base/result.h"

namespace vitals::server {

// Ok when the slot was filled or did not need filling (a civetweb that resolved the
// function itself); an error when the table cannot be found, so TLS must not start.
Status RepairCivetwebOpenssl3();

}  // namespace vitals::server
