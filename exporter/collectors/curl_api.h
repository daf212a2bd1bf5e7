// libcurl, loaded with dlopen() at the first probe instead of linked. Linked, its
// dependency chain (GnuTLS through librtmp, Kerberos, LDAP, libssh2, nghttp2, ...) is
// mapped and relocated at every start: about 3 MiB of resident memory in every
// exporter, though most configure no probe. The headers still give the types and
// constants; only the calls go through this table.
#pragma once

#include <curl/curl.h>

#include "base/result.h"

namespace vitals::collectors {

struct CurlApi {
  decltype(&curl_global_init) global_init;
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_getinfo) easy_getinfo;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
  decltype(&curl_url) url;
  decltype(&curl_url_set) url_set;
  decltype(&curl_url_get) url_get;
  decltype(&curl_url_cleanup) url_cleanup;
  decltype(&curl_free) free;
  decltype(&curl_multi_init) multi_init;
  decltype(&curl_multi_add_handle) multi_add_handle;
  decltype(&curl_multi_remove_handle) multi_remove_handle;
  decltype(&curl_multi_perform) multi_perform;
  decltype(&curl_multi_poll) multi_poll;
  decltype(&curl_multi_info_read) multi_info_read;
  decltype(&curl_multi_cleanup) multi_cleanup;
};

// libcurl.so.4 loaded and initialised (curl_global_init) once, on the first call; the
// same table after that, from any thread. An error names the library and dlerror()'s
// reason (libcurl4 not installed, a symbol missing from an older libcurl).
Result<const CurlApi*> LoadCurl();

}  // namespace vitals::collectors
