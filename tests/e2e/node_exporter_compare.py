#!/usr/bin/env python3
"""Side by side with node_exporter on the live machine: every node_* family vitals
publishes must have node_exporter's name, TYPE, label sets and values.

node_exporter (Debian's /usr/bin/prometheus-node-exporter) runs with the same
collectors and the same filters as vitals' built-in defaults (read from the
kDefault* constants in exporter/collectors/*.h, because Debian patches some of
node_exporter's defaults). Then: scrape node_exporter (A), vitals (B), node_exporter
again (C), back to back. For each family in FAMILIES (node_exporter_common.py, shared
with node_exporter_fixture_compare.py, which runs both exporters on tests/fixtures):
  * label sets: the (name, labels) pairs of B must equal A's;
  * TYPE: B's must equal A's;
  * values: B must lie in [min(A,C), max(A,C)] widened by the family's tolerance.
A node_* family in B that node_exporter lacks, or that is missing from FAMILIES,
fails; so does a FAMILIES family node_exporter has and vitals lacks.

The machine keeps moving between A and C (memory, load, free space), so a round
whose values fall outside the tolerances is retried, up to ROUNDS rounds; the test
passes when one round is clean. A genuine mismatch (wrong field, unit, label) fails
every round. Every failed round is printed, so flakiness stays visible.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import node_exporter_common as common  # noqa: E402

ROUNDS = 5


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--node-exporter", default=common.DEFAULT_NODE_EXPORTER)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    failures = harness.Failures("node_exporter_compare")
    if not os.access(args.node_exporter, os.X_OK):
        print("SKIP: node_exporter not found at %s" % args.node_exporter)
        sys.exit(common.SKIP)

    defaults = common.read_defaults(args.repo)
    ne_args = common.node_exporter_args(args.node_exporter, defaults)
    print("node_exporter flags:\n  " + "\n  ".join(ne_args))
    common.print_version(args.node_exporter)

    node = common.NodeExporter(args.node_exporter, ne_args)
    vitals = harness.Exporter(args.exporter, common.vitals_args())
    try:
        node.start()
        vitals.start()
        common.compare_rounds(node, vitals, failures, args.rounds)
    except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    finally:
        vitals.stop()
        node.stop()
    failures.exit()


if __name__ == "__main__":
    main()
