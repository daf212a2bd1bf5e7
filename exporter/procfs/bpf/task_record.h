/* One record per task (thread) from task_iter.bpf.c, read by procfs/bpf_tasks.cc.
 * Plain C: both the BPF object (clang -target bpf) and the exporter include it.
 * Times are nanoseconds, memory counters pages; the kernel's own units. */
#ifndef VITALS_PROCFS_BPF_TASK_RECORD_H_
#define VITALS_PROCFS_BPF_TASK_RECORD_H_

#ifdef __cplusplus
#include <cstdint>
#define VITALS_U32 std::uint32_t
#define VITALS_U64 std::uint64_t
#define VITALS_S64 std::int64_t
#else
#define VITALS_U32 __u32
#define VITALS_U64 __u64
#define VITALS_S64 __s64
#endif

#define VITALS_TASK_RECORD_VERSION 2
#define VITALS_TASK_LEADER 1u  /* The thread group leader: the signal and mm fields are set. */
#define VITALS_TASK_HAS_MM 2u  /* A user process (kernel threads have no mm). */
#define VITALS_TASK_HAS_IO 4u  /* CONFIG_TASK_IO_ACCOUNTING: read/write bytes are valid. */
#define VITALS_TASK_HAS_FDS 8u /* open_fds counted (the table fit VITALS_FD_WORDS words). */

/* Open-fd bitmap words the iterator counts: 64 Ki descriptors. Larger tables are
 * counted from /proc. */
#define VITALS_FD_WORDS 1024

/* mm->rss_stat indexes (enum in include/linux/mm_types_task.h, stable since 4.x). */
#define VITALS_MM_FILEPAGES 0
#define VITALS_MM_ANONPAGES 1
#define VITALS_MM_SWAPENTS 2
#define VITALS_MM_SHMEMPAGES 3

struct vitals_task_record {
  VITALS_U32 version;
  VITALS_U32 flags;
  VITALS_U32 tgid;
  VITALS_U32 pid;
  VITALS_U32 ppid;  /* real_parent's tgid, as /proc/PID/stat shows. */
  VITALS_U32 state; /* __state (or state before 5.14) */
  VITALS_U32 exit_state;
  VITALS_U32 nr_threads; /* signal->nr_threads (leader only). */
  VITALS_U64 start_boottime;
  /* This thread. */
  VITALS_U64 utime, stime, sum_exec_runtime;
  VITALS_U64 min_flt, maj_flt, nvcsw, nivcsw;
  VITALS_U64 read_bytes, write_bytes;
  /* Leader only: what exited threads left in signal_struct. */
  VITALS_U64 sig_utime, sig_stime, sig_sum_sched_runtime;
  VITALS_U64 sig_min_flt, sig_maj_flt;
  VITALS_U64 sig_read_bytes, sig_write_bytes;
  /* signal->prev_cputime: where the kernel's cputime_adjust() for /proc stands. */
  VITALS_U64 sig_prev_utime, sig_prev_stime;
  /* Leader only: open descriptors (as /proc/PID/fd's st_size) and RLIMIT_NOFILE's soft
   * limit. */
  VITALS_U64 open_fds, nofile_cur;
  /* Leader only, user processes: mm counters as /proc reads them. */
  VITALS_S64 rss[4];
  VITALS_U64 total_vm;
  char comm[16];
  /* This thread's prev_cputime: where cputime_adjust() for /proc/PID/task/TID/stat
   * stands (version 2). */
  VITALS_U64 prev_utime, prev_stime;
};

#undef VITALS_U32
#undef VITALS_U64
#undef VITALS_S64

#endif /* VITALS_PROCFS_BPF_TASK_RECORD_H_ */
