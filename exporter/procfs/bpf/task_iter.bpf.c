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
  struct prev_cputime prev_cputime;
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

/* Fields are read by plain dereference, not BPF_CORE_READ(): an iterator's task is a
 * BTF-typed pointer, so the verifier turns each load into a direct one guarded by an
 * exception table entry (PROBE_MEM), where bpf_probe_read_kernel() is a helper call with
 * its own checks; the helper calls were 45% of a scrape's CPU at 5000 processes.
 * preserve_access_index still makes each load a CO-RE relocation. */
static __always_inline void read_mm(struct vitals_task_record* r, struct mm_struct* mm) {
  if (!mm) return;
  r->flags |= VITALS_TASK_HAS_MM;
  r->total_vm = mm->total_vm;
  struct mm_struct___old* old = (void*)mm;
  /* Asked of mm_struct's field, not with bpf_core_type_exists(struct mm_rss_stat): a
   * type the kernel's BTF lacks (6.2+ here) makes libbpf look through the modules' BTF,
   * and listing those (BPF_BTF_GET_NEXT_ID) needs CAP_SYS_ADMIN, so with only CAP_BPF +
   * CAP_PERFMON Debian 12's libbpf 1.1 failed the whole load. A struct field of the old
   * layout is not compatible with the new layout's array: it "does not exist". */
  if (bpf_core_field_exists(old->rss_stat)) {
    r->rss[0] = old->rss_stat.count[0].counter;
    r->rss[1] = old->rss_stat.count[1].counter;
    r->rss[2] = old->rss_stat.count[2].counter;
    r->rss[3] = old->rss_stat.count[3].counter;
  } else {
    /* Constant indexes: CO-RE relocates an element's offset with the kernel's element
     * size only when the index is known at compile time. */
    r->rss[0] = mm->rss_stat[0].count;
    r->rss[1] = mm->rss_stat[1].count;
    r->rss[2] = mm->rss_stat[2].count;
    r->rss[3] = mm->rss_stat[3].count;
  }
}

/* bitmap_weight(open_fds, max_fds), what stat() of /proc/PID/fd gives as its size. The
 * bitmap is a plain `unsigned long *`, which the verifier does not let a program
 * dereference: it is copied with bpf_probe_read_kernel(). */
static __always_inline void count_fds(struct vitals_task_record* r, struct task_struct* task) {
  struct files_struct* files = task->files;
  if (!files) return;
  struct fdtable* fdt = files->fdt;
  if (!fdt) return;
  __u32 words = fdt->max_fds / 64;
  unsigned long* bits = fdt->open_fds;
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
  struct signal_struct* sig = task->signal;
  r->flags |= VITALS_TASK_LEADER;
  r->ppid = task->real_parent->tgid;
  if (sig) {
    r->nr_threads = sig->nr_threads;
    r->sig_utime = sig->utime;
    r->sig_stime = sig->stime;
    r->sig_sum_sched_runtime = sig->sum_sched_runtime;
    r->sig_min_flt = sig->min_flt;
    r->sig_maj_flt = sig->maj_flt;
    r->sig_prev_utime = sig->prev_cputime.utime;
    r->sig_prev_stime = sig->prev_cputime.stime;
    r->nofile_cur = sig->rlim[7].rlim_cur; /* RLIMIT_NOFILE */
    if (bpf_core_field_exists(sig->ioac.read_bytes)) {
      r->sig_read_bytes = sig->ioac.read_bytes;
      r->sig_write_bytes = sig->ioac.write_bytes;
    }
  }
  read_mm(r, task->mm);
  count_fds(r, task);
}

SEC("iter/task")
int vitals_tasks(struct bpf_iter__task* ctx) {
  struct seq_file* seq = ctx->meta->seq;
  struct task_struct* task = ctx->task;
  if (!task) return 0;

  struct vitals_task_record r = {};
  r.version = VITALS_TASK_RECORD_VERSION;
  r.tgid = task->tgid;
  r.pid = task->pid;
  if (bpf_core_field_exists(task->__state)) {
    r.state = task->__state;
  } else {
    struct task_struct___old* old = (void*)task;
    r.state = (__u32)old->state;
  }
  r.exit_state = task->exit_state;
  r.start_boottime = task->start_boottime;
  r.utime = task->utime;
  r.stime = task->stime;
  r.sum_exec_runtime = task->se.sum_exec_runtime;
  if (bpf_core_field_exists(task->prev_cputime)) { /* Not with VIRT_CPU_ACCOUNTING_NATIVE. */
    r.prev_utime = task->prev_cputime.utime;
    r.prev_stime = task->prev_cputime.stime;
  }
  r.min_flt = task->min_flt;
  r.maj_flt = task->maj_flt;
  r.nvcsw = task->nvcsw;
  r.nivcsw = task->nivcsw;
  if (bpf_core_field_exists(task->ioac.read_bytes)) {
    r.flags |= VITALS_TASK_HAS_IO;
    r.read_bytes = task->ioac.read_bytes;
    r.write_bytes = task->ioac.write_bytes;
  }
  /* The kernel pads comm with NULs (strscpy_pad), so 16 bytes copy a terminated name. */
  __builtin_memcpy(r.comm, task->comm, sizeof(r.comm));
  if (r.pid == r.tgid) read_leader(&r, task);
  bpf_seq_write(seq, &r, sizeof(r));
  return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
