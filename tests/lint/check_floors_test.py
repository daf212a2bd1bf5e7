#!/usr/bin/env python3
"""Self-test of check_floors.py: a tiny tree with one file per floor passes; each
deliberate breakage (a floor including a higher one, directly and through `..`,
a file including main.cc, a source file in no floor) fails with exit 1 and names
the file, the line and the floors. Runs the lint as a command, as CTest does.
Python 3 standard library only.
"""
import os
import subprocess
import sys
import tempfile

LINT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_floors.py")

# A clean tree: each floor includes the one below it (and the standard library).
CLEAN = {
    "exporter/base/text.h": "#pragma once\n#include <string>\n",
    "exporter/procfs/reader.h": '#pragma once\n#include "base/text.h"\n',
    "exporter/procfs/reader.cc": '#include "procfs/reader.h"\n\n#include <vector>\n',
    "exporter/collectors/cpu.h": '#pragma once\n#include "procfs/reader.h"\n',
    "exporter/server/scraper.cc": '#include "collectors/cpu.h"\n#include "server/version.h"\n',
    "exporter/server/version.h.in": "#define VERSION \"@V@\"\n",
    "exporter/main.cc": '#include "server/scraper.h"\n',
    "exporter/server/scraper.h": '#pragma once\n#include "base/text.h"\n',
    "bench/scrape_bench.cc": '#include "server/scraper.h"\n#include "procfs/reader.h"\n',
    "fuzz/fuzz_util.h": "#pragma once\n",
    "fuzz/reader_fuzzer.cc": '#include "fuzz_util.h"\n#include "procfs/reader.h"\n',
}

# (what is broken, {file: content} added or replaced, the line the lint must print)
BROKEN = [
    ("procfs includes collectors",
     {"exporter/procfs/wrong.h": '#pragma once\n#include "base/text.h"\n#include "collectors/cpu.h"\n'},
     'exporter/procfs/wrong.h:3: procfs includes collectors ("collectors/cpu.h")'),
    ("base includes procfs, angle brackets",
     {"exporter/base/text.h": "#pragma once\n#include <procfs/reader.h>\n"},
     'exporter/base/text.h:2: base includes procfs ("procfs/reader.h")'),
    ("collectors includes server through ..",
     {"exporter/collectors/cpu.h": '#pragma once\n#include "../server/scraper.h"\n'},
     'exporter/collectors/cpu.h:2: collectors includes server ("../server/scraper.h")'),
    ("server includes main.cc",
     {"exporter/server/scraper.cc": '#include "collectors/cpu.h"\n#include "main.cc"\n'},
     'exporter/server/scraper.cc:2: server includes main.cc ("main.cc")'),
    ("bench includes main.cc",
     {"bench/scrape_bench.cc": '#include "../exporter/main.cc"\n'},
     'bench/scrape_bench.cc:1: bench includes main.cc ("../exporter/main.cc")'),
    ("procfs includes a header that is nowhere",
     {"exporter/procfs/reader.cc": '#include "procfs/reader.h"\n#include "util/strings.h"\n'},
     'exporter/procfs/reader.cc:2: procfs includes a file in no floor ("util/strings.h")'),
    ("a source file in no floor",
     {"exporter/util/strings.cc": '#include "base/text.h"\n'},
     "exporter/util/strings.cc: in no floor (exporter/{base,procfs,collectors,server}/ or "
     "exporter/main.cc)"),
]


def make_tree(root, files):
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(content)


def lint(root):
    return subprocess.run([sys.executable, LINT, "--repo", root], capture_output=True,
                          text=True, timeout=30)


def main():
    failed = []

    def check(condition, message):
        if not condition:
            failed.append(message)
            print("FAIL: " + message)

    with tempfile.TemporaryDirectory(prefix="vitals-floors-") as tmp:
        clean = os.path.join(tmp, "clean")
        make_tree(clean, CLEAN)
        result = lint(clean)
        check(result.returncode == 0 and "every one on its floor" in result.stdout,
              "clean tree: exit %d, output:\n%s%s" % (result.returncode, result.stdout,
                                                      result.stderr))

        for number, (what, changes, expected) in enumerate(BROKEN):
            root = os.path.join(tmp, "broken%d" % number)
            make_tree(root, dict(CLEAN, **changes))
            result = lint(root)
            lines = result.stdout.splitlines()
            check(result.returncode == 1, "%s: exit %d, want 1; output:\n%s%s"
                  % (what, result.returncode, result.stdout, result.stderr))
            check(expected in lines, "%s: no line %r in:\n%s" % (what, expected, result.stdout))
            # Only the broken include is reported (plus the summary line).
            check(len(lines) == 2, "%s: want one violation line and the summary, got:\n%s"
                  % (what, result.stdout))

    if failed:
        print("check_floors_test: %d check(s) failed" % len(failed))
        return 1
    print("check_floors_test: the clean tree passes, %d broken trees fail as expected"
          % len(BROKEN))
    return 0


if __name__ == "__main__":
    sys.exit(main())
