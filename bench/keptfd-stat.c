// Per-process cost of reading /proc/PID/stat: openat+read+close each time (A) against
// pread on an fd kept open (B), CPU time via getrusage, over every pid, ITER passes.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
static char buf[4096];
static double cpu(void) { struct rusage r; getrusage(RUSAGE_SELF, &r);
  return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6; }
int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 20;
  int proc = open("/proc", O_RDONLY | O_DIRECTORY);
  int pids[70000], fds[70000], n = 0;
  DIR *d = opendir("/proc"); struct dirent *e;
  while ((e = readdir(d))) if (e->d_name[0] >= '1' && e->d_name[0] <= '9') pids[n++] = atoi(e->d_name);
  closedir(d);
  char path[64]; long bytes = 0;
  double t0 = cpu();
  for (int it = 0; it < iters; it++) for (int i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%d/stat", pids[i]);
    int fd = openat(proc, path, O_RDONLY | O_CLOEXEC); if (fd < 0) continue;
    bytes += read(fd, buf, sizeof buf); close(fd); }
  double t1 = cpu();
  for (int i = 0; i < n; i++) { snprintf(path, sizeof path, "%d/stat", pids[i]); fds[i] = openat(proc, path, O_RDONLY | O_CLOEXEC); }
  double t2 = cpu();
  for (int it = 0; it < iters; it++) for (int i = 0; i < n; i++) if (fds[i] >= 0) bytes += pread(fds[i], buf, sizeof buf, 0);
  double t3 = cpu();
  printf("pids=%d iters=%d open+read+close=%.2f us/pid  pread(kept)=%.2f us/pid  (bytes %ld)\n", n, iters,
         (t1 - t0) / iters / n * 1e6, (t3 - t2) / iters / n * 1e6, bytes);
  return 0;
}
