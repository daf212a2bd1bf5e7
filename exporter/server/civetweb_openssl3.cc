#include "server/civetweb_openssl3.h"

#include <civetweb.h>
#include <dlfcn.h>
#include <link.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "server/openssl_api.h"

namespace vitals::server {
namespace {

constexpr std::string_view kMissingName = "SSL_get_peer_certificate";

// civetweb 1.15's `struct ssl_func` entry, as laid out on x86-64 and aarch64 alike.
struct SslFunc {
  const char* name;
  int required;
  void* ptr;
};

struct Segment {
  uintptr_t start;
  size_t size;
  bool writable;
};

struct Search {
  uintptr_t base = 0;  // Load address of libcivetweb (from dladdr).
  std::vector<Segment> segments;
};

int CollectSegments(dl_phdr_info* info, size_t /*size*/, void* data) {
  auto* search = static_cast<Search*>(data);
  if (info->dlpi_addr != search->base) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_LOAD || (header.p_flags & PF_R) == 0) continue;
    search->segments.push_back(
        {info->dlpi_addr + header.p_vaddr, header.p_memsz, (header.p_flags & PF_W) != 0});
  }
  return 1;
}

// The address of the NUL-terminated string `name` standing on its own in a read-only
// segment, or 0.
uintptr_t FindString(const std::vector<Segment>& segments, std::string_view name) {
  for (const auto& segment : segments) {
    if (segment.writable) continue;
    const char* begin = reinterpret_cast<const char*>(segment.start);
    const char* end = begin + segment.size;
    for (const char* at = begin; at < end;) {
      const void* found = memmem(at, end - at, name.data(), name.size() + 1);  // With NUL.
      if (found == nullptr) break;
      const char* hit = static_cast<const char*>(found);
      if (hit > begin && hit[-1] == '\0') return reinterpret_cast<uintptr_t>(hit);
      at = hit + 1;
    }
  }
  return 0;
}

}  // namespace

Status RepairCivetwebOpenssl3() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&mg_start2), &info) == 0 || info.dli_fbase == nullptr) {
    return Status::Fail("cannot locate libcivetweb in memory");
  }
  Search search;
  // dl_iterate_phdr reports load biases; dli_fbase is the lowest mapped address, which
  // equals the bias for a shared library linked at 0.
  search.base = reinterpret_cast<uintptr_t>(info.dli_fbase);
  dl_iterate_phdr(&CollectSegments, &search);
  if (search.segments.empty()) return Status::Fail("cannot read libcivetweb's segments");
  const uintptr_t name = FindString(search.segments, kMissingName);
  if (name == 0) return Status::Ok();  // Not a civetweb that looks it up.
  const Result<OpensslApi>& api = LoadOpenssl();
  if (!api.ok()) return Status::Fail(api.error());
  int entries = 0;
  for (const auto& segment : search.segments) {
    if (!segment.writable) continue;
    for (uintptr_t at = (segment.start + 7) & ~uintptr_t{7};
         at + sizeof(SslFunc) <= segment.start + segment.size; at += 8) {
      auto* entry = reinterpret_cast<SslFunc*>(at);
      if (reinterpret_cast<uintptr_t>(entry->name) != name) continue;
      if (entry->required != 0 && entry->required != 1) continue;
      ++entries;
      if (entry->ptr == nullptr) {
        entry->ptr = reinterpret_cast<void*>(api->get1_peer_certificate);
      }
    }
  }
  if (entries != 1) {
    return Status::Fail("found " + std::to_string(entries) +
                        " entries for SSL_get_peer_certificate in civetweb's OpenSSL "
                        "table, expected 1");
  }
  return Status::Ok();
}

}  // namespace vitals::server
