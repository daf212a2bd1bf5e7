#!/usr/bin/env python3
"""tcpstat over sock_diag netlink, side by side with node_exporter on loopback sockets
this test opens: both exporters must report the same node_tcp_connection_states.

The test opens, on 127.0.0.1: two listeners with listen(2) backlogs 77 and 91; PAIRS
connections whose server end holds UNREAD bytes it never reads (rx queue); one whose
client half-closed (server CLOSE_WAIT, client FIN_WAIT2); one whose server never reads
and whose client wrote until its send buffer was full (tx queue, hundreds of KiB). Then
node_exporter 1.5 (A), vitals (B), node_exporter (C), each with only tcpstat on, and:
  * the label sets: every state B has that [A, C] lack (or the reverse) holds at most
    SLACK sockets (a connection of another program passing through);
  * every count within SLACK of [A, C], the queued bytes within BYTES_SLACK of [A, C]
    (the scrapes' own connections and other programs' sockets come and go between the
    three scrapes);
  * B holds at least the test's own sockets: listen >= 2, established >= 2 * PAIRS + 2,
    close_wait >= 1, fin_wait2 >= 1, rx_queued_bytes >= PAIRS * UNREAD, tx_queued_bytes
    >= 77 + 91 (sock_diag reports a listener's backlog limit as its write queue, and
    node_exporter sums it), and rx + tx >= all of that plus what the blocked client
    sent (unacknowledged in its send queue or unread in the server's receive queue).
Up to ROUNDS rounds until one is clean, as node_exporter_compare.py.
"""

import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import node_exporter_common as common  # noqa: E402

PAIRS = 5
UNREAD = 3000
BACKLOGS = (77, 91)
SLACK = 8
BYTES_SLACK = 16 * 1024
ROUNDS = 5
FAMILY = "node_tcp_connection_states"


class Sockets:
    """The test's loopback sockets; close() closes them all."""

    def __init__(self):
        self.all = []
        self.listeners = [self.keep(self.listener(b)) for b in BACKLOGS]
        port = self.listeners[0].getsockname()[1]
        for _ in range(PAIRS):
            client, server = self.pair(port)
            client.sendall(b"x" * UNREAD)
        client, _ = self.pair(port)
        client.shutdown(socket.SHUT_WR)
        # The blocked writer: the server end never reads; the client writes until the
        # kernel refuses more, so its send queue holds what did not fit the receiver.
        client, server = self.pair(port)
        client.setblocking(False)
        self.blocked_bytes = 0
        try:
            while True:
                self.blocked_bytes += client.send(b"y" * 65536)
        except BlockingIOError:
            pass
        time.sleep(0.2)  # Loopback delivers what it can, and the FIN.

    def keep(self, s):
        self.all.append(s)
        return s

    @staticmethod
    def listener(backlog):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        s.listen(backlog)
        return s

    def pair(self, port):
        client = self.keep(socket.create_connection(("127.0.0.1", port)))
        server, _ = self.listeners[0].accept()
        return client, self.keep(server)

    def close(self):
        for s in self.all:
            s.close()


def states(scrape):
    return {dict(labels)["state"]: value
            for labels, value in scrape.find(FAMILY).items()}


def compare(a, b, c, sockets):
    problems = []
    sa, sb, sc = states(a), states(b), states(c)
    for state in sorted(set(sa) | set(sb) | set(sc)):
        va, vb, vc = sa.get(state, 0), sb.get(state, 0), sc.get(state, 0)
        slack = BYTES_SLACK if state.endswith("_bytes") else SLACK
        lo, hi = min(va, vc) - slack, max(va, vc) + slack
        if not lo <= vb <= hi:
            problems.append("%s: vitals %r, node_exporter %r then %r (+-%d)"
                            % (state, vb, va, vc, slack))
    # Every byte the blocked client sent is unacknowledged in its send queue or waiting in
    # the server's receive queue: together exactly what it sent.
    own_rx = PAIRS * UNREAD
    own_total = own_rx + sum(BACKLOGS) + sockets.blocked_bytes
    total = sb.get("rx_queued_bytes", 0) + sb.get("tx_queued_bytes", 0)
    for state, minimum in (("listen", 2), ("established", 2 * PAIRS + 2), ("close_wait", 1),
                           ("fin_wait2", 1), ("rx_queued_bytes", own_rx),
                           ("tx_queued_bytes", sum(BACKLOGS))):
        if sb.get(state, 0) < minimum:
            problems.append("%s: vitals %r, the test's own sockets alone are %d"
                            % (state, sb.get(state, 0), minimum))
    if total < own_total:
        problems.append("rx + tx queued bytes: vitals %r, the test's own sockets alone are %d"
                        % (total, own_total))
    for scrape, who in ((a, "node_exporter"), (b, "vitals")):
        if scrape.types.get(FAMILY) != "gauge":
            problems.append("%s: TYPE %s in %s" % (FAMILY, scrape.types.get(FAMILY), who))
    return problems, sa, sb, sc


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--node-exporter", default=common.DEFAULT_NODE_EXPORTER)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    failures = harness.Failures("tcpstat_live")
    if not os.access(args.node_exporter, os.X_OK):
        print("SKIP: node_exporter not found at %s" % args.node_exporter)
        sys.exit(common.SKIP)
    only_tcpstat = ["--collector.disable-defaults", "--collector.tcpstat"]
    node = common.NodeExporter(args.node_exporter,
                               only_tcpstat + ["--web.disable-exporter-metrics"])
    vitals = harness.Exporter(args.exporter, only_tcpstat)
    sockets = None
    try:
        node.start()
        vitals.start()
        sockets = Sockets()
        print("test sockets: %d pairs with %d unread bytes, backlogs %s, a half-closed "
              "pair, a blocked writer with %d bytes sent"
              % (PAIRS, UNREAD, BACKLOGS, sockets.blocked_bytes))
        for round_number in range(1, args.rounds + 1):
            a = common.scrape(node.url())
            b = common.scrape(vitals.url())
            c = common.scrape(node.url())
            problems, sa, sb, sc = compare(a, b, c, sockets)
            print("round %d: %d problems" % (round_number, len(problems)))
            for state in sorted(set(sa) | set(sb)):
                print("  %-16s node_exporter %-10r vitals %-10r node_exporter %r"
                      % (state, sa.get(state), sb.get(state), sc.get(state)))
            for problem in problems:
                print("  " + problem)
            if not problems:
                break
            time.sleep(0.2)
        for problem in problems:
            failures.fail(problem)
        failures.checks += len(sb)
        failures.check(a.helps.get(FAMILY) == b.helps.get(FAMILY),
                       "HELP: node_exporter %r, vitals %r"
                       % (a.helps.get(FAMILY), b.helps.get(FAMILY)))
    except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    finally:
        if sockets is not None:
            sockets.close()
        vitals.stop()
        node.stop()
    failures.exit()


if __name__ == "__main__":
    main()
