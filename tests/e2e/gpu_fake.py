#!/usr/bin/env python3
"""The gpu collector in the real binary over HTTP, with tests/fake_nvml loaded through
--collector.gpu.library (no GPU or NVIDIA driver needed; the fake answers from a script
file named by FAKE_NVML_SCRIPT, rewritten between scrapes):

  values    two GPUs: every vitals_gpu_* family with its value and gpu/uuid/name
            labels, no fan and no ECC series for the GPU without them, success 1,
            promtool check metrics clean; a `sleep` the test starts is in a process
            group and its GPU memory (from the fake) is vitals_process_gpu_memory_bytes
            next to the group's namedprocess_namegroup_num_procs.
  lost      GPU 1 lost: success 0, GPU 0 still published, a warning in the log.
  hung      nvmlDeviceGetTemperature blocks: the scrape still answers within the
            timeout (2 s, + slack) with success{gpu} 0 and the other collectors' metrics;
            five more scrapes answer in under 1 s and the exporter's thread count does not
            grow; once the call returns, success is back to 1.
  missing   a library path that does not exist: no vitals_gpu_* series, success 1, and
            exactly one info line "NVML is not available" after three scrapes.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402  (run_promtool)
import harness  # noqa: E402

GPU0 = {"gpu": "0", "uuid": "GPU-11111111-2222-3333-4444-555555555555",
        "name": "NVIDIA H100 80GB HBM3"}
GPU1 = {"gpu": "1", "uuid": "GPU-66666666-7777-8888-9999-000000000000",
        "name": "NVIDIA A100-SXM4-40GB"}
# Two GPUs with every value set, shared with the unit and dashboard tests.
TWO_GPUS_SCRIPT = os.path.join("tests", "fixtures", "nvml", "two_gpus.script")
# Long enough that a scrape which waited is told apart from one that did not, on a
# loaded machine.
TIMEOUT_MS = 2000
GIB = 1 << 30


def value(scrape, metric, labels):
    """The sample's value or None (Scrape.get cannot take a label called "name")."""
    return scrape.samples.get((metric, frozenset(labels.items())))


class Test:
    def __init__(self, args):
        self.args = args
        with open(os.path.join(args.repo, TWO_GPUS_SCRIPT)) as f:
            self.two_gpus = f.read()
        self.f = harness.Failures("gpu_fake")
        self.tmp = tempfile.mkdtemp(prefix="vitals-e2e-gpu-")
        self.script = os.path.join(self.tmp, "nvml.script")

    def write_script(self, text):
        temporary = self.script + ".new"
        with open(temporary, "w") as f:
            f.write(text)
        os.replace(temporary, self.script)  # The fake never reads half a file.

    def start(self, *extra, library=None):
        args = ["--collector.disable-defaults", "--collector.gpu", "--collector.loadavg",
                "--collector.gpu.library=" + (library or self.args.fake_nvml)] + list(extra)
        return harness.Exporter(self.args.exporter, args,
                                env={"FAKE_NVML_SCRIPT": self.script}).start()

    def gpu_success(self, scrape):
        return value(scrape, "vitals_scrape_collector_success", {"collector": "gpu"})

    def values(self):
        print("== values, labels, process groups", flush=True)
        f = self.f
        marker = "vitals-gpu-e2e-%d" % os.getpid()
        sleeper = subprocess.Popen([marker, "600"], executable=shutil.which("sleep"))
        try:
            self.write_script(self.two_gpus + "gpu 1 process %d %d\n" % (sleeper.pid, 3 * GIB))
            config = os.path.join(self.tmp, "config.yml")
            with open(config, "w") as out:
                out.write("processes:\n  groups:\n    - name: gpujob\n      cmdline: ['%s']\n"
                          % re.escape(marker))
            ex = self.start("--config.file=" + config)
            try:
                raw = ex.scrape()
            finally:
                ex.stop()
        finally:
            sleeper.kill()
            sleeper.wait()
        s = harness.parse(raw)
        f.check(self.gpu_success(s) == 1, "success{gpu}: %s" % self.gpu_success(s))
        expected = [
            ("vitals_gpu_info", dict(GPU0, driver_version="550.54.15"), 1),
            ("vitals_gpu_info", dict(GPU1, driver_version="550.54.15"), 1),
            ("vitals_gpu_utilization_ratio", GPU0, 0.45),
            ("vitals_gpu_utilization_ratio", GPU1, 1.0),
            ("vitals_gpu_memory_utilization_ratio", GPU0, 0.30),
            ("vitals_gpu_memory_used_bytes", GPU0, 21474836480),
            ("vitals_gpu_memory_free_bytes", GPU0, 64424509440),
            ("vitals_gpu_memory_total_bytes", GPU0, 85899345920),
            ("vitals_gpu_memory_total_bytes", GPU1, 42949672960),
            ("vitals_gpu_temperature_celsius", GPU0, 65),
            ("vitals_gpu_temperature_celsius", GPU1, 31),
            ("vitals_gpu_power_watts", GPU0, 250.5),
            ("vitals_gpu_power_limit_watts", GPU1, 400),
            ("vitals_gpu_clock_hertz", dict(GPU0, clock="graphics"), 1980e6),
            ("vitals_gpu_clock_hertz", dict(GPU0, clock="sm"), 1755e6),
            ("vitals_gpu_clock_hertz", dict(GPU1, clock="memory"), 1215e6),
            ("vitals_gpu_fan_speed_ratio", GPU0, 0.40),
            ("vitals_gpu_ecc_errors_total", dict(GPU0, type="corrected"), 3),
            ("vitals_gpu_ecc_errors_total", dict(GPU0, type="uncorrected"), 1),
            ("vitals_process_gpu_memory_bytes", {"groupname": "gpujob"}, 3 * GIB),
            ("namedprocess_namegroup_num_procs", {"groupname": "gpujob"}, 1),
        ]
        for name, labels, want in expected:
            got = value(s, name, labels)
            f.check(got is not None and abs(got - want) < 1e-9 * max(1, abs(want)),
                    "%s%s: expected %s, got %s" % (name, labels, want, got))
        f.check(value(s, "vitals_gpu_fan_speed_ratio", GPU1) is None, "GPU 1 has no fan")
        f.check(len(s.find("vitals_gpu_ecc_errors_total")) == 2, "ECC series only for GPU 0")
        f.check(s.types.get("vitals_gpu_ecc_errors_total") == "counter",
                "vitals_gpu_ecc_errors_total is a counter")
        for (name, labels), _ in s.samples.items():
            if name.startswith("vitals_gpu_") and name != "vitals_gpu_info":
                keys = {k for k, _ in labels}
                f.check({"gpu", "uuid", "name"} <= keys, "%s lacks gpu/uuid/name: %s"
                        % (name, sorted(keys)))
        promtool = shutil.which("promtool") or "/usr/bin/promtool"
        if os.path.exists(promtool):
            # The lints golden.py allows (node_exporter's and process-exporter's names).
            golden.run_promtool(promtool, raw, f)

    def lost(self):
        print("== GPU 1 lost")
        f = self.f
        self.write_script(self.two_gpus + "gpu 1 lost\n")
        ex = self.start()
        try:
            s = harness.parse(ex.scrape())
            f.check(self.gpu_success(s) == 0, "success{gpu} with a lost GPU: %s"
                    % self.gpu_success(s))
            f.check(value(s, "vitals_gpu_temperature_celsius", GPU0) == 65, "GPU 0 still there")
            f.check(value(s, "vitals_gpu_temperature_celsius", GPU1) is None, "GPU 1 absent")
            f.check(ex.wait_log(r"level=warn.*gpu 1.*GPU is lost", 5.0) is not None,
                    "no warning about the lost GPU:\n" + ex.stderr())
        finally:
            ex.stop()

    def hung(self):
        print("== a hung NVML call")
        f = self.f
        self.write_script(self.two_gpus)
        ex = self.start("--collector.gpu.timeout=%dms" % TIMEOUT_MS)
        try:
            s = harness.parse(ex.scrape())
            f.check(self.gpu_success(s) == 1, "before the hang: success %s" % self.gpu_success(s))
            tasks = "/proc/%d/task" % ex.proc.pid
            threads = len(os.listdir(tasks))
            self.write_script(self.two_gpus + "block nvmlDeviceGetTemperature\n")
            start = time.monotonic()
            s = harness.parse(ex.scrape())
            took = time.monotonic() - start
            f.check(TIMEOUT_MS / 1000 - 0.1 < took < TIMEOUT_MS / 1000 + 2.0,
                    "hung scrape took %.2f s (timeout %d ms)" % (took, TIMEOUT_MS))
            f.check(self.gpu_success(s) == 0, "hung: success %s" % self.gpu_success(s))
            f.check(value(s, "node_load1", {}) is not None, "other collectors still answer")
            f.check(not any(n.startswith("vitals_gpu_") for n in s.families()),
                    "no GPU series from a hung scrape")
            for i in range(5):
                start = time.monotonic()
                s = harness.parse(ex.scrape())
                took = time.monotonic() - start
                f.check(took < TIMEOUT_MS / 1000 / 2, "skipped scrape %d took %.2f s" % (i, took))
                f.check(self.gpu_success(s) == 0, "skipped scrape %d: success %s"
                        % (i, self.gpu_success(s)))
            f.check(len(os.listdir(tasks)) == threads, "threads %d -> %d while the call hangs"
                    % (threads, len(os.listdir(tasks))))
            f.check(ex.wait_log(r"has not returned yet", 5.0) is not None,
                    "no log about skipped scrapes:\n" + ex.stderr())
            self.write_script(self.two_gpus)  # The call returns.
            deadline = time.monotonic() + 10
            success = None
            while time.monotonic() < deadline and success != 1:
                time.sleep(0.05)
                s = harness.parse(ex.scrape())
                success = self.gpu_success(s)
            f.check(success == 1, "after the call returned: success %s" % success)
            f.check(value(s, "vitals_gpu_temperature_celsius", GPU0) == 65, "values are back")
            f.check(len(os.listdir(tasks)) == threads, "threads %d -> %d after recovery"
                    % (threads, len(os.listdir(tasks))))
        finally:
            ex.stop()

    def missing(self):
        print("== no NVML library")
        f = self.f
        ex = self.start(library=os.path.join(self.tmp, "nowhere", "libnvidia-ml.so.1"))
        try:
            for _ in range(3):
                s = harness.parse(ex.scrape())
            f.check(self.gpu_success(s) == 1, "missing library: success %s" % self.gpu_success(s))
            gpu = sorted(n for n in s.families() if "gpu" in n and n.startswith("vitals_")
                         and not n.startswith("vitals_scrape_"))
            f.check(not gpu, "missing library publishes %s" % gpu)
            lines = [l for l in ex.stderr().splitlines() if "NVML is not available" in l]
            f.check(len(lines) == 1 and "level=info" in lines[0],
                    "expected one info line about NVML, got %s" % lines)
        finally:
            ex.stop()

    def run(self):
        try:
            self.values()
            self.lost()
            self.hung()
            self.missing()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.f.exit()


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--fake-nvml", required=True, help="path to libfake_nvml.so")
    Test(parser.parse_args()).run()


if __name__ == "__main__":
    main()
