// The compiled task_iter.bpf.c, embedded at build time (cmake/embed_bytes.cmake) so the
// exporter needs no file beside it.
#pragma once

#include <cstddef>

namespace vitals::procfs {

extern const unsigned char kTaskIterObject[];
extern const std::size_t kTaskIterObjectSize;

}  // namespace vitals::procfs
