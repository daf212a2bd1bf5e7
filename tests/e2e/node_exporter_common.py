"""Shared by the comparisons with Debian's node_exporter 1.5
(node_exporter_compare.py on the live machine, node_exporter_fixture_compare.py on
tests/fixtures): the families vitals claims and their tolerances, the node_exporter
flags equal to vitals' built-in defaults, starting/stopping node_exporter, and the
A (node_exporter) / B (vitals) / C (node_exporter) comparison.

Python 3 standard library only.
"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SKIP = 77
DEFAULT_NODE_EXPORTER = (shutil.which("prometheus-node-exporter")
                         or "/usr/bin/prometheus-node-exporter")


class Tol:
    """B may lie outside [lo, hi] = [min(A,C), max(A,C)] by max(rel * |bound|, abs)."""

    def __init__(self, label, rel=0.0, abs_=0.0, kind="bracket", volatile_labels=False):
        self.label, self.rel, self.abs, self.kind = label, rel, abs_, kind
        # Label sets that come and go between scrapes (a process state, a TCP state held
        # by a connection or two): a sample only one side has must be at most `abs`.
        self.volatile_labels = volatile_labels

    def excess(self, a, b, c):
        """0 when B is acceptable, else how far it is outside the allowed interval."""
        if self.kind == "nonneg_int":
            return 0.0 if b >= 0 and b == int(b) else abs(b) + 1
        lo, hi = min(a, c), max(a, c)
        lo -= max(abs(lo) * self.rel, self.abs)
        hi += max(abs(hi) * self.rel, self.abs)
        if b < lo:
            return lo - b
        if b > hi:
            return b - hi
        return 0.0


# Values that must not move between A and C (or only move monotonically, for counters);
# the tiny tolerances only absorb float formatting.
EXACT = Tol("exact", rel=1e-12, abs_=1e-9)
COUNTER = Tol("counter in [A,C]", rel=1e-12, abs_=1e-9)
# /proc/stat counts CPU time in 1/100 s ticks; both print seconds with 0.01 precision.
CPU = Tol("counter in [A,C] +-0.01", abs_=0.01)
GAUGE = Tol("gauge 1% of [A,C]", rel=0.01, abs_=1e-9)
# --- inherently volatile families, with their looser tolerances -------------------
# Wall clock: the three scrapes are taken within well under a second.
TIME = Tol("within 5 s", abs_=5.0)
# Load averages are exponentially damped and printed with 2 decimals.
LOAD = Tol("0.05 or 1% of [A,C]", rel=0.01, abs_=0.05)
# Memory moves with every allocation on the machine (the exporters themselves, the
# test, page cache); small fields (a few pages) need an absolute slack.
MEMORY = Tol("1% of [A,C] or 64 KiB", rel=0.01, abs_=64 * 1024)
# Instantaneous counts of runnable / blocked processes and in-flight I/Os: they are
# sampled at a different instant by each exporter and are not monotonic, so A and C
# do not bracket B (the scraping exporter itself is usually the runnable one). Only
# the type of value can be checked.
INSTANT = Tol("any non-negative integer", kind="nonneg_int")
# Sockets open, in TIME_WAIT, orphaned, and the pages they hold (/proc/net/sockstat):
# the scrapes themselves open connections, and other programs come and go, so B may
# drift from [A,C]; the slack is wide enough for that and still catches a wrong field
# (sockets_used is in the tens, TCP_mem in the hundreds of pages on a quiet host).
SOCKETS = Tol("64 or 50% of [A,C]", rel=0.5, abs_=64)
SOCKET_BYTES = Tol("256 KiB or 50% of [A,C]", rel=0.5, abs_=256 * 1024)
# ARP entries appear and expire on their own, rarely within a second.
ARP = Tol("within 4 entries of [A,C]", abs_=4)
# File handles allocated system-wide: every exporter connection and open file moves it.
FILEFD = Tol("1% of [A,C] or 64 handles", rel=0.01, abs_=64)
# Entropy estimate of kernels before 5.18, drained by readers and refilled by interrupts.
ENTROPY = Tol("10% of [A,C] or 64 bits", rel=0.10, abs_=64)
# adjtimex(2) state between scrapes: the offset, the frequency and the error bounds move
# with each NTP update (maxerror grows 500 us/s between them); status bits may flip.
TIMEX = Tol("[A,C] +-1 ms", abs_=1e-3)
# Connection tracking entries: each scrape opens a connection.
CONNTRACK = Tol("1% of [A,C] or 16 entries", rel=0.01, abs_=16)
# Processes and threads now, and per state: every program started or ended on the
# machine between the scrapes moves them (a build running beside the test: many).
PROCESSES = Tol("10% or 32 of [A,C], states come and go", rel=0.10, abs_=32,
                volatile_labels=True)
# TCP sockets per state and their queued bytes: the scrapes' own connections, and every
# other program's, come and go; a state held by a socket or two appears and vanishes.
TCP = Tol("50% or 64 of [A,C], states come and go", rel=0.5, abs_=64, volatile_labels=True)

# Free blocks per zone and order move with every allocation on the machine.
BUDDYINFO = Tol("50% or 4096 blocks of [A,C]", rel=0.5, abs_=4096)
# Network cache counters and entries (neighbours, conntrack) move with the scrapes' own
# connections.
LNSTAT = Tol("1% or 64 of [A,C]", rel=0.01, abs_=64)
# cgroups per controller: services and sessions come and go.
CGROUPS = Tol("16 of [A,C]", abs_=16)
# Hardware sensors read twice a few hundred ms apart: temperatures in 1/1000 degree
# steps, fan speeds, currents and power draw move with load.
SENSOR = Tol("sensor: 10% or 2 units of [A,C]", rel=0.10, abs_=2.0)

# Every node_* family vitals publishes, with its tolerance. Patterns are full-match
# regular expressions. node_exporter families that vitals does not claim are ignored.
FAMILIES = [
    # cpu
    ("node_cpu_seconds_total", CPU),
    ("node_cpu_guest_seconds_total", CPU),
    # cpu with --collector.cpu.info (EXTRA_SWITCHES): /proc/cpuinfo's identification;
    # flags and bugs only with the include flags (the fixture comparison gives them).
    ("node_cpu_(info|flag_info|bug_info)", EXACT),
    # stat
    ("node_boot_time_seconds", EXACT),
    ("node_context_switches_total", COUNTER),
    ("node_forks_total", COUNTER),
    ("node_intr_total", COUNTER),
    ("node_procs_running", INSTANT),
    ("node_procs_blocked", INSTANT),
    ("node_softirqs_total", COUNTER),
    # interrupts (off by default; EXTRA_SWITCHES)
    ("node_interrupts_total", COUNTER),
    # processes (node_exporter's; off by default; EXTRA_SWITCHES)
    ("node_processes_max_processes", EXACT),
    ("node_processes_max_threads", EXACT),
    ("node_processes_(pids|threads|state|threads_state)", PROCESSES),
    # tcpstat (off by default; EXTRA_SWITCHES; live only: node_exporter reads netlink)
    ("node_tcp_connection_states", TCP),
    # loadavg
    ("node_load1", LOAD),
    ("node_load5", LOAD),
    ("node_load15", LOAD),
    # meminfo_numa (off by default; fixture comparison only): before meminfo's pattern.
    ("node_memory_numa_.+", EXACT),
    # meminfo: one gauge per /proc/meminfo field
    ("node_memory_.+", MEMORY),
    # filesystem
    ("node_filesystem_size_bytes", EXACT),
    ("node_filesystem_free_bytes", GAUGE),
    ("node_filesystem_avail_bytes", GAUGE),
    ("node_filesystem_files", EXACT),
    ("node_filesystem_files_free", GAUGE),
    ("node_filesystem_readonly", EXACT),
    ("node_filesystem_device_error", EXACT),
    # diskstats
    ("node_disk_reads_completed_total", COUNTER),
    ("node_disk_reads_merged_total", COUNTER),
    ("node_disk_read_bytes_total", COUNTER),
    ("node_disk_read_time_seconds_total", COUNTER),
    ("node_disk_writes_completed_total", COUNTER),
    ("node_disk_writes_merged_total", COUNTER),
    ("node_disk_written_bytes_total", COUNTER),
    ("node_disk_write_time_seconds_total", COUNTER),
    ("node_disk_io_now", INSTANT),
    ("node_disk_io_time_seconds_total", COUNTER),
    ("node_disk_io_time_weighted_seconds_total", COUNTER),
    ("node_disk_discards_completed_total", COUNTER),
    ("node_disk_discards_merged_total", COUNTER),
    ("node_disk_discarded_sectors_total", COUNTER),
    ("node_disk_discard_time_seconds_total", COUNTER),
    ("node_disk_flush_requests_total", COUNTER),
    ("node_disk_flush_requests_time_seconds_total", COUNTER),
    ("node_disk_info", EXACT),
    ("node_disk_(filesystem|device_mapper)_info", EXACT),
    ("node_disk_ata_(rotation_rate_rpm|write_cache|write_cache_enabled)", EXACT),
    # netdev
    ("node_network_(receive|transmit)_(bytes|packets|errs|drop|fifo|compressed)_total", COUNTER),
    ("node_network_receive_(frame|multicast|nohandler)_total", COUNTER),
    ("node_network_transmit_(colls|carrier)_total", COUNTER),
    # netclass: every family node_exporter 1.5 publishes from /sys/class/net
    ("node_network_up", EXACT),
    ("node_network_info", EXACT),
    ("node_network_(address_assign_type|carrier|device_id|dormant|flags|iface_id|iface_link"
     "|iface_link_mode|mtu_bytes|name_assign_type|net_dev_group|protocol_type|speed_bytes"
     "|transmit_queue_length)", EXACT),
    # Link flaps between the scrapes would move these; on a quiet host they stay put.
    ("node_network_carrier_(up_|down_)?changes_total", COUNTER),
    # time
    ("node_time_seconds", TIME),
    ("node_time_zone_offset_seconds", EXACT),
    ("node_time_clocksource_available_info", EXACT),
    ("node_time_clocksource_current_info", EXACT),
    # uname
    ("node_uname_info", EXACT),
    # vmstat: one untyped family per /proc/vmstat field the fields regex selects; the
    # default selection (pgpg*, pswp*, pg*fault, oom_kill) is all monotonic counters.
    ("node_vmstat_.+", COUNTER),
    # netstat: one untyped family per /proc/net/{netstat,snmp,snmp6} field the fields
    # regex selects; by default all counters but Tcp_CurrEstab (connections now) and
    # Ip_Forwarding (a setting, constant).
    ("node_netstat_Tcp_CurrEstab", INSTANT),
    ("node_netstat_.+", COUNTER),
    # sockstat: instantaneous counts and memory
    ("node_sockstat_.+_(mem_bytes|memory)", SOCKET_BYTES),
    ("node_sockstat_.+", SOCKETS),
    # softnet
    ("node_softnet_(processed|dropped|times_squeezed)_total", COUNTER),
    # udp_queues: bytes waiting in UDP buffers at the instant of the read
    ("node_udp_queues", INSTANT),
    # arp
    ("node_arp_entries", ARP),
    # pressure: PSI stall times, monotonic.
    ("node_pressure_(cpu|io|memory)_waiting_seconds_total", COUNTER),
    ("node_pressure_(io|memory)_stalled_seconds_total", COUNTER),
    # filefd: allocated handles move with every open file and socket on the machine
    # (the exporters' own connections included); the maximum is a sysctl.
    ("node_filefd_allocated", FILEFD),
    ("node_filefd_maximum", EXACT),
    # entropy: 256 and 256 on kernels >= 5.18; older kernels drain and refill the pool.
    ("node_entropy_available_bits", ENTROPY),
    ("node_entropy_pool_size_bits", EXACT),
    # timex: adjtimex(2) of the live kernel in both; NTP moves offset, frequency and the
    # error estimates between scrapes.
    ("node_timex_.+", TIMEX),
    # os: node_os_info labels and node_os_version from os-release.
    ("node_os_info", EXACT),
    ("node_os_version", EXACT),
    # conntrack: the table fills and drains with connections (the scrapes' own, where
    # conntrack tracks loopback); the limit is a sysctl; the stat_* gauges count up.
    ("node_nf_conntrack_entries", CONNTRACK),
    ("node_nf_conntrack_entries_limit", EXACT),
    ("node_nf_conntrack_stat_.+", COUNTER),
    # schedstat: per-CPU running and waiting time and timeslices, monotonic (absent in
    # both where the kernel has no /proc/schedstat).
    ("node_schedstat_(running_seconds|waiting_seconds|timeslices)_total", COUNTER),
    # cpufreq: the current frequencies move with load and power management; the limits
    # are the hardware's and the policy's (absent in both on hosts without cpufreq).
    ("node_cpu_(scaling_)?frequency_hertz", GAUGE),
    ("node_cpu_(scaling_)?frequency_(min|max)_hertz", EXACT),
    # selinux: enabled 0 and nothing else on a host without SELinux.
    ("node_selinux_(enabled|config_mode|current_mode)", EXACT),
    # textfile: the files' mtimes and the error flag; node_reboot_required is what
    # prometheus-node-exporter-collectors' apt_info.py writes (tests/fixtures/textfile,
    # and the live machine's /var/lib/prometheus/node-exporter when it has one).
    ("node_textfile_mtime_seconds", EXACT),
    ("node_textfile_scrape_error", EXACT),
    ("node_reboot_required", EXACT),
    # hwmon: chip and label annotations are static; energy counts up; the rest are
    # readings (absent in both on hosts without /sys/class/hwmon, most VMs).
    ("node_hwmon_chip_names", EXACT),
    ("node_hwmon_sensor_label", EXACT),
    ("node_hwmon_energy_joule_total", COUNTER),
    ("node_hwmon_.+", SENSOR),
    # thermal_zone: zone temperatures and the throttle state of cooling devices.
    ("node_thermal_zone_temp", SENSOR),
    ("node_cooling_device_max_state", EXACT),
    ("node_cooling_device_cur_state", SENSOR),
    # powersupplyclass: battery and adapter attributes; info labels (status) are stable
    # over a scrape, readings (current, power, charge) move.
    ("node_power_supply_info", EXACT),
    ("node_power_supply_.+", SENSOR),
    # dmi: the firmware's identification strings, read once.
    ("node_dmi_info", EXACT),
    # rapl: energy counters.
    ("node_rapl_(.+_)?joules_total", COUNTER),
    # mdadm: /proc/mdstat's arrays (absent in both on hosts without md).
    ("node_md_(state|disks|disks_required|blocks|blocks_synced)", EXACT),
    # nvme: the controllers' text attributes.
    ("node_nvme_info", EXACT),
    # edac: memory error counters (absent in both without EDAC).
    ("node_edac_(csrow_)?(correctable|uncorrectable)_errors_total", EXACT),
    # bonding: slaves and slaves with MII up per bond (absent in both without bonding).
    ("node_bonding_(slaves|active)", EXACT),
    # tapestats: SCSI tape I/O counters (absent in both without tape drives).
    ("node_tape_.+", EXACT),
    # fibrechannel: FC hosts' info and counters (absent in both without FC).
    ("node_fibrechannel_.+", EXACT),
    # nfs: NFS client RPC counters (absent in both without the NFS client).
    ("node_nfs_.+", COUNTER),
    # nfsd: NFS server RPC counters and threads (absent in both without nfsd).
    ("node_nfsd_.+", COUNTER),
    # xfs: per-filesystem XFS counters (absent in both without a mounted XFS).
    ("node_xfs_.+", COUNTER),
    # btrfs: allocation and device sizes per filesystem (absent in both without btrfs).
    ("node_btrfs_.+", GAUGE),
    # zfs: OpenZFS kstats, pool I/O and state (absent in both without ZFS).
    ("node_zfs_.+", GAUGE),
    # cgroups (off by default; EXTRA_SWITCHES): /proc/cgroups.
    ("node_cgroups_(cgroups|enabled)", CGROUPS),
    # lnstat (off by default; EXTRA_SWITCHES): /proc/net/stat/* per CPU.
    ("node_lnstat_.+_total", LNSTAT),
    # buddyinfo (off by default; EXTRA_SWITCHES): free blocks per zone and order.
    ("node_buddyinfo_blocks", BUDDYINFO),
    # ksmd (off by default; EXTRA_SWITCHES): KSM counters and settings.
    ("node_ksmd_.+", GAUGE),
    # sysctl (off by default; only the values named by its include flags: fixture only).
    ("node_sysctl_.+", EXACT),
    # zoneinfo (off by default; fixture comparison only).
    ("node_zoneinfo_.+", EXACT),
    # slabinfo (off by default; fixture comparison only).
    ("node_slabinfo_.+", EXACT),
    # drbd (off by default; fixture comparison only).
    ("node_drbd_.+", EXACT),
    # mountstats (off by default; fixture comparison only).
    ("node_mountstats_nfs_.+", EXACT),
    # infiniband: adapters' info, port states, rates and counters (absent in both without
    # InfiniBand).
    ("node_infiniband_.+", EXACT),
    # ipvs: IPVS totals and backends (absent in both without the ip_vs module).
    ("node_ipvs_.+", EXACT),
    # bcache: cache sets, backing and cache devices (absent in both without bcache).
    ("node_bcache_.+", EXACT),
]

COLLECTORS = ["cpu", "stat", "loadavg", "meminfo", "filesystem", "diskstats", "netdev",
              "netclass", "uname", "time", "vmstat", "netstat", "sockstat", "softnet",
              "udp_queues", "arp", "pressure", "filefd", "entropy", "timex", "os", "conntrack",
              "schedstat", "cpufreq", "selinux", "textfile", "hwmon", "thermal_zone",
              "powersupplyclass", "rapl", "dmi", "mdadm", "fibrechannel", "tapestats",
              "edac", "bonding", "nvme", "nfs", "nfsd", "xfs", "btrfs", "zfs", "infiniband",
              "ipvs", "bcache"]

# Switches both exporters get on top of the defaults, so that what is off by default in
# both is compared too (flags with the same name and meaning in vitals).
EXTRA_SWITCHES = ["collector.stat.softirq", "collector.interrupts", "collector.processes",
                  "collector.tcpstat", "collector.cpu.info", "collector.ksmd",
                  "collector.buddyinfo", "collector.lnstat", "collector.cgroups",
                  "collector.bcache.priorityStats"]


def vitals_args(switches=None):
    """vitals' flags for `switches` (default EXTRA_SWITCHES)."""
    return ["--" + s for s in (EXTRA_SWITCHES if switches is None else switches)]


def tolerance_for(family, table=None):
    """(pattern, Tol) of the first entry of `table` (default FAMILIES) matching `family`."""
    for pattern, tol in FAMILIES if table is None else table:
        if re.fullmatch(pattern, family):
            return pattern, tol
    return None, None


def unescape_cxx(literal, where):
    def one(m):
        if m.group(1) not in ('\\', '"'):
            raise ValueError("%s: unsupported escape \\%s" % (where, m.group(1)))
        return m.group(1)
    return re.sub(r'\\(.)', one, literal)


def read_defaults(repo):
    """{kDefaultX: pattern} from the C++ string constants in exporter/collectors/*.h."""
    defaults = {}
    directory = os.path.join(repo, "exporter", "collectors")
    decl = re.compile(r'inline\s+constexpr\s+const\s+char\s*\*\s*(kDefault\w+)\s*=\s*'
                      r'((?:"(?:[^"\\]|\\.)*"\s*)+);')
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".h"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            source = f.read()
        for m in decl.finditer(source):
            pieces = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
            defaults[m.group(1)] = "".join(unescape_cxx(p, name) for p in pieces)
    return defaults


def node_exporter_args(binary, defaults, extra=(), optional=(), switches=None):
    """The flags for node_exporter: the collectors and filters equal to vitals' defaults,
    then `extra` ([(flag, value or None)], required like those), then `optional` flags
    that are passed only where node_exporter's --help lists them. A missing required
    flag raises RuntimeError."""
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                               timeout=10).stdout
    help_text += subprocess.run([binary, "--help"], capture_output=True, text=True,
                                timeout=10).stderr
    known = set(re.findall(r"--(?:\[no-\])?([a-z][\w.-]*)", help_text))

    required = [("collector.disable-defaults", None)]
    required += [("collector." + c, None) for c in COLLECTORS]
    required += [(s, None) for s in (EXTRA_SWITCHES if switches is None else switches)]
    required += [
        ("collector.filesystem.mount-points-exclude", defaults["kDefaultMountPointsExclude"]),
        ("collector.filesystem.fs-types-exclude", defaults["kDefaultFsTypesExclude"]),
        ("collector.diskstats.device-exclude", defaults["kDefaultDiskDeviceExclude"]),
        # vitals filters no interface by default (lo included); Debian's node_exporter
        # excludes ^lo$, so give it a pattern that matches no interface name.
        ("collector.netdev.device-exclude", "^$"),
        ("collector.netclass.ignored-devices", "^$"),
        # Debian's default is upstream's; passed anyway so that both always agree.
        ("collector.vmstat.fields", defaults["kDefaultVmstatFields"]),
        ("collector.netstat.fields", defaults["kDefaultNetstatFields"]),
    ]
    required += list(extra)
    missing = [name for name, _ in required if name not in known]
    if missing:
        raise RuntimeError("node_exporter lacks flags %s" % missing)
    args = ["--" + name if value is None else "--%s=%s" % (name, value)
            for name, value in required]
    # Optional: fewer families to parse; netclass from sysfs (the default) like vitals.
    if "web.disable-exporter-metrics" in known:
        args.append("--web.disable-exporter-metrics")
    if "collector.netclass.netlink" in known:
        args.append("--no-collector.netclass.netlink")
    args += ["--" + flag for flag in optional
             if (flag[len("no-"):] if flag.startswith("no-") else flag) in known]
    return args


class NodeExporter(harness.PeerExporter):
    """node_exporter on a free loopback port; its log goes to a temporary file."""

    def __init__(self, binary, args, env=None):
        super().__init__("node_exporter", binary, args, "--web.listen-address",
                         ready_path="/", env=env)

    def stderr(self):
        return self.output()


def scrape(url):
    response = harness.http_request(url, timeout=30)
    if response.status != 200:
        raise RuntimeError("GET %s: HTTP %d" % (url, response.status))
    return harness.parse(response.text())


def compare(a, b, c, table=None, vitals_only=()):
    """Returns (problems, rows): problems are strings, rows the per-family summary.

    `table` (default FAMILIES) gives the claimed families and their tolerances.
    `vitals_only`: families vitals may publish while node_exporter (A) lacks them; the
    caller checks those itself. They are compared normally wherever A has them."""
    problems = []
    rows = []
    a_fams, b_fams, c_fams = a.by_family(), b.by_family(), c.by_family()
    b_node = sorted(f for f in b_fams if f.startswith("node_"))
    for family in b_node:
        if tolerance_for(family, table)[1] is None:
            problems.append("%s: published by vitals but not in FAMILIES (add it with a "
                            "tolerance)" % family)
        if family not in a_fams and family not in vitals_only:
            problems.append("%s: published by vitals, node_exporter has no such family"
                            % family)
    for family in sorted(a_fams):
        if tolerance_for(family, table)[1] is not None and family not in b_fams:
            problems.append("%s: node_exporter publishes it (%d samples), vitals does not"
                            % (family, len(a_fams[family])))

    for family in b_node:
        pattern, tol = tolerance_for(family, table)
        if tol is None or family not in a_fams:
            continue
        fam_problems = []
        if a.types.get(family) != b.types.get(family):
            fam_problems.append("%s: TYPE %s in vitals, %s in node_exporter"
                                % (family, b.types.get(family), a.types.get(family)))
        a_keys, b_keys = set(a_fams[family]), set(b_fams[family])
        c_keys = set(c_fams.get(family, {}))
        for key in sorted(a_keys - b_keys, key=harness.format_key):
            if tol.volatile_labels and a.samples[key] <= tol.abs:
                continue
            fam_problems.append("%s: only node_exporter has %s" % (family, harness.format_key(key)))
        for key in sorted(b_keys - a_keys, key=harness.format_key):
            if tol.volatile_labels and b.samples[key] <= tol.abs:
                continue
            fam_problems.append("%s: only vitals has %s" % (family, harness.format_key(key)))
        worst = 0.0
        for key in sorted(a_keys & b_keys & c_keys, key=harness.format_key):
            va, vb, vc = a.samples[key], b.samples[key], c.samples[key]
            excess = tol.excess(va, vb, vc)
            worst = max(worst, excess)
            if excess > 0:
                fam_problems.append("%s: vitals %r, node_exporter %r then %r (%s)"
                                    % (harness.format_key(key), vb, va, vc, tol.label))
        for key in sorted((a_keys & b_keys) - c_keys, key=harness.format_key):
            if tol.volatile_labels and a.samples[key] <= tol.abs:
                continue
            fam_problems.append("%s: vanished from node_exporter's second scrape"
                                % harness.format_key(key))
        problems.extend(fam_problems)
        rows.append((family, b.types.get(family), len(b_keys), tol.label, worst,
                     "ok" if not fam_problems else "FAIL(%d)" % len(fam_problems)))
    return problems, rows


def print_table(rows):
    width = max(len(r[0]) for r in rows)
    print("\n%-*s  %-7s %4s  %-28s %-10s %s" % (width, "family", "type", "n", "tolerance",
                                                  "worst", "status"))
    for family, typ, n, label, worst, status in rows:
        print("%-*s  %-7s %4d  %-28s %-10.3g %s" % (width, family, typ, n, label, worst, status))


def help_differences(a, b, families):
    out = []
    for family in families:
        if a.helps.get(family) != b.helps.get(family):
            out.append("  %s\n    node_exporter: %s\n    vitals:        %s"
                       % (family, a.helps.get(family), b.helps.get(family)))
    return out



def compare_rounds(node, vitals, failures, rounds, table=None, vitals_only=(),
                   min_families=30):
    """Scrapes node_exporter (A), vitals (B), node_exporter (C) and compares them, up to
    `rounds` times until a round is clean. Records the outcome in `failures`; returns
    (a, b, c) of the clean round, or of the last one when none was clean."""
    # Warm up both (first-scrape caches, udev lookups) before the timed rounds.
    scrape(node.url())
    vitals.scrape()
    for round_number in range(1, rounds + 1):
        if round_number > 1:
            time.sleep(0.2)  # Let a transient (a writeback burst, a reclaim) pass.
        started = time.monotonic()
        a = scrape(node.url())
        b = scrape(vitals.url())
        c = scrape(node.url())
        elapsed = time.monotonic() - started
        problems, rows = compare(a, b, c, table, vitals_only)
        print("\nround %d: A,B,C scraped in %.0f ms, %d problems"
              % (round_number, elapsed * 1000, len(problems)))
        for problem in problems:
            print("  " + problem)
        if not problems:
            break
    print_table(rows)
    if problems:
        failures.fail("no clean round in %d; the problems of the last round:\n  %s"
                      % (rounds, "\n  ".join(problems)))
        for problem in problems:
            failures.fail(problem)
        return a, b, c
    compared = [r[0] for r in rows]
    print("\n%d families compared: %s" % (len(compared), " ".join(compared)))
    failures.check(len(compared) >= min_families, "only %d families compared" % len(compared))
    samples = sum(r[2] for r in rows)
    failures.checks += samples  # Each compared sample is a passed check.
    print("%d samples compared" % samples)
    helps = help_differences(a, b, compared)
    if helps:
        print("\nHELP text differs (informational, not checked):\n" + "\n".join(helps))
    return a, b, c


def print_version(binary):
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    print((version.stdout + version.stderr).splitlines()[0])
