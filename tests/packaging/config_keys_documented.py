#!/usr/bin/env python3
"""Fails when docs/configuration.md leaves out a configuration key the parser accepts.

The keys come from the parsers' own source: every name in a CheckKeys(..., {...})
allow-list or a std::to_array<std::string_view>({...}) key list, and every
node["name"] lookup, in exporter/server/config.cc and in each collector's reader
(exporter/collectors/*_config.cc); and every collector name in
exporter/collectors/all_collectors.inc (collectors.<name>).
A key counts as documented when it is a name inside `inline code` in the first
column of a table row of the reference (`mount_timeout`, `modules.<name>.http.method`,
`entries[].port`): every key has a row with its default and meaning. A collector name
needs inline code anywhere in the file.

  config_keys_documented.py --repo .
"""
import argparse
import glob
import re
import sys

CHECK_KEYS_RE = re.compile(r"(?:CheckKeys\([^{;]*|to_array<std::string_view>\()\{([^}]*)\}", re.S)
LOOKUP_RE = re.compile(r'\[\s*"([a-z_]+)"\s*\]')
STRING_RE = re.compile(r'"([a-z_]+)"')
COLLECTOR_RE = re.compile(r"^VITALS_COLLECTOR\(([a-z_]+)\)", re.M)
CODE_RE = re.compile(r"`([^`]+)`")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parser_keys(config_cc):
    keys = set()
    for allowed in CHECK_KEYS_RE.findall(config_cc):
        keys.update(STRING_RE.findall(allowed))
    keys.update(LOOKUP_RE.findall(config_cc))
    return keys


def documented_names(markdown, key_column_only):
    """Names in inline code: in the first cell of table rows, or anywhere."""
    names = set()
    for line in markdown.splitlines():
        if key_column_only:
            if not line.lstrip().startswith("|"):
                continue
            line = re.split(r"(?<!\\)\|", line.strip())[1]  # "| key | default |" -> " key "
        for code in CODE_RE.findall(line):
            names.update(NAME_RE.findall(code))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    read = lambda path: open("%s/%s" % (args.repo, path), encoding="utf-8").read()
    readers = ["exporter/server/config.cc"] + sorted(
        path[len(args.repo) + 1:]
        for path in glob.glob("%s/exporter/collectors/*_config.cc" % args.repo))
    keys = parser_keys("".join(read(path) for path in readers))
    collectors = set(COLLECTOR_RE.findall(read("exporter/collectors/all_collectors.inc")))
    doc = read("docs/configuration.md")

    failures = []
    # The extraction itself must work, or the test would pass on nothing.
    for sentinel in ("collectors", "enabled", "mount_timeout", "groups", "allowed_targets"):
        if sentinel not in keys:
            failures.append("could not find key '%s' in the config readers: update this "
                            "test's patterns" % sentinel)
    for sentinel in ("cpu", "filesystem", "processes"):
        if sentinel not in collectors:
            failures.append("could not find collector '%s' in all_collectors.inc: update "
                            "this test's patterns" % sentinel)

    in_tables = documented_names(doc, key_column_only=True)
    anywhere = documented_names(doc, key_column_only=False)
    for key in sorted(keys - in_tables):
        failures.append("key '%s' (accepted by a config reader) is in no table row's first "
                        "column in docs/configuration.md" % key)
    for name in sorted(collectors - anywhere):
        failures.append("collector '%s' (all_collectors.inc) is not named in "
                        "docs/configuration.md" % name)
    for failure in failures:
        print("FAIL: " + failure)
    print("%d keys and %d collectors checked, %d problems"
          % (len(keys), len(collectors), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
