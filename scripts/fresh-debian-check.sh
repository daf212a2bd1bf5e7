#!/usr/bin/env bash
# Proves the install steps the way a new user meets them: a fresh Debian 12 made from
# Debian's archive with debootstrap (variant minbase, plus git and ca-certificates and
# nothing else), the repository's committed HEAD cloned into it with git, then the
# README's test command (`./scripts/test.sh`, with CI=true as CI runs it) as root.
#
# The fresh system is the root of a private mount namespace (unshare + pivot_root, not
# a bare chroot: the deploy tests run their own Docker engine there, and runc's
# pivot_root needs a real mount root) with the host's /proc, /sys and /dev, so its
# dockerd, systemd containers and network namespaces work as on the host. It shares the
# host's network: stop the host's Docker daemon first (two engines would fight over
# docker0 and iptables). Everything else it installs stays inside the tree.
#
#   sudo scripts/fresh-debian-check.sh [WORKDIR]     (default /var/tmp/vitals-fresh)
#
# VITALS_FRESH_COMMAND replaces the test command (e.g. "./scripts/run.sh --version" to
# check the build alone).
#
# Leaves WORKDIR/rootfs (delete it when done) and WORKDIR/test.log; prints the wall
# time, the log's last line and exits with the test command's status. Needs root,
# debootstrap and util-linux (unshare, pivot_root); about 40 s for debootstrap plus one
# whole test run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
workdir=${1:-/var/tmp/vitals-fresh}
rootfs=$workdir/rootfs

die() { echo "fresh-debian-check: $*" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, mounts)"
command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"
if pgrep -x dockerd >/dev/null; then
  die "a Docker daemon runs on this host; stop it first (the fresh system starts its own)"
fi

# The host's Debian mirror and its deb822 sources (with -updates and -security).
sources=$(grep -l '^Suites:.*\bbookworm\b' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
mirror=http://deb.debian.org/debian
if [[ -n $sources ]]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' $sources)
fi

rm -rf "$rootfs"
mkdir -p "$rootfs"
echo "=== debootstrap bookworm (minbase + git) from $mirror"
start=$(date +%s)
debootstrap --variant=minbase --include=git,ca-certificates bookworm "$rootfs" "$mirror" \
  >"$workdir/debootstrap.log" 2>&1 || { tail -n 20 "$workdir/debootstrap.log"; exit 1; }
echo "debootstrap: $(($(date +%s) - start)) s"
if [[ -n $sources ]]; then
  rm -f "$rootfs"/etc/apt/sources.list
  cp $sources "$rootfs"/etc/apt/sources.list.d/
fi
cp /etc/resolv.conf "$rootfs"/etc/resolv.conf
mkdir -p "$rootfs"/src "$rootfs"/.oldroot

# Inside the new mount namespace: the fresh tree becomes / (the host's / is detached),
# the repository is readable at /src for `git clone`.
inner=$(cat <<'EOF'
set -euo pipefail
mount --bind "$ROOTFS" "$ROOTFS"
mount -t proc proc "$ROOTFS/proc"
mount --rbind /sys "$ROOTFS/sys"
mount --rbind /dev "$ROOTFS/dev"
mount -t tmpfs tmpfs "$ROOTFS/run"
mount -t tmpfs tmpfs "$ROOTFS/tmp"
mount --bind -o ro "$REPO" "$ROOTFS/src"
cd "$ROOTFS"
pivot_root . .oldroot
umount -l /.oldroot
cd /root
exec env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 CI=true COMMAND="$COMMAND" bash -c '
    git config --global --add safe.directory /src
    git clone -q /src /root/vitals && cd /root/vitals
    echo "=== $(git log --oneline -1)"
    eval "$COMMAND"'
EOF
)
echo "=== the README's test command in the fresh system (log: $workdir/test.log)"
start=$(date +%s)
status=0
COMMAND=${VITALS_FRESH_COMMAND:-./scripts/test.sh} ROOTFS=$rootfs REPO=$repo unshare --mount --propagation private bash -c "$inner" \
  >"$workdir/test.log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))
echo "test command: exit $status after $((elapsed / 60)) min $((elapsed % 60)) s"
tail -n 1 "$workdir/test.log"
exit "$status"
