#!/usr/bin/env python3
"""Side by side with node_exporter on one textfile directory: both exporters run with
only the textfile collector on a temporary directory of small *.prom files, each one
text-format edge case with family names of its own. node_exporter (Debian's 1.5) is
the oracle of what the text format accepts:

  * a file node_exporter reads (node_textfile_mtime_seconds{file} present) is read by
    vitals too, and every family from it has node_exporter's TYPE, HELP, label sets
    and values (le and quantile compared as numbers: prometheus-cpp writes 1e+06 as
    1000000);
  * a file node_exporter refuses is refused by vitals;
  * except the cases in VITALS_REFUSES: files node_exporter reads while dropping or
    mangling part of them (a summary sample without quantile, a fractional count, a
    series given twice, ...); vitals refuses them whole, by design (docs/metrics.md).
    For those, node_exporter must really read them (so the list stays honest), and
    vitals must publish nothing from them.
  * files are named (node_textfile_mtime_seconds{file}, "Metric read from") by Go's
    filepath.Join of the directory, given here as "<tmp>//./", and the file name;
  * two files with the same family merge into one, with node_exporter's
    "Metric read from a, b" HELP; a later file whose family clashes with an earlier
    one (TYPE, HELP, a series again) is partly dropped by node_exporter (its registry
    logs the clash) and refused whole by vitals: CLASH_FILES.

Cases node_exporter cannot be shown (it panics on a label name starting with "__",
and lets a file replace its own node_textfile_scrape_error) are in textfile.py.
"""

import math
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import node_exporter_common as common  # noqa: E402

# name -> file content. Family names start with the case's short prefix.
CASES = {
    # accepted by both
    "blank_lines": b"\n\n  \nblank_lines 1\n\t\n",
    "comments": b"#foo bar\n# \n#\ncomments 1\n",
    "empty": b"",
    "only_comments": b"# just a comment\n",
    "type_no_samples": b"# TYPE type_no_samples gauge\n",
    "leading_space": b"   leading_space 1\n",
    "tab_sep": b"tab_sep\t1\n",
    "name_colon": b"name:colon:rate5m 1\n",
    "help_empty_name": b"# HELP\nhelp_empty_name 1\n",
    "help_no_text": b"# HELP help_no_text\nhelp_no_text 1\n",
    "help_space_only": b"# HELP help_space_only \nhelp_space_only 1\n",
    "help_trailing": b"# HELP help_trailing  some text  \nhelp_trailing 1\n",
    "help_escapes": b"# HELP help_escapes a \\\\ b \\n c \"q\"\nhelp_escapes 1\n",
    "help_utf8": "# HELP help_utf8 ünï 😀\nhelp_utf8 1\n".encode(),
    "type_upper": b"# TYPE type_upper GAUGE\ntype_upper 1\n",
    "counter_neg": b"# TYPE counter_neg counter\ncounter_neg -5\n",
    "label_empty": b"label_empty{} 1\n",
    "label_spaces": b"label_spaces { a = \"1\" , b=\"2\" } 1\n",
    "label_trailing_comma": b"label_trailing_comma{a=\"1\",} 1\n",
    "label_glued": b"label_glued{a=\"1\"}1\n",
    "label_escapes": b"label_escapes{a=\"q\\\"b\\\\n\\n\"} 1\n",
    "label_utf8": "label_utf8{a=\"ünï 😀\"} 1\n".encode(),
    "label_fill": b"label_fill{a=\"1\"} 1\nlabel_fill{b=\"2\"} 2\n",
    "values": b"values_e 1E3\nvalues_dot .5\nvalues_trail 5.\nvalues_plus +7\n"
              b"values_inf inf\nvalues_infinity Infinity\nvalues_ninf -inf\nvalues_nan nan\n"
              b"values_NaN NaN\nvalues_pinf +Inf\nvalues_tiny 4.9e-324\nvalues_big 1.7e308\n",
    "gauge_sum": b"# TYPE gauge_sum gauge\ngauge_sum_sum 1\n",
    "help_suffix": b"# HELP help_suffix_sum s\n# TYPE help_suffix summary\nhelp_suffix_sum 1\n",
    "help_then_total": b"# HELP help_then_total x\n# TYPE help_then_total counter\n"
                       b"help_then_total_total 1\n",
    "summary_ok": b"# TYPE summary_ok summary\nsummary_ok{quantile=\"0.5\"} 1\n"
                  b"summary_ok{quantile=\"0.99\"} 3\nsummary_ok_sum 2\nsummary_ok_count 3\n",
    "summary_labels": b"# TYPE summary_labels summary\n"
                      b"summary_labels{a=\"x\",quantile=\"0.5\"} 1\n"
                      b"summary_labels{quantile=\"0.5\",a=\"y\"} 1\nsummary_labels_count{a=\"x\"} 1\n",
    "summary_sum_only": b"# TYPE summary_sum_only summary\nsummary_sum_only_sum 1\n",
    "hist_ok": b"# TYPE hist_ok histogram\nhist_ok_bucket{le=\"1e+06\"} 1\n"
               b"hist_ok_bucket{le=\"+Inf\"} 2\nhist_ok_sum 3\nhist_ok_count 2\n",
    "hist_noinf": b"# TYPE hist_noinf histogram\nhist_noinf_bucket{le=\"0.25\"} 1\n"
                  b"hist_noinf_sum 3\nhist_noinf_count 2\n",
    "hist_labels": b"# TYPE hist_labels histogram\nhist_labels_bucket{a=\"x\",le=\"1\"} 1\n"
                   b"hist_labels_count{a=\"x\"} 1\nhist_labels_count{a=\"y\"} 4\n",
    # refused by both
    "bom": b"\xef\xbb\xbfbom 1\n",
    "crlf": b"crlf 1\r\n",
    "extra": b"extra 1 2 3\n",
    "help_bad_escape": b"# HELP help_bad_escape a \\t b\nhelp_bad_escape 1\n",
    "help_twice": b"# HELP help_twice a\n# HELP help_twice a\nhelp_twice 1\n",
    "label_bad_escape": b"label_bad_escape{a=\"\\t\"} 1\n",
    "label_bad_utf8": b"label_bad_utf8{a=\"\xc3\"} 1\n",
    "label_overlong": b"label_overlong{a=\"\xc0\xaf\"} 1\n",
    "label_colon": b"label_colon{a:b=\"1\"} 1\n",
    "label_dup": b"label_dup{a=\"1\",a=\"2\"} 1\n",
    "label_name_reserved": b"label_name_reserved{__name__=\"x\"} 1\n",
    "label_raw_newline": b"label_raw_newline{a=\"x\ny\"} 1\n",
    "label_no_close": b"label_no_close{a=\"1\" 1\n",
    "label_single_quote": b"label_single_quote{a='1'} 1\n",
    "label_unquoted": b"label_unquoted{a=1} 1\n",
    "name_digit": b"1name_digit 1\n",
    "no_newline": b"no_newline 1",
    "no_value": b"no_value\n",
    "no_value_labels": b"no_value_labels{a=\"1\"}\n",
    "summary_badq": b"# TYPE summary_badq summary\nsummary_badq{quantile=\"x\"} 1\n",
    "timestamp": b"timestamp 1 123\n",
    "timestamp_neg": b"timestamp_neg 1 -5\n",
    "timestamp_bad": b"timestamp_bad 1 12x\n",
    "timestamp_float": b"timestamp_float 1 1.5\n",
    "type_after": b"type_after 1\n# TYPE type_after gauge\n",
    "type_extra": b"# TYPE type_extra gauge x\ntype_extra 1\n",
    "type_suffix": b"# TYPE type_suffix summary\n# TYPE type_suffix_count gauge\n"
                   b"type_suffix_count 1\n",
    "type_trailing": b"# TYPE type_trailing gauge  \ntype_trailing 1\n",
    "type_twice": b"# TYPE type_twice gauge\n# TYPE type_twice gauge\ntype_twice 1\n",
    "type_unknown": b"# TYPE type_unknown foo\ntype_unknown 1\n",
    "value_bad": b"value_bad abc\n",
    "value_hex": b"value_hex 0x10\n",
    "value_plus_nan": b"value_plus_nan +NaN\n",
    "value_underscore": b"value_underscore 1_000\n",
    "value_overflow": b"value_overflow 1e400\n",
    # node_exporter reads these but drops or mangles a part (help_bad_utf8: its HELP is
    # written as it is, an exposition that is not UTF-8); vitals refuses them whole.
    "nul_in_comment": b"nul_in_comment 1\n#\x00\n",
    "help_bad_utf8": b"# HELP help_bad_utf8 a \xff b\nhelp_bad_utf8 1\n",
    "summary_noq": b"# TYPE summary_noq summary\nsummary_noq 1\n",
    "summary_q_twice": b"# TYPE summary_q_twice summary\nsummary_q_twice{quantile=\"0.5\"} 1\n"
                       b"summary_q_twice{quantile=\"0.5\"} 2\n",
    "summary_count_frac": b"# TYPE summary_count_frac summary\nsummary_count_frac_count 1.5\n",
    "summary_count_neg": b"# TYPE summary_count_neg summary\nsummary_count_neg_count -1\n",
    "hist_bare": b"# TYPE hist_bare histogram\nhist_bare 1\n",
    "hist_nole": b"# TYPE hist_nole histogram\nhist_nole_bucket 1\n",
    "hist_frac": b"# TYPE hist_frac histogram\nhist_frac_bucket{le=\"1\"} 1.5\n",
    "hist_le_sum": b"# TYPE hist_le_sum histogram\nhist_le_sum_sum{le=\"1\"} 1\n",
    "hist_le_twice": b"# TYPE hist_le_twice histogram\nhist_le_twice_bucket{le=\"1\"} 1\n"
                     b"hist_le_twice_bucket{le=\"1.0\"} 1\n",
    "dup_series": b"dup_series{a=\"1\"} 1\ndup_series{a=\"1\"} 2\n",
    "dup_series_order": b"dup_series_order{a=\"1\",b=\"2\"} 1\ndup_series_order{b=\"2\",a=\"1\"} 2\n",
    "dup_after_fill": b"dup_after_fill{a=\"1\"} 1\ndup_after_fill 2\ndup_after_fill{a=\"\"} 3\n",
    # two files, one family: merged by both.
    "merge_a": b"merge{a=\"1\"} 1\n# HELP merge_help same\nmerge_help{f=\"a\"} 1\n",
    "merge_b": b"merge{b=\"2\"} 2\n# HELP merge_help same\nmerge_help{f=\"b\"} 2\n",
    # a later file clashing with an earlier one: only the clashing sample in _b.
    "clash_type_a": b"# TYPE clash_type gauge\nclash_type 1\n",
    "clash_type_b": b"# TYPE clash_type counter\nclash_type{x=\"y\"} 2\n",
    "clash_help_a": b"# HELP clash_help one\nclash_help 1\n",
    "clash_help_b": b"# HELP clash_help two\nclash_help{x=\"y\"} 2\n",
    "clash_series_a": b"clash_series{x=\"y\"} 1\n",
    "clash_series_b": b"clash_series{x=\"y\"} 2\n",
    "clash_sum_a": b"# TYPE clash_sum summary\nclash_sum_sum 1\nclash_sum_count 1\n",
    "clash_sum_b": b"# HELP clash_sum_sum other\nclash_sum_sum 2\n",
}

VITALS_REFUSES = {
    "nul_in_comment", "help_bad_utf8", "summary_noq", "summary_q_twice", "summary_count_frac",
    "summary_count_neg", "hist_bare", "hist_nole", "hist_frac", "hist_le_sum", "hist_le_twice",
    "dup_series", "dup_series_order", "dup_after_fill",
}
CLASH_FILES = {"clash_type_b", "clash_help_b", "clash_series_b", "clash_sum_b"}
# Not the textfile collector's families: the exporters' own.
OWN = re.compile(r"^(go_|process_|promhttp_|node_exporter_|node_scrape_collector_|vitals_)")


def canonical(scrape):
    """{(name, labels): value} with le/quantile as numbers and NaN comparable."""
    out = {}
    for (name, labels), value in scrape.samples.items():
        if OWN.match(name):
            continue
        fixed = frozenset((k, repr(float(v)) if k in ("le", "quantile") else v)
                          for k, v in labels)
        out[(name, fixed)] = "NaN" if math.isnan(value) else value
    return out


def mtime_files(scrape):
    return {os.path.basename(dict(labels)["file"])[:-len(".prom")]
            for labels in scrape.find("node_textfile_mtime_seconds")}


def case_of(family, names):
    """The case whose family names start with its name (longest match)."""
    best = None
    for name in names:
        stem = name[:-2] if name.endswith(("_a", "_b")) else name
        if family.startswith(stem) and (best is None or len(stem) > len(best[1])):
            best = (name, stem)
    return best[0] if best else None


def main():
    parser = harness.common_argparser(__doc__.splitlines()[0])
    parser.add_argument("--node-exporter", default=common.DEFAULT_NODE_EXPORTER)
    args = parser.parse_args()
    failures = harness.Failures("node_exporter_textfile_compare")
    if not os.access(args.node_exporter, os.X_OK):
        print("SKIP: node_exporter not found at %s" % args.node_exporter)
        sys.exit(common.SKIP)
    common.print_version(args.node_exporter)

    tmp = tempfile.mkdtemp(prefix="vitals-textfile-compare-")
    try:
        for name, content in CASES.items():
            with open(os.path.join(tmp, name + ".prom"), "wb") as f:
                f.write(content)
        # Not clean on purpose: both name the files by Go's filepath.Join (cleaned).
        flags = ["--collector.disable-defaults", "--collector.textfile",
                 "--collector.textfile.directory=" + tmp + "//./"]
        node = common.NodeExporter(args.node_exporter,
                                   flags + ["--web.disable-exporter-metrics"])
        vitals = harness.Exporter(args.exporter, flags)
        try:
            node.start()
            vitals.start()
            # node_exporter writes help_bad_utf8's HELP bytes as they are (not UTF-8).
            response = harness.http_request(node.url(), timeout=30)
            a = harness.parse(response.body.decode("utf-8", "replace"))
            b = harness.parse(vitals.scrape())
        finally:
            vitals.stop()
            node.stop()
        compare(a, b, tmp, failures)
    except (RuntimeError, harness.ExporterError, harness.ParseError, OSError) as e:
        failures.fail("%s: %s" % (type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failures.exit()


def compare(a, b, tmp, failures):
    read_a, read_b = mtime_files(a), mtime_files(b)
    for name in sorted(CASES):
        if name in VITALS_REFUSES or name in CLASH_FILES:
            failures.check(name in read_a, "%s: node_exporter refuses it; take it off "
                           "VITALS_REFUSES/CLASH_FILES" % name)
            failures.check(name not in read_b, "%s: vitals reads it, expected a refusal" % name)
        else:
            failures.check((name in read_a) == (name in read_b),
                           "%s: node_exporter %s it, vitals %s it" % (
                               name, "reads" if name in read_a else "refuses",
                               "reads" if name in read_b else "refuses"))
    print("files read by node_exporter: %d of %d; by vitals: %d"
          % (len(read_a), len(CASES), len(read_b)))
    failures.check(a.get("node_textfile_scrape_error") == 1 == b.get("node_textfile_scrape_error"),
                   "node_textfile_scrape_error: node_exporter %s, vitals %s"
                   % (a.get("node_textfile_scrape_error"), b.get("node_textfile_scrape_error")))
    for family in ("node_textfile_mtime_seconds", "node_textfile_scrape_error"):
        failures.check(a.helps.get(family) == b.helps.get(family),
                       "%s HELP: %r vs %r" % (family, a.helps.get(family), b.helps.get(family)))
        failures.check(a.types.get(family) == b.types.get(family) == "gauge", "%s TYPE" % family)
    for name in read_a & read_b:
        key = ("node_textfile_mtime_seconds",
               frozenset({("file", os.path.join(tmp, name + ".prom"))}))
        failures.check(a.samples.get(key) == b.samples.get(key),
                       "%s mtime: %s vs %s" % (name, a.samples.get(key), b.samples.get(key)))

    sa, sb = canonical(a), canonical(b)
    refused = VITALS_REFUSES
    families = {a.family_of(n) for n, _ in sa} | {b.family_of(n) for n, _ in sb}
    families -= {"node_textfile_mtime_seconds", "node_textfile_scrape_error"}
    compared = 0
    for family in sorted(families):
        case = case_of(family, CASES)
        fa = {k: v for k, v in sa.items() if a.family_of(k[0]) == family}
        fb = {k: v for k, v in sb.items() if b.family_of(k[0]) == family}
        if case in refused:
            failures.check(not fb, "%s (case %s, refused by vitals): vitals publishes %s"
                           % (family, case, sorted(map(harness.format_key, fb))))
            continue
        failures.check(fa == fb, "%s: samples differ\n  node_exporter %s\n  vitals        %s"
                       % (family, sorted((harness.format_key(k), v) for k, v in fa.items()),
                          sorted((harness.format_key(k), v) for k, v in fb.items())))
        failures.check(a.types.get(family) == b.types.get(family),
                       "%s: TYPE %s vs %s" % (family, a.types.get(family), b.types.get(family)))
        # A clash: node_exporter's HELP names the refused file too.
        clash = case is not None and case.startswith("clash_")
        failures.check(clash or a.helps.get(family) == b.helps.get(family),
                       "%s: HELP %r vs %r" % (family, a.helps.get(family), b.helps.get(family)))
        compared += 1
    print("%d families compared (TYPE, HELP, samples); %d samples" % (compared, len(sb)))
    failures.check(compared >= 40, "only %d families compared" % compared)
    failures.check(b.helps.get("merge") == "Metric read from %s, %s" % (
        os.path.join(tmp, "merge_a.prom"), os.path.join(tmp, "merge_b.prom")),
        "merge HELP: %r" % b.helps.get("merge"))


if __name__ == "__main__":
    main()
