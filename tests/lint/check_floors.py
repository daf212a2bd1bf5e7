#!/usr/bin/env python3
"""The floors of the C++ tree: a file may include only from its own floor or below.

    exporter/base/        base         includes base
    exporter/procfs/      procfs       includes base, procfs
    exporter/collectors/  collectors   includes base, procfs, collectors
    exporter/server/      server       includes base, procfs, collectors, server
    exporter/main.cc      main         includes anything under exporter/ but main.cc
    bench/, fuzz/         on top       include anything under exporter/ but main.cc,
                                       and their own directory's files

Nothing includes main.cc. Every .cc/.h under exporter/ must sit in one of those
places. Each `#include "..."` (and `#include <...>` naming a floor, e.g.
<procfs/x.h>) is resolved as the compiler does: beside the including file first,
then from exporter/ (the include root); `..` is followed. A generated header
(server/version.h, from version.h.in in the build tree) takes the floor of its first
path component. A quoted include that resolves to nothing known is a violation too.

Prints one line per violation, `file:line: <floor> includes <higher floor> ("path")`,
and exits 1; exits 0 (with a one-line summary) when there is none. Python 3 standard
library only.

    python3 tests/lint/check_floors.py [--repo DIR]
"""
import argparse
import os
import re
import sys

FLOORS = ["base", "procfs", "collectors", "server"]  # exporter/<floor>/, bottom first.
RANK = {name: rank for rank, name in enumerate(FLOORS)}
RANK["main"] = len(FLOORS)
TOPS = ["bench", "fuzz"]  # Directories on top of the exporter (own floor each).
SOURCE_SUFFIXES = (".cc", ".h")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<([^>]+)>)')


def floor_of(repo, path):
    """The floor of a path (absolute, normalised): a floor name, 'main', a top
    directory, or None when it is in no known floor."""
    rel = os.path.relpath(path, repo)
    parts = rel.split(os.sep)
    if parts[0] == "exporter":
        if parts[1:] == ["main.cc"]:
            return "main"
        if len(parts) >= 3 and parts[1] in FLOORS:
            return parts[1]
        return None
    if parts[0] in TOPS:
        return parts[0]
    return None


def allowed(source_floor, target_floor):
    if target_floor == "main":
        return False  # Nothing includes main.cc.
    if target_floor is None:
        return False
    if source_floor in TOPS:
        return target_floor in RANK or target_floor == source_floor
    if target_floor in TOPS:
        return False
    return RANK[target_floor] <= RANK[source_floor]


def resolve(repo, source, included, quoted):
    """(target path, floor) of an include, or None for a system header."""
    include_root = os.path.join(repo, "exporter")
    if quoted:
        beside = os.path.normpath(os.path.join(os.path.dirname(source), included))
        if os.path.isfile(beside):
            return beside, floor_of(repo, beside)
    rooted = os.path.normpath(os.path.join(include_root, included))
    if os.path.isfile(rooted):
        return rooted, floor_of(repo, rooted)
    # Not in the source tree: a generated header (server/version.h) takes the floor of
    # its first component; anything else quoted is unknown, anything else in <> is a
    # system header.
    first = included.split("/")[0]
    if first in FLOORS and ".." not in included.split("/"):
        return rooted, first
    if quoted:
        return rooted, None
    return None


def source_files(repo):
    for top in ["exporter"] + TOPS:
        root = os.path.join(repo, top)
        for directory, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.join(directory, name)


def check(repo):
    """Returns (violation lines, files read, includes checked)."""
    repo = os.path.abspath(repo)
    violations = []
    files = includes = 0
    for path in source_files(repo):
        files += 1
        rel = os.path.relpath(path, repo)
        floor = floor_of(repo, path)
        if floor is None:
            violations.append("%s: in no floor (exporter/{%s}/ or exporter/main.cc)"
                              % (rel, ",".join(FLOORS)))
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                match = INCLUDE_RE.match(line)
                if not match:
                    continue
                quoted = match.group(1) is not None
                included = match.group(1) if quoted else match.group(2)
                resolved = resolve(repo, path, included, quoted)
                if resolved is None:
                    continue
                includes += 1
                target, target_floor = resolved
                if allowed(floor, target_floor):
                    continue
                if target_floor is None:
                    what = "a file in no floor"
                elif target_floor == "main":
                    what = "main.cc"
                else:
                    what = target_floor
                violations.append('%s:%d: %s includes %s ("%s")' % (rel, number, floor, what,
                                                                     included))
    return violations, files, includes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "..", ".."))
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.repo, "exporter")):
        print("check_floors: no exporter/ under %s" % args.repo)
        return 2
    violations, files, includes = check(args.repo)
    for line in violations:
        print(line)
    if violations:
        print("check_floors: %d violation(s) in %d files" % (len(violations), files))
        return 1
    print("check_floors: %d files, %d includes, every one on its floor or below" % (files, includes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
