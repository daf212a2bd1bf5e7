// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The processes collector's privileged fast path: a task iterator that writes one
 * vitals_task_record per task (thread) into the iterator's seq_file. CO-RE: the structs
 * below hold only the fields read, and libbpf relocates their offsets against the
 * running kernel's BTF, so neither vmlinux.h nor kernel headers are needed to build. */
/* linux/types.h first: libbpf's headers use its __u32, __u64. */
/* clang-format off */
#include <linux/types.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#include "task_record.h"

#define PAI __attribute__((preserve_access_index))

struct percpu_counter {
  __s64 count;
} PAI;

typedef struct {
  __s64 counter;
} vitals_atomic_long;

struct mm_rss_stat { /* Before 6.2: atomic counters, no percpu_counter. */
  vitals_atomic_long count[4];
} PAI;

struct mm_struct {
  struct percpu_counter rss_stat[4];
  unsigned long total_vm;
} PAI;

struct mm_struct___old {
  struct mm_rss_stat rss_stat;
} PAI;

struct task_io_accounting {
  __u64 read_bytes;
  __u64 write_bytes;
} PAI;

struct prev_cputime {
  __u64 utime;
  __u64 stime;
} PAI;

struct rlimit {
  unsigned long rlim_cur;
} PAI;

struct fdtable {
  unsigned int max_fds;
  unsigned long* open_fds;
} PAI;

struct files_struct {
  struct fdtable* fdt;
} PAI;

struct signal_struct {
  struct rlimit rlim[16];
  int nr_threads;
  struct prev_cputime prev_cputime;
  __u64 utime;
  __u64 stime;
  unsigned long long sum_sched_runtime;
  unsigned long min_flt;
  unsigned long maj_flt;
  struct task_io_accounting ioac;
} PAI;

struct sched_entity {
  __u64 sum_exec_runtime;
} PAI;

struct task_struct {
  unsigned int __state;
  int exit_state;
  int pid;
  int tgid;
  struct task_struct* real_parent;
  struct task_struct* group_leader;
  __u64 utime;
  __u64 stime;
  struct sched_entity se;
  unsigned long nvcsw;
  unsigned long nivcsw;
  unsigned long min_flt;
  unsigned long maj_flt;
  __u64 start_boottime;
  char comm[16];
  struct mm_struct* mm;
  struct files_struct* files;
  struct signal_struct* signal;
  struct task_io_accounting ioac;
} PAI;

struct task_struct___old { /* Before 5.14 the run state was `long state`. */
  long state;
} PAI;

struct seq_file;
struct bpf_iter_meta {
  struct seq_file* seq;
} PAI;

struct bpf_iter__task {
  struct bpf_iter_meta* meta;
  struct task_struct* task;
} PAI;

static __always_inline void read_mm(struct vitals_task_record* r, struct mm_struct* mm) {
  if (!mm) return;
  r->flags |= VITALS_TASK_HAS_MM;
  r->total_vm = BPF_CORE_READ(mm, total_vm);
  if (bpf_core_type_exists(struct mm_rss_stat)) {
    struct mm_struct___old* old = (void*)mm;
    r->rss[0] = BPF_CORE_READ(old, rss_stat.count[0].counter);
    r->rss[1] = BPF_CORE_READ(old, rss_stat.count[1].counter);
    r->rss[2] = BPF_CORE_READ(old, rss_stat.count[2].counter);
    r->rss[3] = BPF_CORE_READ(old, rss_stat.count[3].counter);
  } else {
    /* Constant indexes: CO-RE relocates an element's offset with the kernel's element
     * size only when the index is known at compile time. */
    r->rss[0] = BPF_CORE_READ(mm, rss_stat[0].count);
    r->rss[1] = BPF_CORE_READ(mm, rss_stat[1].count);
    r->rss[2] = BPF_CORE_READ(mm, rss_stat[2].count);
    r->rss[3] = BPF_CORE_READ(mm, rss_stat[3].count);
  }
}

/* bitmap_weight(open_fds, max_fds), what stat() of /proc/PID/fd gives as its size. */
static __always_inline void count_fds(struct vitals_task_record* r, struct task_struct* task) {
  struct files_struct* files = BPF_CORE_READ(task, files);
  if (!files) return;
  struct fdtable* fdt = BPF_CORE_READ(files, fdt);
  if (!fdt) return;
  __u32 words = BPF_CORE_READ(fdt, max_fds) / 64;
  unsigned long* bits = BPF_CORE_READ(fdt, open_fds);
  if (words > VITALS_FD_WORDS || !bits) return;
  __u64 count = 0;
  for (__u32 i = 0; i < VITALS_FD_WORDS; i++) {
    if (i >= words) break;
    unsigned long word = 0;
    if (bpf_probe_read_kernel(&word, sizeof(word), bits + i) != 0) return;
    count += __builtin_popcountll(word);
  }
  r->open_fds = count;
  r->flags |= VITALS_TASK_HAS_FDS;
}

static __always_inline void read_leader(struct vitals_task_record* r, struct task_struct* task) {
  struct signal_struct* sig = BPF_CORE_READ(task, signal);
  r->flags |= VITALS_TASK_LEADER;
  r->ppid = BPF_CORE_READ(task, real_parent, tgid);
  if (sig) {
    r->nr_threads = BPF_CORE_READ(sig, nr_threads);
    r->sig_utime = BPF_CORE_READ(sig, utime);
    r->sig_stime = BPF_CORE_READ(sig, stime);
    r->sig_sum_sched_runtime = BPF_CORE_READ(sig, sum_sched_runtime);
    r->sig_min_flt = BPF_CORE_READ(sig, min_flt);
    r->sig_maj_flt = BPF_CORE_READ(sig, maj_flt);
    r->sig_prev_utime = BPF_CORE_READ(sig, prev_cputime.utime);
    r->sig_prev_stime = BPF_CORE_READ(sig, prev_cputime.stime);
    r->nofile_cur = BPF_CORE_READ(sig, rlim[7].rlim_cur); /* RLIMIT_NOFILE */
    if (bpf_core_field_exists(sig->ioac.read_bytes)) {
      r->sig_read_bytes = BPF_CORE_READ(sig, ioac.read_bytes);
      r->sig_write_bytes = BPF_CORE_READ(sig, ioac.write_bytes);
    }
  }
  read_mm(r, BPF_CORE_READ(task, mm));
  count_fds(r, task);
}

SEC("iter/task")
int vitals_tasks(struct bpf_iter__task* ctx) {
  struct seq_file* seq = ctx->meta->seq;
  struct task_struct* task = ctx->task;
  if (!task) return 0;

  struct vitals_task_record r = {};
  r.version = VITALS_TASK_RECORD_VERSION;
  r.tgid = BPF_CORE_READ(task, tgid);
  r.pid = BPF_CORE_READ(task, pid);
  if (bpf_core_field_exists(task->__state)) {
    r.state = BPF_CORE_READ(task, __state);
  } else {
    struct task_struct___old* old = (void*)task;
    r.state = (__u32)BPF_CORE_READ(old, state);
  }
  r.exit_state = BPF_CORE_READ(task, exit_state);
  r.start_boottime = BPF_CORE_READ(task, start_boottime);
  r.utime = BPF_CORE_READ(task, utime);
  r.stime = BPF_CORE_READ(task, stime);
  r.sum_exec_runtime = BPF_CORE_READ(task, se.sum_exec_runtime);
  r.min_flt = BPF_CORE_READ(task, min_flt);
  r.maj_flt = BPF_CORE_READ(task, maj_flt);
  r.nvcsw = BPF_CORE_READ(task, nvcsw);
  r.nivcsw = BPF_CORE_READ(task, nivcsw);
  if (bpf_core_field_exists(task->ioac.read_bytes)) {
    r.flags |= VITALS_TASK_HAS_IO;
    r.read_bytes = BPF_CORE_READ(task, ioac.read_bytes);
    r.write_bytes = BPF_CORE_READ(task, ioac.write_bytes);
  }
  BPF_CORE_READ_STR_INTO(&r.comm, task, comm);
  if (r.pid == r.tgid) read_leader(&r, task);
  bpf_seq_write(seq, &r, sizeof(r));
  return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
