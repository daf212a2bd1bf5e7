#!/usr/bin/env python3
"""Checks packaging/vitals_exporter.1 against the binary: every flag and every
collector that `vitals_exporter --help` prints is documented in the man page, every
flag the man page documents exists, and man(1) renders the page without warnings.

  man_page.py --exporter build/vitals_exporter --repo .
"""
import argparse
import os
import re
import subprocess
import sys

# "--[no-]x" is a boolean collector setting: both --x and --no-x are flags.
HELP_FLAG_RE = re.compile(r"^  --(\[no-\])?([a-z][a-zA-Z0-9.-]*[a-zA-Z0-9])(?:=\S+)?\s", re.M)
# The collector list of --help: six spaces, a name, padding, a description.
HELP_COLLECTOR_RE = re.compile(r"^      ([a-z_]+)\s{2,}\S", re.M)
MAN_FLAG_RE = re.compile(r"(?<![\w-])--([a-z][a-zA-Z0-9.-]*[a-zA-Z0-9])")
# Written generically in the page: --collector.<name>, --no-collector.<name>.
GENERIC = {"collector", "no-collector"}


def plain_text(roff):
    """The roff source with escapes and font changes removed, macros kept."""
    text = roff.replace("\\-", "-").replace("\\e", "\\")
    text = re.sub(r"\\f[BIRP]", "", text)
    # .BI/.IR/... alternate two fonts between their words, which print joined:
    # ".BI --collector. name" is "--collector.<name>" (italic words become <word>).
    def join(match):
        macro, words = match.group(1), re.findall(r'"[^"]*"|\S+', match.group(2))
        italic = [font == "I" for font in macro]
        return "".join("<%s>" % word.strip('"') if italic[i % 2] else word.strip('"')
                       for i, word in enumerate(words))

    return re.sub(r"^\.(BI|BR|IR|RB|RI|IB) (.*)$", join, text, flags=re.M)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    page_path = os.path.join(args.repo, "packaging", "vitals_exporter.1")
    with open(page_path, encoding="utf-8") as f:
        roff = f.read()
    text = plain_text(roff)
    usage = subprocess.run([args.exporter, "--help"], capture_output=True, text=True,
                           timeout=10, check=True).stdout

    failures = []
    help_flags = set()
    for negatable, flag in HELP_FLAG_RE.findall(usage):
        help_flags.add(flag)
        if negatable:
            help_flags.add("no-" + flag)
    collectors = set(HELP_COLLECTOR_RE.findall(usage))
    if len(help_flags) < 10 or len(collectors) < 5:
        failures.append("found only %d flags and %d collectors in --help: update this "
                        "test's patterns" % (len(help_flags), len(collectors)))
    page_flags = set(MAN_FLAG_RE.findall(text))
    for flag in sorted(help_flags - page_flags):
        failures.append("--%s (in --help) is not documented in the man page" % flag)
    for flag in sorted(page_flags - help_flags - GENERIC):
        failures.append("--%s is documented in the man page but not in --help" % flag)
    for name in sorted(collectors):
        if not re.search(r"^\.B %s$" % re.escape(name), roff, re.M):
            failures.append("collector %s (in --help) has no '.B %s' entry in the man page"
                            % (name, name))

    # groff's warnings (lines it cannot fit, unknown macros) through man itself.
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="0")
    rendered = subprocess.run(["man", "--warnings", "-l", page_path], capture_output=True,
                              text=True, timeout=30, env=env)
    if rendered.returncode != 0 or rendered.stderr.strip():
        failures.append("man --warnings -l: exit %d: %s"
                        % (rendered.returncode, rendered.stderr.strip()))
    elif "vitals_exporter" not in rendered.stdout:
        failures.append("man rendered no text")

    for failure in failures:
        print("FAIL: " + failure)
    print("man page: %d flags and %d collectors from --help checked, %d problems"
          % (len(help_flags), len(collectors), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
