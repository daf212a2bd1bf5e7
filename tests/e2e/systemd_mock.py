#!/usr/bin/python3
"""A stand-in for systemd on a private D-Bus bus, for e2e systemd: it owns
org.freedesktop.systemd1 and answers what node_exporter's and vitals' systemd collectors
ask (Manager.ListUnits, Properties.Get on the Manager and on each unit's object), from
the fixed UNITS below, with the D-Bus types systemd 252 uses. A property a unit does not
have answers org.freedesktop.DBus.Error.UnknownProperty, as systemd does.

Needs python3-dbus and python3-gi (Debian's /usr/bin/python3). The bus is
$DBUS_SYSTEM_BUS_ADDRESS. Prints "ready" on stdout once the name is owned.

    DBUS_SYSTEM_BUS_ADDRESS=unix:path=... /usr/bin/python3 systemd_mock.py
"""
import os
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.systemd1"
ROOT = "/org/freedesktop/systemd1"
UNIT_PREFIX = ROOT + "/unit/"
IFACE = "org.freedesktop.systemd1."
UNSET = 2**64 - 1  # systemd's "infinity" / "not known" for 64-bit counts.

MANAGER = {"Version": dbus.String("252.38-1~deb12u1"), "SystemState": dbus.String("degraded")}


def service(type_, restarts, tasks, tasks_max, started, cgroup=""):
    return {
        "Service": {"Type": dbus.String(type_), "NRestarts": dbus.UInt32(restarts),
                    "TasksCurrent": dbus.UInt64(tasks), "TasksMax": dbus.UInt64(tasks_max),
                    "ControlGroup": dbus.String(cgroup)},
        "Unit": {"ActiveEnterTimestamp": dbus.UInt64(started)},
    }


def socket(accepted, connections, refused=None):
    props = {"NAccepted": dbus.UInt32(accepted), "NConnections": dbus.UInt32(connections)}
    if refused is not None:
        props["NRefused"] = dbus.UInt32(refused)
    return {"Socket": props, "Unit": {"ActiveEnterTimestamp": dbus.UInt64(1700000200000000)}}


def timer(last):
    return {"Timer": {"LastTriggerUSec": dbus.UInt64(last)},
            "Unit": {"ActiveEnterTimestamp": dbus.UInt64(1700000300000000)}}


def plain(started=1700000400000000):
    return {"Unit": {"ActiveEnterTimestamp": dbus.UInt64(started)}}


# name -> (load state, active state, sub state, {interface: {property: value}})
UNITS = {
    "ssh.service": ("loaded", "active", "running",
                    service("notify", 2, 3, 4915, 1700000000123456, "/system.slice/ssh.service")),
    "cron.service": ("loaded", "active", "running",
                     service("simple", 0, 1, UNSET, 1700000001000000, "/system.slice/cron.service")),
    "broken.service": ("loaded", "failed", "failed", service("oneshot", 5, UNSET, 100, 0)),
    "getty@tty1.service": ("loaded", "activating", "start", service("idle", 1, 0, 30, 0,
                                                       "/system.slice/system-getty.slice/"
                                                       "getty@tty1.service")),
    "1st-boot.service": ("loaded", "deactivating", "stop-sigterm",
                         service("forking", 0, 2, 60, 0, "/../../etc")),
    "reloading.service": ("loaded", "reloading", "reload", service("notify-reload", 0, 5, 50, 0,
                                                      "/system.slice/reloading.service")),
    "missing.service": ("not-found", "inactive", "dead", {}),
    "masked.service": ("masked", "inactive", "dead", {}),
    "dbus.socket": ("loaded", "active", "running", socket(10, 2, 1)),
    "old.socket": ("loaded", "active", "listening", socket(7, 0)),
    "apt-daily.timer": ("loaded", "active", "waiting", timer(1700000100000000)),
    "never.timer": ("loaded", "inactive", "dead", timer(0)),
    "home.mount": ("loaded", "active", "mounted", {"Mount": {"Type": dbus.String("ext4")}}),
    "-.slice": ("loaded", "active", "active", plain()),
    "dev-sda.device": ("loaded", "active", "plugged", plain()),
    "multi-user.target": ("loaded", "active", "active", plain()),
    "session-1.scope": ("loaded", "active", "running", plain()),
}


# SYSTEMD_MOCK_EXTRA_SERVICES=N adds N running services (extra-0.service...), for timing.
for _i in range(int(os.environ.get("SYSTEMD_MOCK_EXTRA_SERVICES", "0"))):
    UNITS["extra-%d.service" % _i] = ("loaded", "active", "running",
                                      service("simple", _i % 3, 1, 100, 1700000000000000 + _i))


def escape(name):
    """systemd's bus_label_escape: [A-Za-z0-9] kept (a leading digit escaped), else _xx."""
    out = []
    for i, byte in enumerate(name.encode()):
        c = chr(byte)
        if c.isascii() and (c.isalpha() or (c.isdigit() and i > 0)):
            out.append(c)
        else:
            out.append("_%02x" % byte)
    return "".join(out) or "_"


BY_PATH = {UNIT_PREFIX + escape(name): name for name in UNITS}


def unknown(interface, prop):
    return dbus.exceptions.DBusException(
        "Unknown property %s.%s" % (interface, prop),
        name="org.freedesktop.DBus.Error.UnknownProperty")


class Systemd(dbus.service.FallbackObject):
    @dbus.service.method("org.freedesktop.systemd1.Manager", in_signature="",
                         out_signature="a(ssssssouso)")
    def ListUnits(self):
        return [(name, name, load, active, sub, "", UNIT_PREFIX + escape(name),
                 dbus.UInt32(0), "", "/") for name, (load, active, sub, _) in UNITS.items()]

    @dbus.service.method("org.freedesktop.DBus.Properties", in_signature="ss",
                         out_signature="v", path_keyword="path")
    def Get(self, interface, prop, path=None):
        if path == ROOT:
            if interface == IFACE + "Manager" and prop in MANAGER:
                return MANAGER[prop]
            raise unknown(interface, prop)
        name = BY_PATH.get(path)
        if name is None:
            raise dbus.exceptions.DBusException(
                "Unit %s not loaded." % path, name="org.freedesktop.systemd1.NoSuchUnit")
        props = UNITS[name][3].get(interface[len(IFACE):] if interface.startswith(IFACE) else "")
        if props is None or prop not in props:
            raise unknown(interface, prop)
        return props[prop]


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
    Systemd(bus, ROOT)
    bus.request_name(NAME, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    sys.exit(main())
