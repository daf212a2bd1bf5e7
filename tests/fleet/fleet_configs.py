#!/usr/bin/env python3
"""The fleet's shipped configuration is valid for the tools that will read it.

1. stack/fleet/prometheus-replica.yml: `promtool check config` (rules and targets
   paths pointed at the repository), and its remote_write replaced by each file of
   stack/fleet/remote-storage/*.yml (Thanos Receive, Mimir, VictoriaMetrics
   cluster): still valid.
2. stack/fleet/prometheus-agent.yml: `promtool check config --agent`.
3. rules/*.yml load in vmalert (`vmalert -dryRun`, MetricsQL's parser and
   templates), as they do in Prometheus (rules_check).
4. stack/fleet/targets/*.yml are file_sd target lists: hosts with ports.

Python 3 standard library only.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


def localized(text, repo):
    """The shipped paths pointed at the repository's files."""
    return (text.replace("/etc/prometheus/rules/", os.path.join(repo, "rules") + "/")
            .replace("/etc/prometheus/targets/", os.path.join(repo, "stack/fleet/targets") + "/"))


def with_remote_write(config, snippet):
    """`config` with its remote_write section replaced by the one of `snippet`."""
    section = re.compile(r"^remote_write:\n(?:(?:[ #].*)?\n)*", re.M)
    new = section.search(snippet)
    assert new, "no remote_write section"
    return section.sub(lambda _: new.group(0), config, count=1)


def check(failures, what, command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    failures.check(result.returncode == 0, "%s: %s exited %d:\n%s%s" % (
        what, command[0], result.returncode, result.stdout[-2000:], result.stderr[-2000:]))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    repo = args.repo
    failures = harness.Failures("fleet_configs")
    fleet = os.path.join(repo, "stack", "fleet")
    with tempfile.TemporaryDirectory() as tmp:
        replica = localized(open(os.path.join(fleet, "prometheus-replica.yml")).read(), repo)
        path = os.path.join(tmp, "replica.yml")
        open(path, "w").write(replica)
        check(failures, "prometheus-replica.yml", ["promtool", "check", "config", path])

        snippets = sorted(glob.glob(os.path.join(fleet, "remote-storage", "*.yml")))
        failures.check(len(snippets) >= 3, "remote-storage/: %d snippets, want Thanos "
                       "Receive, Mimir and VictoriaMetrics cluster" % len(snippets))
        for snippet in snippets:
            name = os.path.basename(snippet)
            merged = with_remote_write(replica, open(snippet).read())
            failures.check(merged != replica, "%s: remote_write not replaced" % name)
            path = os.path.join(tmp, name)
            open(path, "w").write(merged)
            check(failures, name, ["promtool", "check", "config", path])

        agent = localized(open(os.path.join(fleet, "prometheus-agent.yml")).read(), repo)
        path = os.path.join(tmp, "agent.yml")
        open(path, "w").write(agent)
        check(failures, "prometheus-agent.yml", ["promtool", "check", "config", "--agent", path])

    result = check(failures, "rules in vmalert",
                   ["vmalert", "-dryRun", "-rule=" + os.path.join(repo, "rules", "*.yml"),
                    "-rule.validateTemplates", "-rule.validateExpressions"])
    failures.check("error" not in result.stderr.lower() or result.returncode == 0,
                   "vmalert logged an error:\n" + result.stderr[-2000:])

    for targets in glob.glob(os.path.join(fleet, "targets", "*.yml")):
        text = open(targets).read()
        # Entries of the list, in block ("    - host:port") or flow ("['host:port']") form.
        entries = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        hosts = re.findall(r"['\"\s]([\w.-]+):(\d+)['\"\s,\]]", "\n".join(entries) + "\n")
        failures.check(hosts and re.search(r"^- targets:", text, re.M),
                       "%s: no `- targets:` list of host:port" % targets)
    failures.exit()


if __name__ == "__main__":
    main()
