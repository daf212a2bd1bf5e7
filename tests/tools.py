"""Every external program the tests start, in one list (Python 3 standard library).

tests/packaging/deps_declared.py checks that each one is installed and comes from a
Debian package that `scripts/install-deps.sh test` installs (listed there, pulled in
by one that is, or Essential), and scans tests/ for programs started but missing here.
A test that starts a new program adds it here, and its package to install-deps.sh;
the same for a Python module outside the standard library (PYTHON_MODULES).

Not listed: the exporter and the fake NVML library (built here), and the Python the
tests run under (sys.executable; python3 is listed for the scripts CMake starts).
"""

# program -> the tests (or tools) that start it.
TOOLS = {
    # Peers and the Prometheus tool chain.
    "prometheus": "rules_live, alert_path, dashboards_live, stack_script, e2e_hostile_utf8, "
                  "fleet_faults",
    "promtool": "rules_check, rules_test, e2e_golden, e2e_processes_fixture, e2e_gpu_fake, "
                "stack_compose, fleet_configs",
    "victoria-metrics": "fleet_faults, fleet_script (scripts/fleet.sh), rules_equivalence",
    "vmalert": "fleet_configs, fleet_script, rules_equivalence",
    "prometheus-node-exporter": "e2e_node_exporter_compare, e2e_node_exporter_fixture_compare",
    "prometheus-process-exporter": "e2e_process_exporter_compare",
    "prometheus-blackbox-exporter": "e2e_blackbox_compare",
    "prometheus-alertmanager": "alertmanager_inhibit, alert_path, stack_script, fleet_faults",
    "amtool": "alertmanager_check, alertmanager_routes",
    "aiosmtpd": "alert_path (python3-aiosmtpd's SMTP sink)",
    "docker-compose": "stack_compose, deploy_image (the service's arguments), deploy_compose, "
                      "deploy_compose_fleet",
    # Containers (tests/deploy/container.py).
    "docker": "the deploy tests (tests/deploy)",
    "dockerd": "the deploy tests (when no Docker daemon runs)",
    "debootstrap": "the deploy tests (the debian:12 base image, when missing)",
    "tar": "the deploy tests (the debootstrap tree into docker import)",
    # Load, TLS, HTTP.
    "wrk": "e2e_load_wrk",
    "openssl": "e2e_probes_live, e2e_web_security (tls_fixtures), e2e_load_wrk, dashboards_live, "
               "deploy_image (tls_fixtures)",
    "curl": "stack_script (scripts/stack.sh), fleet_faults (scripts/fleet.sh)",
    # Packaging and docs.
    "cmake": "the build; stack_script (scripts/stack.sh)",
    "cpack": "packaging_deb, deploy_deb (or a deploy test run without --deb-dir)",
    "dpkg-shlibdeps": "packaging_deb (CPack's SHLIBDEPS)",
    "file": "packaging_deb (CPack's SHLIBDEPS runs it on the binary)",
    "dpkg-deb": "packaging_deb, deploy_* (container.deb_depends: the image's packages)",
    "dpkg": "packaging_deb, stack_compose, deps_declared",
    "dpkg-query": "deps_declared",
    "readelf": "packaging_deb, stack_compose",
    "man": "docs_man_page",
    "systemd-analyze": "packaging_deb",
    "strace": "packaging_deb",
    "gzip": "the build (cmake/Packaging.cmake: the man page)",
    "clang-format": "lint_clang_format",
    # Processes, namespaces, privileges.
    "python3": "every Python test CMake registers",
    "bash": "e2e_load_wrk (sleepers), lint_clang_format, alertmanager_routes, stack_script",
    "sh": "rules_check, rules_test, packaging_deb (sh -n on maintainer scripts)",
    "sleep": "e2e_processes_live, e2e_reload, e2e_gpu_fake, e2e_load_wrk",
    "ps": "e2e_slow_clients (RSS)",
    "cp": "tests/fixtures capture scripts",
    "setpriv": "e2e_ports_live (the exporter as nobody), packaging_deb (the unit's empty capability set)",
    "unshare": "e2e_hostile_utf8 (mount, network and PID namespaces)",
    "dbus-daemon": "e2e_systemd_bus (a private bus for the mock systemd)",
    "ip": "e2e_hostile_utf8 (loopback up, a veth pair, an interface alias)",
}

# Python modules the tests import that are not in Python's standard library (each from
# a Debian package install-deps.sh test installs; deps_declared checks and scans for them).
PYTHON_MODULES = {
    "dbus": "e2e_systemd_bus (the mock systemd: python3-dbus)",
    "gi": "e2e_systemd_bus (the mock's GLib main loop: python3-gi)",
    "aiosmtpd": "alert_path (the SMTP receiver: python3-aiosmtpd)",
}
