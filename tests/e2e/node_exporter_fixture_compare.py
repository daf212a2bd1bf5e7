#!/usr/bin/env python3
"""Side by side with node_exporter on the fixture tree: both exporters read
tests/fixtures, so every node_* family vitals publishes must have node_exporter's
name, TYPE, label sets and exactly its values.

This reaches the edge cases the live machine lacks: udev data (node_disk_info labels),
a mount whose statfs fails (device_error 1), read-only mounts (per-mount and
super-block), a mount point with an escaped space, 15- and 11-column diskstats lines
(the 11-column one is a partition the default filter drops: both must drop it),
interfaces without a speed file and a speed of -1, /proc/vmstat fields inside and
outside the default fields regex, likewise /proc/net/{netstat,snmp,snmp6} fields (a
negative one), a softnet_stat line whose index column is not its position and a
9-column one, an incomplete ARP entry, conntrack statistics summed over CPUs,
os-release, cpufreq directories (a symlinked policy, missing files), /proc/schedstat (this
kernel has none; lines skipped for overflow and too few numbers), /sys/class/net attributes
in hex, octal and not numeric, /proc/interrupts (a chip without a device), processes in the
states S, I, T, Z with a running thread (node processes collector), the /proc/stat softirq
line, the textfile directory (tests/fixtures/textfile: node_textfile_* and the node_*
family apt.prom writes), hardware monitoring chips (sys/class/hwmon: chip naming from the
device link, the name file or the directory, unlabelled and failing sensors, duplicate
chip names, every unit node_exporter scales), thermal zones and cooling devices, power
supplies (every attribute prometheus/procfs parses) and RAPL zones; and, with their
off-by-default switches on in both, NUMA node meminfo/numastat, /proc/zoneinfo,
/proc/slabinfo, /proc/drbd and NFS mounts in /proc/self/mountstats (a udp mount with
statvers 1.0, a duplicate mount, per-op times past 2^53 ms).

node_exporter (Debian's /usr/bin/prometheus-node-exporter, 1.5) runs with
--path.procfs/--path.sysfs/--path.rootfs/--path.udev.data on the fixture dirs,
--collector.disable-defaults plus the collectors vitals enables by default, and the
filters equal to vitals' built-in defaults (kDefault* in exporter/collectors/*.h); netdev
and netclass read files (no netlink). vitals gets the same paths. Both run with TZ=UTC.
Then node_exporter (A), vitals (B), node_exporter (C), as in node_exporter_compare.py,
over the same claimed families (node_exporter_common.FAMILIES), with these tolerances:
  * identical: everything read from the fixture files, and node_uname_info (both call
    uname(2) on this machine) and node_time_zone_offset_seconds (TZ=UTC);
  * node_time_seconds: within 5 s of [A, C];
  * node_timex_*: adjtimex(2) of the live kernel (no path to point at a fixture),
    [A, C] +- 1 ms;
  * node_pressure_*: relative 1e-12, for the last digit of the printed double;
  * node_filesystem_{size,free,avail}_bytes, node_filesystem_files{,_free}: statfs of
    the real disk the checkout lives on (rootfs/ holds empty directories), 1 % of [A, C].
A node_* family vitals publishes that node_exporter lacks fails, with one documented
exception (NETLINK_ONLY below). tcpstat is left out here: node_exporter 1.5 reads it over
sock_diag netlink whatever --path.procfs says (tcpstat_live.py and the live comparison
cover it). COVERAGE checks that the edge cases really are in
node_exporter's output, so the comparison cannot pass by both dropping them.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import node_exporter_common as common  # noqa: E402

# Only statfs (free space) and the clock move; the rest is static, so a second round
# only ever helps the statfs families when the disk is busy.
ROUNDS = 3
ENV = {"TZ": "UTC"}

IDENTICAL = common.Tol("identical")
LIVE_TOLERANCES = {
    "node_time_seconds": common.Tol("within 5 s of [A,C]", abs_=5.0),
    "node_filesystem_size_bytes": common.GAUGE,
    "node_filesystem_free_bytes": common.GAUGE,
    "node_filesystem_avail_bytes": common.GAUGE,
    "node_filesystem_files": common.GAUGE,
    "node_filesystem_files_free": common.GAUGE,
    # adjtimex(2) has no path: both exporters read the live kernel.
    "node_timex_.+": common.TIMEX,
    # The same double (us / 1000 / 1000, as node_exporter divides), printed differently:
    # vitals' exposition writes 16 significant digits (prometheus-cpp's TextSerializer),
    # node_exporter the shortest repr that reads back exactly, so 218902 us is
    # 0.218902 in vitals and 0.21890199999999999 in node_exporter: 1 ulp apart.
    "node_pressure_(cpu|io|memory)_waiting_seconds_total": common.EXACT,
    "node_pressure_(io|memory)_stalled_seconds_total": common.EXACT,
    # Scaled sensor readings: millivolts * 0.001 is 3.3120000000000003 in node_exporter,
    # 3.312 in vitals' 16 digits, the same double to 1 ulp.
    "node_hwmon_energy_joule_total": common.EXACT,
    "node_hwmon_.+": common.EXACT,
    "node_thermal_zone_temp": common.EXACT,
    "node_power_supply_.+": common.EXACT,
    "node_rapl_(.+_)?joules_total": common.EXACT,
    # raid5 over four devices: 4/3 is 1.333333333333333 in 16 digits, the same double.
    "node_btrfs_.+": common.EXACT,
}
TABLE = [(pattern, LIVE_TOLERANCES.get(pattern, IDENTICAL)) for pattern, _ in common.FAMILIES]
assert set(LIVE_TOLERANCES) <= {pattern for pattern, _ in common.FAMILIES}

# node_exporter 1.5 by default (--collector.netdev.netlink=true) takes netdev statistics
# from rtnetlink, which includes rx_nohandler; vitals mirrors that default by reading
# /proc/net/dev plus /sys/class/net/DEV/statistics/rx_nohandler. Over rtnetlink
# node_exporter would describe the live machine's interfaces, not the fixture's, so it
# runs with --no-collector.netdev.netlink here and reads <procfs>/net/dev, which has no
# nohandler column: node_exporter then publishes no node_network_receive_nohandler_total.
# (The live comparison covers it against netlink.) Here vitals must publish one sample
# per device of node_exporter's node_network_receive_bytes_total that has a
# sys/class/net/DEV/statistics/rx_nohandler file in the fixture, with that file's value,
# and no other sample. The fixture's proc/net/dev lists ifb1, whose sysfs directory was
# not captured (tests/fixtures/README.md: only eth0, lo, ifb0), so ifb1 gets no sample
# (node_exporter's netclass does not see ifb1 either). Should node_exporter publish the
# family, it is compared like every other one.
NETLINK_ONLY = "node_network_receive_nohandler_total"

# (family, labels that a sample must include, expected value, or None: no such sample)
# in node_exporter's scrape: the fixture's edge cases (tests/fixtures/README.md).
COVERAGE = [
    # /missing has no directory under rootfs/: statfs fails; no readonly, no sizes.
    ("node_filesystem_device_error", {"mountpoint": "/missing", "fstype": "xfs"}, 1),
    ("node_filesystem_readonly", {"mountpoint": "/missing"}, None),
    ("node_filesystem_size_bytes", {"mountpoint": "/missing"}, None),
    # ro in the per-mount options only (super-block rw), and ro in both.
    ("node_filesystem_readonly", {"mountpoint": "/boot", "fstype": "vfat"}, 1),
    ("node_filesystem_readonly", {"mountpoint": "/mnt/sandboxing/model_tools_env/v1/python"}, 1),
    ("node_filesystem_readonly", {"mountpoint": "/", "device": "/dev/vda"}, 0),
    # \040 in the mount table is a space in the label.
    ("node_filesystem_readonly", {"mountpoint": "/srv/data dir", "device": "/dev/vdb1"}, 0),
    ("node_filesystem_device_error", {"fstype": "overlay"}, None),
    # udev database b254:0.
    ("node_disk_info", {"device": "vda", "major": "254", "minor": "0", "model": "QEMU_HARDDISK",
                        "path": "pci-0000:00:04.0", "revision": "2.5+", "serial": "0001",
                        "wwn": "0x5000c500a1b2c3d4"}, 1),
    # udev database b259:0: ID_SERIAL without ID_SERIAL_SHORT gives an empty serial.
    ("node_disk_info", {"device": "nvme0n1", "serial": "", "model": "VITALS_SYNTHETIC"}, 1),
    ("node_disk_filesystem_info", {"device": "nvme0n1", "type": "xfs", "usage": "filesystem"}, 1),
    ("node_disk_device_mapper_info", {"device": "nvme0n1", "name": "vg0-root",
                                      "vg_name": "vg0", "lv_name": "root"}, 1),
    ("node_disk_ata_rotation_rate_rpm", {"device": "nvme0n1"}, 7200),
    ("node_disk_ata_write_cache_enabled", {"device": "nvme0n1"}, 0),
    # 20-column line (flush columns), 15-column line (discards, no flush).
    ("node_disk_flush_requests_total", {"device": "vda"}, 1331),
    ("node_disk_discard_time_seconds_total", {"device": "nvme0n1"}, 0.02),
    ("node_disk_flush_requests_total", {"device": "nvme0n1"}, None),
    # 11-column partition line: dropped by the default device filter.
    ("node_disk_reads_completed_total", {"device": "vda1"}, None),
    # speed -1 (no --collector.netclass.ignore-invalid-speed), no speed file at all.
    ("node_network_speed_bytes", {"device": "eth0"}, -125000),
    ("node_network_speed_bytes", {"device": "lo"}, None),
    ("node_network_speed_bytes", {"device": "ifb0"}, None),
    ("node_network_info", {"device": "ifb0", "operstate": "down", "duplex": ""}, 1),
    # sys/class/net: hex flags, octal netdev_group "010", link_mode "unknown" (not a
    # number, published as 0), attributes absent on ifb0 (EINVAL live), and the
    # bonding_masters regular file, which is no interface.
    ("node_network_flags", {"device": "eth0"}, 0x1003),
    ("node_network_net_dev_group", {"device": "ifb0"}, 8),
    ("node_network_iface_link_mode", {"device": "ifb0"}, 0),
    ("node_network_carrier", {"device": "ifb0"}, None),
    ("node_network_carrier_changes_total", {"device": "eth0"}, 2),
    ("node_network_protocol_type", {"device": "lo"}, 772),
    ("node_network_up", {"device": "bonding_masters"}, None),
    # proc/vmstat: "pgfault 59409143" is selected by the default fields regex;
    # "thp_fault_alloc 16" is not (the regex is anchored at the start), nor "nr_free_pages".
    ("node_vmstat_pgfault", {}, 59409143),
    ("node_vmstat_thp_fault_alloc", {}, None),
    ("node_vmstat_nr_free_pages", {}, None),
    # proc/net/netstat "IpExt: ... InOctets" 3381678058, proc/net/snmp6 "Ip6InOctets 384":
    # selected by the default fields regex; snmp's "Tcp: ... MaxConn" -1 is not.
    ("node_netstat_IpExt_InOctets", {}, 3381678058),
    ("node_netstat_Ip6_InOctets", {}, 384),
    ("node_netstat_Tcp_MaxConn", {}, None),
    # proc/net/sockstat "TCP: ... mem 200" (pages) and "sockets: used 13"; sockstat6.
    ("node_sockstat_TCP_mem_bytes", {}, 200 * os.sysconf("SC_PAGE_SIZE")),
    ("node_sockstat_sockets_used", {}, 13),
    ("node_sockstat_FRAG6_memory", {}, 0),
    # proc/net/softnet_stat: the third line ("ffffffff ...", index column 5) is cpu 2 by
    # position; the fourth has 9 columns ("00000100 00000001 00000002 ...").
    ("node_softnet_processed_total", {"cpu": "2"}, 4294967295),
    ("node_softnet_dropped_total", {"cpu": "5"}, None),
    ("node_softnet_times_squeezed_total", {"cpu": "3"}, 2),
    # proc/net/udp6: every queue column is 0.
    ("node_udp_queues", {"ip": "v6", "queue": "rx"}, 0),
    # proc/net/arp: eth0 has a complete and an incomplete (flags 0x0) entry; ifb0 three.
    ("node_arp_entries", {"device": "eth0"}, 2),
    ("node_arp_entries", {"device": "ifb0"}, 3),
    # proc/pressure: "full ... total=41898437" in io; cpu's full line is not published.
    ("node_pressure_io_stalled_seconds_total", {}, 41.898437),
    ("node_pressure_cpu_stalled_seconds_total", {}, None),
    # proc/sys/fs/file-nr "968\t0\t2466097": the second number is not published.
    ("node_filefd_allocated", {}, 968),
    ("node_filefd_maximum", {}, 2466097),
    ("node_entropy_pool_size_bits", {}, 256),
    # proc/net/stat/nf_conntrack: columns summed over the two CPU lines.
    ("node_nf_conntrack_entries", {}, 7),
    ("node_nf_conntrack_stat_found", {}, 0x1a + 0xffffffff),
    ("node_nf_conntrack_stat_search_restart", {}, 11),
    # proc/schedstat (prometheus/procfs's fixture): ns / 1e9; cpu2's running time is past
    # uint64 and cpu3 has eight numbers (both skipped); cpu4 has ten (the first nine count).
    ("node_schedstat_running_seconds_total", {"cpu": "0"}, 2045936.778163039),
    ("node_schedstat_waiting_seconds_total", {"cpu": "1"}, 364107.263788241),
    ("node_schedstat_timeslices_total", {"cpu": "0"}, 4767485306),
    ("node_schedstat_timeslices_total", {"cpu": "2"}, None),
    ("node_schedstat_timeslices_total", {"cpu": "3"}, None),
    ("node_schedstat_running_seconds_total", {"cpu": "4"}, 1),
    ("node_schedstat_waiting_seconds_total", {"cpu": "4"}, 0.5),
    # sys/devices/system/cpu (prometheus/procfs's fixture): cpu0/cpufreq is a symlink to
    # ../cpufreq/policy0, which has no cpuinfo_cur_freq; cpu1 has no scaling_cur_freq; cpu10
    # only "  1500000 \n" and the text files; cpu2 no cpufreq directory. kHz * 1000.
    ("node_cpu_frequency_hertz", {"cpu": "1"}, 1200195000),
    ("node_cpu_frequency_hertz", {"cpu": "0"}, None),
    ("node_cpu_scaling_frequency_hertz", {"cpu": "0"}, 1219917000),
    ("node_cpu_scaling_frequency_hertz", {"cpu": "10"}, 1500000000),
    ("node_cpu_scaling_frequency_max_hertz", {"cpu": "10"}, None),
    ("node_cpu_frequency_min_hertz", {"cpu": "2"}, None),
    # selinux: node_exporter reads the live /sys/fs/selinux whatever --path.sysfs says;
    # neither this host nor the fixture has SELinux, so both say 0 and nothing more. (The
    # enabled cases are unit tests on trees: tests/unit/collectors/selinux_collector_test.)
    ("node_selinux_enabled", {}, 0),
    ("node_selinux_current_mode", {}, None),
    # rootfs/etc/os-release: Debian 12's, double-quoted values; VERSION_ID "12".
    ("node_os_info", {"id": "debian", "pretty_name": "Debian GNU/Linux 12 (bookworm)",
                      "version_codename": "bookworm", "id_like": ""}, 1),
    ("node_os_version", {"id": "debian", "name": "Debian GNU/Linux"}, 12),
    # proc/stat "softirq 104285 0 13461 ...": the total is not a vector; "block 38093".
    ("node_softirqs_total", {"vector": "block"}, 38093),
    ("node_softirqs_total", {"vector": "block_iopoll"}, 0),
    # proc/interrupts: "ERR" and "MIS" (one total) are skipped; the hand-written
    # "  8:          3          4   PCI-MSI" has no device.
    ("node_interrupts_total", {"type": "8", "cpu": "1", "info": "PCI-MSI", "devices": ""}, 4),
    ("node_interrupts_total", {"type": "ERR"}, None),
    ("node_interrupts_total", {"type": "26", "cpu": "1", "devices": "4-edge ttyS0"}, 2),
    # proc/{2,9,20266,20268,20362}: kthreadd S, kworker I, python3 S with threads S R S S,
    # T, Z; proc/1 has no stat (skipped).
    ("node_processes_pids", {}, 5),
    ("node_processes_threads", {}, 8),
    ("node_processes_state", {"state": "Z"}, 1),
    ("node_processes_state", {"state": "S"}, 2),
    ("node_processes_threads_state", {"thread_state": "R"}, 1),
    ("node_processes_threads_state", {"thread_state": "S"}, 4),
    ("node_processes_max_threads", {}, 192735),
    # textfile/apt.prom "node_reboot_required 0"; both files read without error (the
    # text-format edge cases are in node_exporter_textfile_compare.py).
    ("node_reboot_required", {}, 0),
    # proc/mdstat (prometheus/procfs's): md6 recovering with one failed and one spare
    # member, md9 resync=DELAYED (0 synced), md201 checking, md219 inactive without a
    # personality (3 spares, none required), md126 raid0 (members counted from "[").
    ("node_md_disks", {"device": "md6", "state": "failed"}, 1),
    ("node_md_blocks_synced", {"device": "md6"}, 16775552),
    ("node_md_state", {"device": "md6", "state": "recovering"}, 1),
    ("node_md_blocks_synced", {"device": "md9"}, 0),
    ("node_md_state", {"device": "md9", "state": "resync"}, 1),
    ("node_md_state", {"device": "md201", "state": "check"}, 1),
    ("node_md_disks", {"device": "md219", "state": "spare"}, 3),
    ("node_md_disks_required", {"device": "md219"}, 0),
    ("node_md_state", {"device": "md219", "state": "inactive"}, 1),
    ("node_md_disks", {"device": "md126", "state": "active"}, 2),
    # sys/devices/system/edac/mc (synthetic): mc1 has no csrows, only the noinfo counts.
    ("node_edac_csrow_correctable_errors_total", {"controller": "1", "csrow": "unknown"}, 2),
    ("node_edac_csrow_uncorrectable_errors_total", {"controller": "0", "csrow": "1"}, 2),
    ("node_edac_csrow_correctable_errors_total", {"controller": "1", "csrow": "0"}, None),
    ("node_edac_uncorrectable_errors_total", {"controller": "0"}, 5),
    # sys/class/net/bond0 (synthetic): slaves eth0 (lower_eth0, up) and ifb0 (slave_ifb0,
    # the older prefix, down); bond0 is an interface for netclass too (flags 0x1403).
    ("node_bonding_slaves", {"master": "bond0"}, 2),
    ("node_bonding_active", {"master": "bond0"}, 1),
    ("node_network_flags", {"device": "bond0"}, 0x1403),
    # sys/class/scsi_tape (prometheus/procfs's): st0 only (nst0, st0a... are its modes);
    # io_ns 9247011087720 in seconds.
    ("node_tape_io_time_seconds_total", {"device": "st0"}, 9247.01108772),
    ("node_tape_io_now", {"device": "nst0"}, None),
    # sys/class/fc_host/host0 (prometheus/procfs's): hexadecimal counters, "0x" dropped.
    ("node_fibrechannel_info", {"fc_host": "host0", "fabric_name": "0",
                                "port_id": "000002"}, 1),
    ("node_fibrechannel_nos_total", {"fc_host": "host0"}, 0x12),
    # sys/class/infiniband (prometheus/procfs's hfi1_0 and mlx4_0, a hand-written mlx5_0):
    # no hca_type file, data counters in 4-byte words, rates from "N Gb/sec", the legacy
    # counters_ext, a counter reading "N/A (no PMA)".
    ("node_infiniband_info", {"device": "hfi1_0", "hca_type": "", "firmware_version": "1.27.0"},
     1),
    ("node_infiniband_port_data_received_bytes_total", {"device": "hfi1_0", "port": "1"},
     345091702026 * 4),
    ("node_infiniband_rate_bytes_per_second", {"device": "mlx4_0", "port": "2"}, 5e9),
    ("node_infiniband_legacy_data_transmitted_bytes_total", {"device": "mlx5_0"}, 29029 * 4),
    ("node_infiniband_port_discards_received_total", {"device": "mlx5_0"}, None),
    # proc/net/ip_vs{,_stats} (prometheus/procfs's, and a hand-written UDP service): hex
    # totals, a firewall-mark service, IPv6 addresses as Go prints them.
    ("node_ipvs_incoming_bytes_total", {}, 0x51D8C8883AB3),
    ("node_ipvs_backend_connections_inactive", {"proto": "FWM", "local_mark": "10001000",
                                                "local_address": "",
                                                "remote_address": "192.168.50.26"}, 1),
    ("node_ipvs_backend_weight", {"local_address": "192.168.0.1", "local_port": "53",
                                  "remote_address": "2001:db8::1:0:0:1"}, 1),
    ("node_ipvs_backend_connections_active", {"remote_address": "::102:304"}, 2),
    # sys/fs/bcache (prometheus/procfs's): bch_hprint values ("1.1M/sec" is 1 + 1/10.24
    # MiB), microseconds scaled by 1e-9, a missing cache_readaheads read as 0.
    ("node_bcache_writeback_rate", {"backing_device": "bdev0"}, 1150976),
    ("node_bcache_writeback_rate_proportional_term", {"backing_device": "bdev0"}, 437748),
    ("node_bcache_btree_read_average_duration_seconds", {}, 1305 * 1e-9),
    ("node_bcache_cache_readaheads_total", {"backing_device": "bdev0"}, 0),
    # With --collector.bcache.priorityStats (EXTRA_SWITCHES): "Unused: 99%".
    ("node_bcache_priority_stats_unused_percent", {"cache_device": "cache0"}, 99),
    # sys/class/nvme/nvme0 (prometheus/procfs's): the model's padding trimmed.
    ("node_nvme_info", {"device": "nvme0", "model": "Samsung SSD 970 PRO 512GB",
                        "firmware_revision": "1B2QEXP7", "state": "live"}, 1),
    ("node_textfile_scrape_error", {}, 0),
    # sys/class/hwmon (hand-built from Documentation/hwmon/sysfs-interface.rst): chip
    # names from the device link (platform_coretemp_0, nvme_nvme0), the name file
    # (acpitz, ACPI-Power.Meter cleaned), the directory (hwmon6, name "---").
    ("node_hwmon_temp_celsius", {"chip": "platform_coretemp_0", "sensor": "temp1"}, 45),
    ("node_hwmon_sensor_label", {"chip": "platform_coretemp_0", "sensor": "temp1",
                                 "label": "Package id 0"}, 1),
    # temp3_input is a directory: the read fails (EISDIR, as EIO on a real chip) and only
    # that value is skipped; temp3's label and max stay.
    ("node_hwmon_temp_celsius", {"chip": "platform_coretemp_0", "sensor": "temp3"}, None),
    ("node_hwmon_temp_max_celsius", {"chip": "platform_coretemp_0", "sensor": "temp3"}, 80),
    # nvme temp1 without a label; temp1_min -273150 millidegrees.
    ("node_hwmon_temp_celsius", {"chip": "nvme_nvme0", "sensor": "temp1"}, 38.85),
    ("node_hwmon_sensor_label", {"chip": "nvme_nvme0"}, None),
    ("node_hwmon_temp_min_celsius", {"chip": "nvme_nvme0"}, -273150 * 0.001),
    # hwmon2 and hwmon3 are both "acpitz": the first sample of each name and label set
    # stays (node_exporter logs the duplicate).
    ("node_hwmon_temp_celsius", {"chip": "acpitz", "sensor": "temp1"}, 27.8),
    ("node_hwmon_chip_names", {"chip": "acpitz", "chip_name": "acpitz"}, 1),
    ("node_hwmon_chip_names", {"chip": "hwmon6"}, None),
    ("node_hwmon_temp_celsius", {"chip": "hwmon6", "sensor": "temp1"}, 50),
    # Labels are not trimmed of spaces nor lower-cased by node_exporter 1.5.
    ("node_hwmon_sensor_label", {"chip": "platform_nct6775_656", "sensor": "fan2",
                                 "label": "  Chassis Fan "}, 1),
    # in7_input lives in the device directory (platform/nct6775.656).
    ("node_hwmon_in_volts", {"chip": "platform_nct6775_656", "sensor": "in7"}, 3312 * 0.001),
    ("node_hwmon_update_interval_seconds", {"sensor": "update_interval0"}, 1),
    ("node_hwmon_voltage_regulator_version", {"sensor": "vrm0"}, 9),
    ("node_hwmon_beep_enabled", {"sensor": "beep_enable0"}, 1),
    ("node_hwmon_fan_beep_enabled", {"sensor": "fan1"}, 1),
    ("node_hwmon_temp_crit_alarm_celsius", {"chip": "platform_coretemp_0", "sensor": "temp1"}, 0),
    ("node_hwmon_humidity", {"sensor": "humidity2"}, 1154 / 1e6),
    ("node_hwmon_power_average_watt", {"sensor": "power2"}, 7222216 / 1e6),
    ("node_hwmon_energy_joule_total", {"sensor": "energy1"}, 1234.56789),
    # "not-a-number" and "  42000" do not parse: no sample.
    ("node_hwmon_temp_celsius", {"chip": "acpi_power_meter"}, None),
    # sys/class/thermal (prometheus/procfs's fixture): mC / 1000, cur_state -1.
    ("node_thermal_zone_temp", {"zone": "0", "type": "bcm2835_thermal"}, 49.925),
    ("node_thermal_zone_temp", {"zone": "1", "type": "acpitz"}, -44),
    ("node_cooling_device_cur_state", {"name": "1", "type": "intel_powerclamp"}, -1),
    ("node_cooling_device_max_state", {"name": "0", "type": "Processor"}, 50),
    # sys/class/power_supply: AC and BAT0 (prometheus/procfs's fixture) and test_battery
    # (every attribute prometheus/procfs parses; *_avg are not published).
    ("node_power_supply_online", {"power_supply": "AC"}, 0),
    ("node_power_supply_info", {"power_supply": "AC", "type": "Mains"}, 1),
    ("node_power_supply_energy_watthour", {"power_supply": "BAT0"}, 49.45),
    ("node_power_supply_voltage_volt", {"power_supply": "BAT0"}, 12.229),
    ("node_power_supply_temp_celsius", {"power_supply": "test_battery"}, 29.7),
    ("node_power_supply_time_to_empty_seconds", {"power_supply": "test_battery"}, 1349968),
    ("node_power_supply_info", {"power_supply": "test_battery", "usb_type": "[SDP] DCP CDP",
                                "scope": "System"}, 1),
    # sys/class/powercap (prometheus/procfs's fixture): "package-10" in intel-rapl:a is
    # index 10; intel-rapl itself has no name file.
    ("node_rapl_package_joules_total", {"index": "10"}, 240422.366267),
    ("node_rapl_core_joules_total", {"index": "0"}, 118821.284256),
    # sys/class/dmi/id (prometheus/procfs's fixture): sys_vendor is system_vendor, empty
    # files are empty labels, chassis_type is not published.
    ("node_dmi_info", {"system_vendor": "Dell Inc.", "chassis_asset_tag": "",
                       "product_name": "PowerEdge R6515"}, 1),
    # proc/net/rpc/nfs (prometheus/procfs's): proc4 has 61 values, the first 59 named.
    ("node_nfs_requests_total", {"proto": "3", "method": "GetAttr"}, 4084749),
    ("node_nfs_requests_total", {"proto": "4", "method": "Clone"}, 0),
    ("node_nfs_packets_total", {"protocol": "tcp"}, 18628),
    ("node_nfs_rpc_authentication_refreshes_total", {}, 4338291),
    # proc/net/rpc/nfsd (prometheus/procfs's): no v2/v3 Null, no v4 PutRootFH (2 there).
    ("node_nfsd_requests_total", {"proto": "4", "method": "PutFH"}, 9609),
    ("node_nfsd_requests_total", {"proto": "3", "method": "Null"}, None),
    ("node_nfsd_requests_total", {"proto": "4", "method": "PutRootFH"}, None),
    ("node_nfsd_server_threads", {}, 8),
    ("node_nfsd_rpc_errors_total", {"error": "cInt"}, 0),
    # sys/fs/xfs: sdc1 holds prometheus/procfs's proc/fs/xfs/stat ("rw 107739 94045":
    # writes first); vdb a Linux 6.18 file; fs/xfs/stats is the global file, no device.
    ("node_xfs_write_calls_total", {"device": "sdc1"}, 107739),
    ("node_xfs_read_calls_total", {"device": "sdc1"}, 94045),
    ("node_xfs_vnode_active_total", {"device": "vdb"}, 0),
    ("node_xfs_read_calls_total", {"device": "stats"}, None),
    # sys/fs/btrfs (prometheus/procfs's): raid5 over 4 devices is 4/3; dangling device
    # links are size 0; the second filesystem has an empty label.
    ("node_btrfs_allocation_ratio", {"block_group_type": "data", "mode": "raid5"}, 4 / 3),
    ("node_btrfs_device_size_bytes", {"device": "loop22"}, 0),
    ("node_btrfs_info", {"uuid": "7f07c59f-6136-449c-ab87-e1cf2328731b", "label": ""}, 1),
    # proc/spl/kstat/zfs (hand-built): arcstats' type-3 row is not published; fm's
    # "erpt-dropped" is erpt_dropped; pool2's state "DEGRADED" lower-cased.
    ("node_zfs_arc_hits", {}, 8772612),
    ("node_zfs_arc_memory_available_bytes", {}, None),
    ("node_zfs_fm_erpt_dropped", {}, 18),
    ("node_zfs_zpool_state", {"zpool": "pool2", "state": "degraded"}, 1),
    ("node_zfs_zpool_dataset_writes", {"zpool": "pool1", "dataset": "pool1/home"}, 12),
    # proc/cpuinfo (prometheus/procfs's): eight threads; labels as printed.
    ("node_cpu_info", {"cpu": "5", "core": "1", "package": "0", "microcode": "0xb4",
                       "cachesize": "8192 KB",
                       "model_name": "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"}, 1),
    ("node_cpu_flag_info", {"flag": "ssse3"}, 1),
    ("node_cpu_flag_info", {"flag": "avx2"}, 1),
    ("node_cpu_flag_info", {"flag": "avx"}, None),
    ("node_cpu_bug_info", {"bug": "mds"}, 1),
    ("node_cpu_bug_info", {"bug": "swapgs"}, None),
    # proc/cgroups (captured): memory has 130 cgroups.
    ("node_cgroups_cgroups", {"subsys_name": "memory"}, 130),
    ("node_cgroups_enabled", {"subsys_name": "pids"}, 1),
    # proc/net/stat: arp_cache, ndisc_cache (prometheus/procfs's) and nf_conntrack.
    ("node_lnstat_entries_total", {"subsystem": "ndisc_cache", "cpu": "1"}, 0x24),
    ("node_lnstat_found_total", {"subsystem": "nf_conntrack", "cpu": "1"}, 0xffffffff),
    ("node_lnstat_table_fulls_total", {"subsystem": "arp_cache", "cpu": "0"}, 0xc),
    # proc/buddyinfo (prometheus/procfs's): "Normal   4381 ...", order 10 of DMA 3.
    ("node_buddyinfo_blocks", {"node": "0", "zone": "Normal", "size": "0"}, 4381),
    ("node_buddyinfo_blocks", {"node": "0", "zone": "DMA", "size": "10"}, 3),
    # sys/kernel/mm/ksm (captured, counters set by hand): sleep_millisecs 20 in seconds.
    ("node_ksmd_full_scans_total", {}, 7),
    ("node_ksmd_pages_sharing", {}, 40),
    ("node_ksmd_sleep_seconds", {}, 0.02),
    ("node_ksmd_max_page_sharing", {}, None),
    # proc/sys: vm/swappiness 60, lowmem_reserve_ratio's five values, file-nr's three
    # mapped to keys, seccomp's actions as text.
    ("node_sysctl_vm_swappiness", {}, 60),
    ("node_sysctl_vm_lowmem_reserve_ratio", {"index": "2"}, 32),
    ("node_sysctl_fs_file_nr_max", {}, 2466097),
    ("node_sysctl_fs_file_nr", {}, None),
    ("node_sysctl_info", {"name": "kernel.seccomp.actions_avail", "value": "allow",
                          "index": "6"}, 1),
    ("node_sysctl_info", {"name": "kernel.random.entropy_avail", "value": "256",
                          "index": "0"}, 1),
    # sys/devices/system/node: node0 (captured), node1 (hand-written, with huge pages
    # and without the newer keys); kB * 1024, numastat counters.
    ("node_memory_numa_Active_anon", {"node": "1"}, 524288 * 1024),
    ("node_memory_numa_HugePages_Total", {"node": "1"}, 8),
    ("node_memory_numa_numa_miss_total", {"node": "1"}, 4321),
    ("node_memory_numa_SecPageTables", {"node": "1"}, None),
    # proc/zoneinfo (prometheus/procfs's): per-node stats under the first zone only.
    ("node_zoneinfo_nr_free_pages", {"node": "0", "zone": "DMA32"}, 204252),
    ("node_zoneinfo_protection_1", {"node": "0", "zone": "DMA"}, 2877),
    ("node_zoneinfo_nr_dirtied_total", {"zone": "DMA32"}, None),
    ("node_zoneinfo_managed_pages", {"zone": "Normal"}, 1268711),
    # proc/slabinfo (prometheus/procfs's): "nvidia_stack_cache 321 326 12624 2 8 : ...".
    ("node_slabinfo_objects", {"slab": "nvidia_stack_cache"}, 326),
    ("node_slabinfo_object_size_bytes", {"slab": "iwl_cmd_pool:0000:04:00.0"}, 512),
    # proc/drbd (hand-written): KiB * 1024 except "nr"; drbd2 unconfigured.
    ("node_drbd_network_sent_bytes_total", {"device": "drbd0"}, 17324442 * 1024),
    ("node_drbd_network_received_bytes_total", {"device": "drbd0"}, 10961011),
    ("node_drbd_node_role_is_primary", {"device": "drbd1", "node": "remote"}, 1),
    ("node_drbd_connected", {"device": "drbd2"}, 0),
    # proc/self/mountstats: ACCESS's queue time 18446743919241604546 ms modulo 2^53; the
    # udp mount's transport without connect counts; the second mount of the tcp export
    # skipped.
    ("node_mountstats_nfs_operations_queue_time_seconds_total", {"operation": "ACCESS"},
     (18446743919241604546 % 2**53) / 1000),
    ("node_mountstats_nfs_transport_sends_total", {"protocol": "udp"}, 100),
    ("node_mountstats_nfs_transport_connect_total", {"protocol": "udp"}, 0),
    ("node_mountstats_nfs_age_seconds_total", {"export": "192.168.1.2:/srv/udp"}, 120.5),
    ("node_mountstats_nfs_age_seconds_total", {"mountaddr": "192.168.1.1"}, 13968),
]

# Off-by-default collectors compared here only (the live comparison has no values to
# give them).
FIXTURE_SWITCHES = ["collector.sysctl", "collector.drbd", "collector.meminfo_numa",
                    "collector.mountstats", "collector.slabinfo", "collector.zoneinfo"]
# Off-by-default collectors compared here: all of EXTRA_SWITCHES but tcpstat.
SWITCHES = [s for s in common.EXTRA_SWITCHES if s != "collector.tcpstat"] + FIXTURE_SWITCHES
# Flags with values both exporters get (the same names and meanings in both).
VALUE_FLAGS = [
    # Unanchored "sse" matches sse, sse2, ssse3, sse4_1...; "^(l1tf|mds)$" two bugs.
    ("collector.cpu.info.flags-include", "sse|^avx2$"),
    ("collector.cpu.info.bugs-include", "^(l1tf|mds)$"),
    # A single value, several (index label), several with keys, text values.
    ("collector.sysctl.include", "vm.swappiness"),
    ("collector.sysctl.include", "vm.lowmem_reserve_ratio"),
    ("collector.sysctl.include", "fs.file-nr:allocated,unused,max"),
    ("collector.sysctl.include-info", "kernel.seccomp.actions_avail"),
    ("collector.sysctl.include-info", "kernel.random.entropy_avail"),
]



def fixture_paths(repo):
    fixtures = os.path.join(os.path.abspath(repo), "tests", "fixtures")
    return [
        ("path.procfs", os.path.join(fixtures, "proc")),
        ("path.sysfs", os.path.join(fixtures, "sys")),
        ("path.rootfs", os.path.join(fixtures, "rootfs")),
        ("path.udev.data", os.path.join(fixtures, "udev", "data")),
        ("collector.textfile.directory", os.path.join(fixtures, "textfile")),
    ]


def matching(scrape, family, labels):
    return {key: value for key, value in scrape.samples.items()
            if key[0] == family and set(labels.items()) <= key[1]}


def check_coverage(a, failures):
    for family, labels, expected in COVERAGE:
        found = matching(a, family, labels)
        what = "%s%s" % (family, labels)
        if expected is None:
            failures.check(not found, "node_exporter on the fixture: %s should be absent, got %s"
                           % (what, [harness.format_key(k) for k in found]))
        else:
            failures.check(len(found) == 1 and list(found.values())[0] == expected,
                           "node_exporter on the fixture: %s should be one sample = %r, got %s"
                           % (what, expected,
                              {harness.format_key(k): v for k, v in found.items()}))


def check_netlink_only(a, b, repo, failures):
    if NETLINK_ONLY in a.families():
        print("%s: node_exporter publishes it, compared above" % NETLINK_ONLY)
        return
    sysfs = dict(fixture_paths(repo))["path.sysfs"]

    def rx_nohandler(device):
        return os.path.join(sysfs, "class", "net", device, "statistics", "rx_nohandler")

    devices = sorted(dict(key[1])["device"] for key in a.samples
                     if key[0] == "node_network_receive_bytes_total")
    with_file = [d for d in devices if os.path.isfile(rx_nohandler(d))]
    failures.check(len(with_file) >= 3, "%s: only %s of node_exporter's netdev devices %s have "
                   "an rx_nohandler file" % (NETLINK_ONLY, with_file, devices))
    b_keys = {key for key in b.samples if key[0] == NETLINK_ONLY}
    expected = {(NETLINK_ONLY, frozenset({("device", d)})) for d in with_file}
    failures.check(b_keys == expected, "%s: vitals has %s, expected one per device with an "
                   "rx_nohandler file: %s" % (NETLINK_ONLY,
                                              sorted(harness.format_key(k) for k in b_keys),
                                              with_file))
    failures.check(b.types.get(NETLINK_ONLY) == "counter",
                   "%s: TYPE %s" % (NETLINK_ONLY, b.types.get(NETLINK_ONLY)))
    for key in sorted(b_keys & expected, key=harness.format_key):
        with open(rx_nohandler(dict(key[1])["device"])) as f:
            want = float(int(f.read().strip()))
        failures.check(b.samples[key] == want, "%s: vitals %r, the fixture's rx_nohandler %r"
                       % (harness.format_key(key), b.samples[key], want))
    print("%s: absent from node_exporter (procfs netdev); vitals' %d samples checked against "
          "the fixture's rx_nohandler files (netdev devices without one: %s)"
          % (NETLINK_ONLY, len(b_keys), sorted(set(devices) - set(with_file))))


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--node-exporter", default=common.DEFAULT_NODE_EXPORTER)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    failures = harness.Failures("node_exporter_fixture_compare")
    if not os.access(args.node_exporter, os.X_OK):
        print("SKIP: node_exporter not found at %s" % args.node_exporter)
        sys.exit(common.SKIP)

    defaults = common.read_defaults(args.repo)
    ne_args = common.node_exporter_args(
        args.node_exporter, defaults, extra=fixture_paths(args.repo) + VALUE_FLAGS,
        # Without this node_exporter 1.5 reads netdev statistics over rtnetlink (live).
        optional=["no-collector.netdev.netlink"], switches=SWITCHES)
    print("node_exporter flags:\n  " + "\n  ".join(ne_args))
    common.print_version(args.node_exporter)

    node = common.NodeExporter(args.node_exporter, ne_args, env=ENV)
    vitals = harness.Exporter(args.exporter,
                              harness.fixture_args(os.path.abspath(args.repo))
                              + common.vitals_args(SWITCHES)
                              + ["--%s=%s" % flag for flag in VALUE_FLAGS], env=ENV)
    try:
        node.start()
        vitals.start()
        a, b, _ = common.compare_rounds(node, vitals, failures, args.rounds, table=TABLE,
                                        vitals_only={NETLINK_ONLY}, min_families=40)
        check_coverage(a, failures)
        check_netlink_only(a, b, args.repo, failures)
        ignored = sorted(f for f in a.families()
                         if f.startswith("node_") and f not in b.families())
        print("node_exporter families vitals does not publish (not compared): "
              + " ".join(ignored))
    except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    finally:
        vitals.stop()
        node.stop()
    failures.exit()


if __name__ == "__main__":
    main()
