#!/usr/bin/env python3
"""Bad configuration files and bad flag values are refused with exit code 2 and
exactly one line on stderr.

Config errors must read `<path>:<line>:<column>: <message>`, and the position must be
the offending token's. Each case below marks that token with '@' (removed before the
file is written), so the expected line and column are computed, not hard-coded; the
tokens are never at 1:1, so a loader that always says 1:1 fails. Every case runs
twice: with --config.check and as a normal start (which must not start listening).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MARK = "@"

# (name, YAML with MARK before the offending token, regex the message must match)
CONFIG_CASES = [
    ("yaml_syntax_bad_indent",
     "# vitals test config\ncollectors:\n  cpu:\n    enabled: true\n   @bad_indent: 1\n",
     r"end of map not found"),
    ("yaml_syntax_tab",
     "collectors:\n  cpu:\n    enabled: true\n@\tloadavg: {}\n",
     r"tab"),
    ("unknown_top_level_key",
     "# comment\ncollectors:\n  cpu:\n    enabled: true\n@colectors_typo:\n  loadavg: {}\n",
     r"unknown key 'colectors_typo' in the top level"),
    ("unknown_collector",
     "collectors:\n  cpu:\n    enabled: true\n  @cpux:\n    enabled: false\n",
     r"unknown collector 'cpux'"),
    ("unknown_key_in_collector",
     "collectors:\n  filesystem:\n    mount_timeout: 5s\n    @mount_points_exclud: \"^/run\"\n",
     r"unknown key 'mount_points_exclud' in collectors\.filesystem"),
    ("enabled_maybe",
     "collectors:\n  cpu: {}\n  loadavg:\n    enabled: @maybe\n",
     r"enabled must be true or false, got 'maybe'"),
    ("ignore_invalid_speed_not_bool",
     "collectors:\n  netclass:\n    ignore_invalid_speed: @perhaps\n",
     r"ignore_invalid_speed must be true or false"),
    ("regex_is_flow_list",
     "collectors:\n  netdev:\n    device_exclude: @[lo, eth0]\n",
     r"device_exclude must be a string, got a list"),
    ("regex_is_block_list",
     "collectors:\n  netdev:\n    device_exclude:\n      @- lo\n      - eth0\n",
     r"device_exclude must be a string, got a list"),
    ("regex_is_mapping",
     "collectors:\n  diskstats:\n    device_include: @{a: 1}\n",
     r"device_include must be a string, got a mapping"),
    ("invalid_regex",
     "collectors:\n  diskstats:\n    enabled: true\n    device_exclude: @\"([a-z\"\n",
     r"invalid regular expression '\(\[a-z'"),
    ("include_and_exclude",
     "collectors:\n  netclass:\n    device_exclude: \"^lo$\"\n    device_include: @\"^eth\"\n",
     r"mutually exclusive"),
    ("bad_duration",
     "collectors:\n  filesystem:\n    mount_timeout: @5 parsecs\n",
     r"mount_timeout must be a positive duration.*'5 parsecs'"),
    ("negative_duration",
     "collectors:\n  filesystem:\n    mount_timeout: @-5s\n",
     r"mount_timeout must be a positive duration"),
    ("gpu_unknown_key",
     "collectors:\n  gpu:\n    library: libnvidia-ml.so.1\n    @timout: 2s\n",
     r"unknown key 'timout' in collectors\.gpu \(allowed: enabled, library, timeout\)"),
    ("gpu_library_list",
     "collectors:\n  gpu:\n    library: @[a.so, b.so]\n",
     r"library must be a string, got a list"),
    ("stat_workers_zero",
     "collectors:\n  filesystem:\n    mount_timeout: 2s\n    stat_workers: @0\n",
     r"stat_workers must be a positive integer, got '0'"),
    ("stat_workers_fraction",
     "collectors:\n  filesystem:\n    stat_workers: @2.5\n",
     r"stat_workers must be a positive integer"),
    ("top_level_list",
     "# a list is not a configuration\n\n  @- collectors\n  - cpu\n",
     r"the top level must be a mapping, got a list"),
    ("collectors_is_list",
     "collectors:\n  @- cpu\n  - loadavg\n",
     r"collectors must be a mapping, got a list"),
    ("collector_section_is_scalar",
     "collectors:\n  loadavg: {}\n  cpu: @yes\n",
     r"collectors\.cpu must be a mapping"),
    ("duplicate_key_in_collector",
     "collectors:\n  netdev:\n    device_exclude: \"^lo$\"\n    @device_exclude: \"^eth\"\n",
     r"duplicate key 'device_exclude' in collectors\.netdev"),
    ("duplicate_collector",
     "collectors:\n  cpu: {}\n  loadavg: {}\n  @cpu:\n    enabled: false\n",
     r"duplicate key 'cpu' in collectors"),
]

VALID_CONFIG = """# every section, every key
collectors:
  cpu:
    enabled: true
  loadavg: {}
  uname:
  filesystem:
    enabled: true
    mount_points_exclude: "^/(dev|proc|sys)($|/)"
    fs_types_exclude: "^(proc|sysfs|tmpfs)$"
    mount_timeout: 1m30s
    stat_workers: 2
  diskstats:
    device_include: "^(vda|nvme0n1)$"
  netdev:
    device_exclude: "^lo$"
  netclass:
    device_exclude: "^ifb"
    ignore_invalid_speed: true
  time:
    enabled: false
"""

# (flags, regex the one stderr line must match)
FLAG_CASES = [
    (["--collector.diskstats.device-include=vda", "--collector.diskstats.device-exclude=zram"],
     r"--collector\.diskstats\.device-include and --collector\.diskstats\.device-exclude are "
     r"mutually exclusive"),
    (["--log.level=loud"], r"--log\.level: invalid value 'loud'"),
    (["--log.format=xml"], r"--log\.format: invalid value 'xml'"),
    (["--web.telemetry-path=metrics"], r"--web\.telemetry-path: must start with '/'"),
    (["--web.max-requests=0"], r"--web\.max-requests"),
    (["--web.listen-address"], r"--web\.listen-address needs a value"),
    (["--config.check=yes"], r"--config\.check takes no value"),
    (["--collector.nosuch"], r"unknown collector 'nosuch'"),
    (["--no-collector.nosuch"], r"unknown collector 'nosuch'"),
    (["--collector.filesystem.mount-timeout=5parsecs"],
     r"--collector\.filesystem\.mount-timeout: invalid duration '5parsecs'"),
    (["--collector.gpu.timeout=0s"], r"--collector\.gpu\.timeout: invalid duration '0s'"),
    # Issue 12: 3000000h overflowed the statfs deadline.
    (["--collector.filesystem.mount-timeout=3000000h"],
     r"--collector\.filesystem\.mount-timeout: duration '3000000h' is over the limit of 5m"),
    (["--collector.diskstats.device-exclude=([a-z"],
     r"--collector\.diskstats\.device-exclude: invalid regular expression"),
    (["--collector.netdev.device-include=(("], r"--collector\.netdev\.device-include"),
    (["positional"], r"unexpected argument 'positional'"),
]


def position(marked):
    """Removes MARK; returns (text, line, column) of the marked token, 1-based."""
    index = marked.index(MARK)
    text = marked[:index] + marked[index + 1:]
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return text, line, column


class Test:
    def __init__(self, args):
        self.exporter = args.exporter
        self.fixtures = harness.fixture_args(args.repo)
        self.f = harness.Failures("bad_config")
        self.tmp = tempfile.mkdtemp(prefix="vitals-e2e-config-")

    def run(self, args, check_mode):
        """`args` go last, so that a flag missing its value really is the last one."""
        if check_mode:
            return harness.run_exporter(self.exporter, ["--config.check"] + args)
        # A normal start: it must stop at the error, before listening.
        return harness.run_exporter(
            self.exporter, self.fixtures + ["--web.listen-address=127.0.0.1:0"] + args)

    def expect_config_error(self, name, path, line, column, message_re, check_mode):
        mode = "--config.check" if check_mode else "start"
        try:
            r = self.run(["--config.file=" + path], check_mode)
        except subprocess.TimeoutExpired:
            return ["%s (%s): did not exit within 10 s (started anyway?)" % (name, mode)]
        problems = []
        if r.returncode != 2:
            problems.append("%s (%s): exit code %d, expected 2" % (name, mode, r.returncode))
        lines = r.stderr.splitlines()
        if len(lines) != 1:
            problems.append("%s (%s): %d stderr lines, expected 1: %r"
                            % (name, mode, len(lines), r.stderr))
        first = lines[0] if lines else ""
        m = re.match(r"^(.*):(\d+):(\d+): (.+)$", first)
        if not m or m.group(1) != path:
            problems.append("%s (%s): stderr %r does not match '%s:<line>:<col>: <message>'"
                            % (name, mode, first, path))
        else:
            where = (int(m.group(2)), int(m.group(3)))
            if where != (line, column):
                problems.append("%s (%s): error at %d:%d, expected %d:%d: %r"
                                % (name, mode, where[0], where[1], line, column, first))
            if not re.search(message_re, m.group(4)):
                problems.append("%s (%s): message %r does not match /%s/"
                                % (name, mode, m.group(4), message_re))
        if r.stdout:
            problems.append("%s (%s): unexpected stdout %r" % (name, mode, r.stdout))
        return problems

    def config_cases(self):
        print("== %d bad configuration files" % len(CONFIG_CASES))
        for name, marked, message_re in CONFIG_CASES:
            text, line, column = position(marked)
            self.f.check(not (line == 1 and column == 1), "%s: token at 1:1 proves nothing" % name)
            path = os.path.join(self.tmp, name + ".yml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            for check_mode in (True, False):
                problems = self.expect_config_error(name, path, line, column, message_re,
                                                    check_mode)
                self.f.check(not problems, "\n".join(problems))
            print("  ok %-32s %d:%d" % (name, line, column))

        missing = os.path.join(self.tmp, "does", "not", "exist.yml")
        for check_mode in (True, False):
            problems = self.expect_config_error("missing_file", missing, 1, 1,
                                                r"cannot open config file", check_mode)
            self.f.check(not problems, "\n".join(problems))

        # A directory is not a config file (std::ifstream would open it as empty).
        for check_mode in (True, False):
            problems = self.expect_config_error("directory", self.tmp, 1, 1, r"is a directory",
                                                check_mode)
            self.f.check(not problems, "\n".join(problems))

    def valid_config(self):
        print("== a valid configuration")
        path = os.path.join(self.tmp, "valid.yml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(VALID_CONFIG)
        r = harness.run_exporter(self.exporter, ["--config.file=" + path, "--config.check"])
        self.f.check(r.returncode == 0, "valid config: exit code %d, stderr %r"
                     % (r.returncode, r.stderr))
        expected = "%s: configuration is valid; enabled collectors: " % path
        self.f.check(r.stdout.startswith(expected), "valid config: stdout %r" % r.stdout)
        enabled = r.stdout.strip().split("enabled collectors: ")[-1].split(",")
        self.f.check("time" not in enabled and "cpu" in enabled and "loadavg" in enabled,
                     "valid config: enabled collectors %s (time is disabled in the file)" % enabled)
        self.f.check(r.stderr == "", "valid config: stderr %r" % r.stderr)

        # An empty file means built-in defaults.
        empty = os.path.join(self.tmp, "empty.yml")
        open(empty, "w").close()
        r = harness.run_exporter(self.exporter, ["--config.file=" + empty, "--config.check"])
        self.f.check(r.returncode == 0, "empty config: exit code %d, stderr %r"
                     % (r.returncode, r.stderr))

        # And the valid file really starts and serves.
        with harness.Exporter(self.exporter, self.fixtures + ["--config.file=" + path]) as ex:
            scrape = harness.parse(ex.scrape())
            self.f.check("node_time_seconds" not in scrape.families(),
                         "time collector disabled in the file still publishes")
            devices = {dict(l)["device"] for l in scrape.find("node_disk_io_now")}
            self.f.check(devices == {"vda", "nvme0n1"},
                         "device_include ^(vda|nvme0n1)$: node_disk_io_now devices %s" % sorted(devices))

    def flag_cases(self):
        print("== %d bad flag values" % len(FLAG_CASES))
        for flags, message_re in FLAG_CASES:
            for check_mode in (True, False):
                try:
                    r = self.run(flags, check_mode)
                except subprocess.TimeoutExpired:
                    self.f.fail("%s: did not exit within 10 s" % flags)
                    continue
                lines = r.stderr.splitlines()
                self.f.check(r.returncode == 2, "%s: exit code %d, expected 2; stderr %r"
                             % (flags, r.returncode, r.stderr))
                self.f.check(len(lines) == 1 and lines[0].startswith("vitals_exporter: ")
                             and re.search(message_re, lines[0]),
                             "%s: stderr %r, expected one line matching /%s/"
                             % (flags, r.stderr, message_re))
            print("  ok %s" % " ".join(flags))


def main():
    args = harness.common_argparser(__doc__.splitlines()[0]).parse_args()
    test = Test(args)
    try:
        for step in (test.config_cases, test.valid_config, test.flag_cases):
            try:
                step()
            except (harness.ExporterError, harness.ParseError, OSError) as e:
                test.f.fail("%s: %s: %s" % (step.__name__, type(e).__name__, e))
    finally:
        shutil.rmtree(test.tmp, ignore_errors=True)
    test.f.exit()


if __name__ == "__main__":
    main()
