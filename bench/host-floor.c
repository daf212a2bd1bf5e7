/* host-floor.c - the read floor of one scrape, for an exact list of files.
 *
 * ../shared/tools/proc-floor.c times a fixed set of /proc files; vitals with its
 * defaults reads many more (netstat, snmp, vmstat, /sys/class/net, cpufreq, ...).
 * This variant reads exactly the files a recorded scrape opened (bench/host-floor.sh
 * records them with strace) and nothing more: no parsing, no formatting, no HTTP.
 *
 * List lines:  PATH          pread from offset 0 to EOF (opened once: vitals keeps
 *                            its files open, the cheapest way to read them again)
 *              dir PATH      open the directory and read all its entries
 *              statfs PATH   statfs(2)
 *              adjtimex      adjtimex(2) read-only (the timex collector)
 *
 * Build: gcc -O2 -o host-floor bench/host-floor.c
 * Usage: host-floor LIST [ITERATIONS]   prints one key=value line per-iteration figures
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

enum kind { READ_FILE, READ_DIR, STATFS, ADJTIMEX };
struct entry { enum kind kind; char *path; int fd; };

static char buf[1 << 16];
static unsigned long long nbytes, nfail;

static void do_entry(const struct entry *e) {
    if (e->kind == ADJTIMEX) {
        struct timex tx = {0};
        if (adjtimex(&tx) < 0) nfail++;
        return;
    }
    if (e->kind == STATFS) {
        struct statfs sf;
        if (statfs(e->path, &sf) != 0) nfail++;
        return;
    }
    long n;
    if (e->kind == READ_DIR) {
        int fd = open(e->path, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
        if (fd < 0) { nfail++; return; }
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) nbytes += (unsigned long long)n;
        close(fd);
        return;
    }
    if (e->fd < 0) { nfail++; return; }
    off_t offset = 0;
    while ((n = pread(e->fd, buf, sizeof buf, offset)) > 0) {
        nbytes += (unsigned long long)n;
        offset += n;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s LIST [ITERATIONS]\n", argv[0]); return 2; }
    int iters = argc > 2 ? atoi(argv[2]) : 100;
    FILE *list = fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return 2; }
    struct entry *entries = NULL;
    size_t count = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        if (count == cap) entries = realloc(entries, (cap = cap ? cap * 2 : 256) * sizeof *entries);
        struct entry *e = &entries[count++];
        if (!strncmp(line, "dir ", 4)) { e->kind = READ_DIR; e->path = strdup(line + 4); }
        else if (!strncmp(line, "statfs ", 7)) { e->kind = STATFS; e->path = strdup(line + 7); }
        else if (!strcmp(line, "adjtimex")) { e->kind = ADJTIMEX; e->path = NULL; }
        else { e->kind = READ_FILE; e->path = strdup(line); }
        e->fd = e->kind == READ_FILE ? open(e->path, O_RDONLY | O_CLOEXEC) : -1;
    }
    fclose(list);
    struct timespec t0, t1;
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < iters; i++)
        for (size_t j = 0; j < count; j++) do_entry(&entries[j]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_SELF, &r1);
    double wall = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    double cpu = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1e3 +
                 (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e3;
    printf("iters=%d entries=%zu bytes=%llu fail=%llu wall_ms_per_iter=%.3f cpu_ms_per_iter=%.3f\n",
           iters, count, nbytes / iters, nfail / iters, wall / iters, cpu / iters);
    return 0;
}
