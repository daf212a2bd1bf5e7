#!/usr/bin/env python3
"""Fresh-machine honesty: every program the tests start (tests/tools.py TOOLS) comes
from a Debian package that `scripts/install-deps.sh test` installs.

1. Parses scripts/install-deps.sh: the bash arrays, and the `test)` case naming which
   of them (and which literal packages) `test` installs.
2. For each program in TOOLS: finds it (PATH, then /usr/bin, /usr/sbin, /bin, /sbin,
   each also through its real path and the /bin <-> /usr/bin merge) and asks
   `dpkg -S` which package ships it. That package must be listed for `test`, or
   Essential (always installed), or pulled in by a listed one: the closure of
   Pre-Depends and Depends over the installed packages (first alternative of
   `a | b`, as apt picks; virtual names through Provides). A program that is not
   installed fails: install-deps.sh test should have installed it.
3. The same for each Python module in PYTHON_MODULES (the package shipping the file
   the module imports from), and a scan of tests/ for imports of modules that are
   neither standard library nor tests' own files but missing from PYTHON_MODULES.
4. Scans tests/ for programs started but not in TOOLS: in Python, shutil.which of a
   string literal, and a list starting with one passed to subprocess.run, Popen,
   check_output... (or to a helper called run) or assigned to `cmd`; in CMake,
   find_program(VAR [NAMES] name ...).

Prints one line per program (path, package, why it counts as installed). Python 3
standard library; needs dpkg (Debian). Exit 1 on any failure.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import tools  # noqa: E402

ARRAY_RE = re.compile(r"^(\w+)=\((.*?)^\)", re.S | re.M)
CASE_RE = r"^\s*%s\)\s*wanted=\((.*?)\)\s*;;"  # % the mode
ARRAY_REF_RE = re.compile(r'"?\$\{(\w+)\[@\]\}"?')

STARTED_PATTERNS = [
    re.compile(r"""shutil\.which\(\s*["']([^"']+)["']"""),
    re.compile(r"""subprocess\.(?:run|Popen|call|check_call|check_output)\(\s*\[\s*["']([^"']+)["']"""),
    re.compile(r"""(?<![\w.])run\(\s*\[\s*["']([^"']+)["']"""),
    re.compile(r"""\bcmd\s*=\s*\[\s*["']([^"']+)["']"""),
]
FIND_PROGRAM_RE = re.compile(r"find_program\(\s*\w+\s+(?:NAMES\s+)?([\w.+-]+)")


def declared_packages(script, mode="test"):
    """The packages `install-deps.sh MODE` installs, from the script's text."""
    with open(script) as f:
        text = f.read()
    arrays = {}
    for name, body in ARRAY_RE.findall(text):
        words = []
        for line in body.splitlines():
            words += line.split("#", 1)[0].split()
        arrays[name] = words
    case = re.search(CASE_RE % re.escape(mode), text, re.M)
    if case is None:
        raise ValueError("%s: no `%s) wanted=(...) ;;` case" % (script, mode))
    packages = set()
    for word in case.group(1).split():
        ref = ARRAY_REF_RE.fullmatch(word)
        if ref:
            if ref.group(1) not in arrays:
                raise ValueError("%s: the %s case names an unknown array %s"
                                 % (script, mode, ref.group(1)))
            packages.update(arrays[ref.group(1)])
        else:
            packages.add(word.strip('"'))
    return packages


def installed_packages():
    """{package: (essential, [first alternative of each dependency])}, {virtual: [pkgs]}."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f",
         "${db:Status-Abbrev}\t${Package}\t${Essential}\t${Pre-Depends}\t${Depends}\t"
         "${Provides}\n"], capture_output=True, text=True, timeout=60, check=True).stdout
    packages, provides = {}, {}

    def names(field):
        for item in filter(None, (part.strip() for part in field.split(","))):
            yield re.split(r"[\s(:]", item.split("|")[0].strip(), maxsplit=1)[0]

    for line in out.splitlines():
        status, name, essential, pre, depends, provided = (line.split("\t") + [""] * 6)[:6]
        if not status.startswith("ii"):
            continue
        deps = list(names(pre)) + list(names(depends))
        packages[name] = (essential == "yes", deps)
        for virtual in set(re.split(r"[\s(:]", p.strip(), maxsplit=1)[0]
                           for p in provided.split(",") if p.strip()):
            provides.setdefault(virtual, []).append(name)
    return packages, provides


def closure(roots, packages, provides):
    """{package: the chain of packages that pulls it in from a root}."""
    chains = {}
    queue = []
    for root in sorted(roots):
        for real in [root] if root in packages else provides.get(root, []):
            if real not in chains:
                chains[real] = [root] if real == root else [root, real]
                queue.append(real)
    while queue:
        name = queue.pop(0)
        for dep in packages[name][1]:
            for real in [dep] if dep in packages else provides.get(dep, []):
                if real not in chains:
                    chains[real] = chains[name] + [real]
                    queue.append(real)
    return chains


def owners(paths):
    """{path: [packages dpkg says ship it]} (diversion lines skipped; a path no package
    ships is absent). One dpkg -S for all of them: it exits 1 when one is unknown."""
    result = subprocess.run(["dpkg", "-S"] + list(paths), capture_output=True, text=True,
                            timeout=60)
    found = {}
    wanted = set(paths)
    for line in result.stdout.splitlines():
        if line.startswith(("diversion by", "local diversion")):
            continue
        head, _, tail = line.rpartition(": ")
        if tail in wanted:
            found.setdefault(tail, []).extend(p.strip().split(":")[0] for p in head.split(","))
    return found


def candidate_paths(program):
    seen = []
    on_path = shutil.which(program)
    for path in [on_path] + [os.path.join(d, program)
                             for d in ("/usr/bin", "/usr/sbin", "/bin", "/sbin")]:
        if not path or not os.path.exists(path):
            continue
        for variant in (path, os.path.realpath(path)):
            for merged in (variant, re.sub(r"^/usr/(s?bin)/", r"/\1/", variant),
                           re.sub(r"^/(s?bin)/", r"/usr/\1/", variant)):
                if merged not in seen:
                    seen.append(merged)
    return on_path, seen


def scan_started(repo):
    """{program: [file:line, ...]} for every literal program the tests start."""
    found = {}
    tests = os.path.join(repo, "tests")
    for directory, dirs, files in os.walk(tests):
        dirs[:] = sorted(d for d in dirs if d not in ("fixtures", "__pycache__"))
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.endswith(".py"):
                patterns = STARTED_PATTERNS
            elif name == "CMakeLists.txt":
                patterns = [FIND_PROGRAM_RE]
            else:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, start=1):
                    for pattern in patterns:
                        for program in pattern.findall(line):
                            where = "%s:%d" % (os.path.relpath(path, repo), number)
                            found.setdefault(program, []).append(where)
    return found


IMPORT_RE = re.compile(r"^\s*(?:import\s+([A-Za-z_]\w*)\s*(?:$|,|#|\bas\b)"
                       r"|from\s+([A-Za-z_]\w*)(?:\.\w+)*\s+import\b)")


def scan_imports(repo):
    """{module: [file:line, ...]} for every top-level module tests/ imports that is
    neither in Python's standard library nor a file of tests/ itself."""
    local = set()
    tests = os.path.join(repo, "tests")
    for directory, _, files in os.walk(tests):
        local.update(name[:-3] for name in files if name.endswith(".py"))
    found = {}
    for directory, dirs, files in os.walk(tests):
        dirs[:] = sorted(d for d in dirs if d not in ("fixtures", "__pycache__"))
        for name in sorted(f for f in files if f.endswith(".py")):
            path = os.path.join(directory, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, start=1):
                    match = IMPORT_RE.match(line)
                    if not match:
                        continue
                    module = match.group(1) or match.group(2)
                    if module in sys.stdlib_module_names or module in local:
                        continue
                    where = "%s:%d" % (os.path.relpath(path, repo), number)
                    found.setdefault(module, []).append(where)
    return found


def module_files(module):
    """The files of an importable module, for dpkg -S ([] when it does not import)."""
    result = subprocess.run(
        ["/usr/bin/python3", "-c", "import %s, os; f = %s.__file__ or ''; "
         "print(f); print(os.path.realpath(f))" % (module, module)],
        capture_output=True, text=True)
    if result.returncode != 0:
        return []
    return list(dict.fromkeys(line for line in result.stdout.splitlines() if line))


def verdict_for(paths, shipped, declared, packages, chains):
    """(path, package, why) for the first path a counted package ships, else None, and
    what was tried."""
    tried = []
    for path in paths:
        for package in shipped.get(path, []):
            tried.append("%s: %s" % (path, package))
            if package in declared:
                return (path, package, "listed"), tried
            if packages.get(package, (False,))[0]:
                return (path, package, "essential"), tried
            if package in chains:
                return (path, package, "via " + " -> ".join(chains[package])), tried
    return None, tried


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=os.path.join(HERE, "..", ".."))
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    problems = []

    if shutil.which("dpkg") is None or shutil.which("dpkg-query") is None:
        print("FAIL: dpkg is missing: this test checks Debian packages")
        return 1
    script = os.path.join(repo, "scripts", "install-deps.sh")
    declared = declared_packages(script)
    packages, provides = installed_packages()
    not_installed = sorted(p for p in declared if p not in packages and p not in provides)
    for package in not_installed:
        problems.append("%s is listed in install-deps.sh but not installed here "
                        "(run scripts/install-deps.sh test)" % package)
    chains = closure(declared, packages, provides)

    located = {program: candidate_paths(program) for program in sorted(tools.TOOLS)}
    shipped = owners(sorted({p for _, paths in located.values() for p in paths}))
    for program, (on_path, paths) in located.items():
        if not paths:
            problems.append("%s (%s) is not installed" % (program, tools.TOOLS[program]))
            continue
        verdict, tried = verdict_for(paths, shipped, declared, packages, chains)
        if verdict is None:
            problems.append("%s: %s; no package install-deps.sh test installs ships it"
                            % (program, "; ".join(tried) or
                               "%s is from no package" % " or ".join(paths)))
            continue
        note = ""
        if on_path and os.path.realpath(on_path) != os.path.realpath(verdict[0]):
            note = " (PATH finds %s first%s)" % (
                on_path, "" if on_path in shipped else ", from no package")
        print("%-30s %-38s %-30s %s%s" % (program, verdict[0], verdict[1], verdict[2], note))

    located = {module: module_files(module) for module in sorted(tools.PYTHON_MODULES)}
    shipped = owners(sorted({p for paths in located.values() for p in paths}))
    for module, paths in located.items():
        if not paths:
            problems.append("Python module %s (%s) does not import"
                            % (module, tools.PYTHON_MODULES[module]))
            continue
        verdict, tried = verdict_for(paths, shipped, declared, packages, chains)
        if verdict is None:
            problems.append("Python module %s: %s; no package install-deps.sh test installs "
                            "ships it" % (module, "; ".join(tried) or "from no package"))
            continue
        print("%-30s %-38s %-30s %s" % ("python: " + module, verdict[0], verdict[1],
                                       verdict[2]))
    for module, where in sorted(scan_imports(repo).items()):
        if module not in tools.PYTHON_MODULES:
            problems.append("Python module %s is imported by %s but not in tests/tools.py "
                            "PYTHON_MODULES" % (module, ", ".join(where)))

    for program, where in sorted(scan_started(repo).items()):
        if program not in tools.TOOLS:
            problems.append("%s is started by %s but not in tests/tools.py TOOLS"
                            % (program, ", ".join(where)))

    for problem in problems:
        print("FAIL: " + problem)
    if problems:
        print("deps_declared: %d problem(s)" % len(problems))
        return 1
    print("deps_declared: %d programs and %d Python modules, each from a package "
          "install-deps.sh test installs (%d packages listed)"
          % (len(tools.TOOLS), len(tools.PYTHON_MODULES), len(declared)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
