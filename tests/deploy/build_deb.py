#!/usr/bin/env python3
"""deploy_deb: the .deb the deploy tests install, built once per CTest run.

CPack from the build directory (as packaging_deb does) into --out, emptied first so
that it holds exactly this build's package. The CTest fixture `vitals_deb`: the deploy
tests get --deb-dir pointing there, and each would otherwise spend 9-20 s building the
same package again. Run alone, a deploy test without --deb-dir builds its own.

  build_deb.py --exporter build/vitals_exporter --repo . --build-dir build --cpack cpack \
      --out build/deploy-deb
"""
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
sys.path.insert(0, os.path.join(HERE, "..", "packaging"))
import harness  # noqa: E402
import package_deb  # noqa: E402


def add_arguments(parser):
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--cpack", default="cpack")
    parser.add_argument("--deb-dir", help="directory holding the .deb (the deploy_deb "
                        "fixture's output); without it the package is built here")


def the_deb(args, tmp, failures):
    """The one .deb in --deb-dir, or one built into `tmp` with CPack; None (a failure
    recorded) when there is not exactly one."""
    if not args.deb_dir:
        return package_deb.build_package(args, os.path.join(tmp, "out"), failures)
    debs = sorted(n for n in os.listdir(args.deb_dir) if n.endswith(".deb")) \
        if os.path.isdir(args.deb_dir) else []
    if not failures.check(len(debs) == 1, "expected one .deb in %s (made by the deploy_deb "
                          "test), found %s" % (args.deb_dir, debs)):
        return None
    print("package: %s (from deploy_deb)" % debs[0])
    return os.path.join(args.deb_dir, debs[0])


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--cpack", default="cpack")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    failures = harness.Failures("deploy_deb")
    shutil.rmtree(args.out, ignore_errors=True)
    started = time.monotonic()
    deb = package_deb.build_package(args, args.out, failures)
    if deb:
        print("built %s in %.1f s" % (deb, time.monotonic() - started))
        # CPack's staging tree: only the package is needed.
        shutil.rmtree(os.path.join(args.out, "_CPack_Packages"), ignore_errors=True)
    failures.exit()


if __name__ == "__main__":
    main()
