#!/usr/bin/env python3
"""Renders one benchmark run (the JSON lines bench/run.sh wrote) as a dated
Markdown section and puts it at the top of bench/RESULTS.md (newest first).

    python3 bench/report.py RESULTS.jsonl bench/RESULTS.md
"""
import json
import sys

MARK = "<!-- run.sh inserts each new run below this line, newest first -->"
HEAD = """# pingan benchmark results

Produced by `make bench` (all scales) or `make bench SCALE=county` (see bench/README.md).
Peak rates come from wrk; every latency comes from bench/out/loadgen at a fixed
rate, measured from the time each request was due (no coordinated omission).
Each section is one run on one machine; compare runs only on the same machine.

""" + MARK + "\n"

SCENARIOS = [
    ("signin", "1. sign-in (argon2id as configured)"),
    ("intake", "2. intake: POST /events, durable, 64 conns"),
    ("intake@target", "2. intake at the 5,000/s target"),
    ("read_one", "3. read one event with its timeline"),
    ("read_spread", "3. the same over 20,000 ids (mostly not kept)"),
    ("list_filtered", "3. list: filters + cursor"),
    ("search_zh", "4. full-text search in Chinese"),
    ("transition:accept", "5. accept (fixed rate, each sent twice)"),
    ("transition:dispatch", "5. dispatch"),
    ("transition:sign", "5. sign"),
    ("transition:feedback", "5. feedback"),
    ("transition:verify", "5. verify"),
    ("stats", "6. dashboard statistics"),
    ("person_id", "7. registry: look up by ID number"),
    ("person_name", "7. registry: search by whole name"),
]


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                sys.stderr.write("report: skipping a malformed line: %s\n" % line[:120])
    return rows


def n(v, digits=0):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if digits == 0:
        return "{:,.0f}".format(v)
    return "{:,.{d}f}".format(v, d=digits)


def ms(v):
    if v is None:
        return "–"
    if v >= 100:
        return "{:,.0f}".format(v)
    if v >= 10:
        return "{:.1f}".format(v)
    return "{:.2f}".format(v)


def lat(lg):
    if not lg:
        return "–"
    return "%s / %s / %s" % (ms(lg.get("p50_ms")), ms(lg.get("p99_ms")), ms(lg.get("p999_ms")))


def achieved(lg):
    if not lg:
        return "–"
    s = "%s (%s)" % (n(lg.get("target_rate")), n(lg.get("rate")))
    if lg.get("saturated"):
        s += " **saturated**"
        if (lg.get("loadgen_cpu") or 0) > 90:
            s += " (loadgen at %s %% CPU: it may be the limit)" % n(lg.get("loadgen_cpu"))
        elif (lg.get("target_rate") or 0) > 30000:
            s += " (above the ~35,000 req/s one loadgen thread reaches on 2 shared cores)"
    return s


def answers(lg):
    codes = (lg or {}).get("codes") or {}
    parts = ["%s×%s" % (k, n(v)) for k, v in sorted(codes.items())]
    extra = []
    for key, name in (("timeouts", "timeouts"), ("socket_errors", "socket errors"),
                      ("unsent", "never sent")):
        if (lg or {}).get(key):
            extra.append("%s %s" % (n(lg[key]), name))
    return ", ".join(parts + extra) or "–"


def ratio(a, b, pct=False):
    if not a or not b:
        return None
    if pct:
        return "%.0f %%" % (100.0 * a / b)
    return "%.2f×" % (a / b)


class Run:
    def __init__(self, rows):
        self.rows = rows
        self.meta = next((r for r in rows if r.get("kind") == "meta"), {})
        self.end = next((r for r in rows if r.get("kind") == "end"), {})

    def of(self, kind, **kw):
        return [r for r in self.rows if r.get("kind") == kind and
                all(r.get(k) == v for k, v in kw.items())]

    def one(self, kind, **kw):
        found = self.of(kind, **kw)
        return found[0] if found else None

    def row(self, scale, scenario):
        return self.one("row", scale=scale, scenario=scenario)

    def scales(self):
        return [r["scale"] for r in self.rows if r.get("kind") in ("scale", "skip")]

    def measured_scales(self):
        return [r["scale"] for r in self.of("scale")]


def ref_peak(row):
    """A reference's peak rate, or None when it was not measured or answered errors
    (a peak of 403s is no rate to compare with)."""
    if not row or row.get("peak_non2xx"):
        return None
    return row.get("peak_rps")


def peak_cell(row, errors_note=""):
    """A peak rate as a table shows it, with the count of error answers when there were any."""
    cell = n(row.get("peak_rps"))
    if row.get("peak_non2xx"):
        cell += " (%s non-2xx%s)" % (n(row["peak_non2xx"]), errors_note)
    return cell


def ref_ratio(run, scale, scenario):
    """The reference ratios shown beside a scenario."""
    row = run.row(scale, scenario)
    if not row:
        return "–"
    peak = row.get("peak_rps")
    out = []
    ng = run.row("reference", "nginx_static")
    sq = (run.one("sqlite") or {}).get("r") or {}
    rt = {k: run.row("reference", "rt5_" + k) for k in ("create", "read", "list", "status")}
    if scenario in ("read_one", "read_spread"):
        r = ratio(peak, ref_peak(ng), pct=True)
        if r:
            out.append("%s of nginx" % r)
        r = ratio(peak, ref_peak(run.one("http_floor", scale=scale)), pct=True)
        if r:
            out.append("%s of pingan's own /healthz" % r)
        r = ratio(peak, sq.get("select_n"), pct=True)
        if r:
            out.append("%s of raw SQLite point selects" % r)
        r = ratio(peak, ref_peak(rt["read"]))
        if r:
            out.append("%s RT5 read" % r)
    elif scenario == "intake":
        held = writer_held(row)
        if held:
            group = ", %s reports per commit" % n(row["peak_reqs"] / row["write_txns"], 1) \
                if row.get("write_txns") else ""
            out.append("the one writer held %s µs per report (busy %s %% of the peak run%s): "
                       "at most %s reports/s" % (n(held[0]), n(held[1]), group, n(1e6 / held[0])))
        near = (run.one("sqlite_near", scale=scale) or {}).get("r") or sq
        r = ratio(peak, near.get("durable_insert_fts"), pct=True)
        if r:
            out.append("%s of raw SQLite's durable insert + FTS just before (%s rows/s)" % (
                r, n(near.get("durable_insert_fts"))))
        r = ratio(peak, ref_peak(rt["create"]))
        if r:
            out.append("%s RT5 create" % r)
    elif scenario == "list_filtered":
        r = ratio(peak, ref_peak(rt["list"]))
        if r:
            out.append("%s RT5 queue list" % r)
    elif scenario == "signin":
        out.append("target ≥ 50/s")
    return "; ".join(out) or "–"


def writer_held(row):
    """Microseconds the database writer was held per request during the peak run, and the
    share of the run it was held; None when the run did not read /metrics."""
    busy, reqs, secs = row.get("writer_busy_s"), row.get("peak_reqs"), row.get("peak_s")
    if not busy or not reqs or not secs:
        return None
    return busy * 1e6 / reqs, 100 * busy / secs


def scale_table(run, scale):
    lines = ["| scenario | peak req/s (wrk) | fixed rate: target (achieved) req/s | p50 / p99 / p99.9 ms "
             "| server CPU % peak / at rate | peak RSS MB | reference ratio | answers at fixed rate |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    for key, title in SCENARIOS:
        row = run.row(scale, key)
        if not row:
            continue
        lg = row.get("lg") or {}
        lines.append("| %s | %s | %s | %s | %s / %s | %s | %s | %s |" % (
            title, peak_cell(row), achieved(lg), lat(lg), n(row.get("cpu_peak")), n(row.get("cpu_rate")),
            n(row.get("rss_mb"), 1), ref_ratio(run, scale, key), answers(lg)))
        if key.startswith("transition:") and row.get("events"):
            lines[-1] = lines[-1][:-2] + " (%s events: 1 success each expected) |" % n(row["events"])
    race = run.one("race", scale=scale)
    if race:
        r = race.get("r") or {}
        rt = run.row("reference", "rt5_status")
        rr = ratio(r.get("rate"), ref_peak(rt))
        lines.append("| 5. transitions race: %s events, %s workers (closed loop) | %s transitions/s | – | "
                     "%s / %s / %s (closed loop) | %s / – | %s | %s | 200×%s (expected %s), 409×%s, "
                     "412×%s, other %s |" % (
                         n(r.get("events")), n(r.get("workers")), n(r.get("rate")),
                         ms(r.get("p50_ms")), ms(r.get("p99_ms")), ms(r.get("p999_ms")),
                         n(race.get("cpu")), n(race.get("rss_mb"), 1),
                         ("%s RT5 status change" % rr) if rr else "–",
                         n(r.get("ok")), n(r.get("expected_ok")), n(r.get("conflict_409")),
                         n(r.get("stale_412")), n(r.get("other"))))
    na = run.one("na", scale=scale, scenario="registry")
    if na:
        lines.append("| 7. registry | – | – | – | – | – | – | %s |" % na.get("reason"))
    imp = run.one("import", scale=scale)
    if imp:
        lines.append("| 7. registry: CSV import, %s files of %s persons into %s (one after the other) | "
                     "%s persons/s | – | %s s in all | %s / – | %s | %s | "
                     "created %s, updated %s, files refused %s |" % (
                         n(imp.get("files")), n(imp.get("rows")), n(imp.get("persons_before")),
                         n(import_rate(imp)), n(imp.get("seconds"), 1), n(imp.get("cpu")),
                         n(imp.get("rss_mb"), 1), import_ratio(run, scale, imp), n(imp.get("created")),
                         n(imp.get("updated")), n(imp.get("failed"))))
    return lines


def raw_registry(run, scale):
    """Raw SQLite's rate for the import's rows with the same indexes, measured just before."""
    return ((run.one("sqlite_registry", scale=scale) or {}).get("r") or {}).get("registry_insert")


def import_ratio(run, scale, imp):
    raw = raw_registry(run, scale)
    r = ratio(import_rate(imp), raw, pct=True)
    if not r:
        return "target ≥ 100,000 persons/s"
    return ("%s of raw SQLite writing such rows with the same four indexes into as many rows, "
            "just before (%s rows/s); target ≥ 100,000 persons/s" % (r, n(raw)))


def import_rate(imp):
    """Persons written per second by the imports that succeeded."""
    done = (imp.get("created") or 0) + (imp.get("updated") or 0)
    return done / imp["seconds"] if imp.get("seconds") else None


def transitions_summary(run, scale):
    out = []
    race = run.one("race", scale=scale)
    if race:
        r = race.get("r") or {}
        out.append("- Transitions race: %s events driven through accept → dispatch → sign → feedback → "
                   "verify by %s concurrent workers picking from the same few events (even workers send "
                   "If-Match, odd ones none): %s closed with exactly the expected timeline, %s anomalies; "
                   "**lost updates: %s**." % (
                       n(r.get("events")), n(r.get("workers")), n(r.get("exact")),
                       n(r.get("anomalies")), n(r.get("lost_updates"))))
    chk = run.one("phase_check", scale=scale)
    if chk:
        r = chk.get("r") or {}
        done = r.get("steps_done") or [0] * 5
        oks = []
        lost = r.get("anomalies") or 0
        for k, step in enumerate(("accept", "dispatch", "sign", "feedback", "verify")):
            row = run.row(scale, "transition:" + step)
            if not row:
                continue
            ok = ((row.get("lg") or {}).get("codes") or {}).get("200", 0)
            oks.append("%s %s/%s" % (step, n(ok), n(done[k] if k < len(done) else 0)))
            lost += abs(ok - (done[k] if k < len(done) else 0))
        out.append("- Fixed-rate transitions (every request sent twice at once; successes / events "
                   "whose timeline holds the step): %s; %s of %s events closed; %s anomalies; "
                   "**lost updates: %s**. A step that was never sent (saturation) leaves later steps "
                   "with 409s but is not a lost update." % (
                       ", ".join(oks), n(r.get("closed")), n(r.get("events")),
                       n(r.get("anomalies")), n(lost)))
    return out


def signin_summary(run, scale):
    costs = run.of("signin_cost", scale=scale)
    if not costs:
        return []
    lines = ["", "Sign-in cost sweep (`wrk -t2 -c16 -d5s`; the configuration allows `argon2_opslimit` "
             "2–20 and `argon2_memlimit_kib` ≥ 19456, so the default 2 / 19456 KiB is also the minimum):", "",
             "| argon2_opslimit | argon2_memlimit_kib | sign-ins/s | server CPU % | ≥ 50/s |",
             "|---:|---:|---:|---:|---|"]
    best = None
    for c in costs:
        ok = (c.get("rps") or 0) >= 50
        lines.append("| %s | %s | %s | %s | %s |" % (c["ops"], c["mem_kib"], n(c.get("rps"), 1),
                                                   n(c.get("cpu")), "yes" if ok else "no"))
        if ok:
            w = c["ops"] * c["mem_kib"]
            if best is None or w > best[0]:
                best = (w, c)
    lines.append("")
    if best:
        lines.append("Highest tested cost that keeps ≥ 50 sign-ins/s: opslimit %s, memlimit %s KiB." % (
            best[1]["ops"], best[1]["mem_kib"]))
    else:
        lines.append("No cost the configuration allows keeps ≥ 50 sign-ins/s on this machine.")
    return lines


def target_rows(run):
    scales = run.measured_scales()
    top = "province" if "province" in scales else (scales[-1] if scales else None)
    note = "" if top == "province" else " (province not measured; shown: %s)" % top
    out = ["| target | today | met |", "|---|---|---|"]

    def verdict(ok, at_province=True):
        if ok is None:
            return "not measured"
        if at_province and top != "province":
            return ("met" if ok else "missed") + " at %s; province not measured" % top
        return "**met**" if ok else "**missed**"

    # Intake.
    county = scales[0] if scales else None
    it = run.row(county, "intake@target") if county else None
    ip = run.row(county, "intake") if county else None
    if it:
        lg = it.get("lg") or {}
        # Only events created count: answers other than 2xx are refusals, not intake.
        created = (lg.get("rate") or 0) * (lg.get("s2xx") or 0) / max(lg.get("completed") or 0, 1)
        ok = (not lg.get("saturated")) and (lg.get("p99_ms") or 1e9) <= 50 and created >= 4750
        held = writer_held(ip) if ip else None
        out.append("| intake ≥ 5,000 durable events/s, p99 ≤ 50 ms at 64 connections | peak %s/s (wrk%s); "
                   "at 5,000/s: answered %s/s, of them created %s/s, p99 %s ms (%s)%s | %s |" % (
                       n(ip and ip.get("peak_rps")),
                       ", %s non-2xx" % n(ip.get("peak_non2xx")) if ip and ip.get("peak_non2xx") else "",
                       n(lg.get("rate")), n(created), ms(lg.get("p99_ms")), county,
                       "; the one writer held %s µs per report at the peak: at most %s/s" % (
                           n(held[0]), n(1e6 / held[0])) if held else "",
                       verdict(ok, False)))
    else:
        out.append("| intake ≥ 5,000 durable events/s, p99 ≤ 50 ms | – | not measured |")
    # Single read vs nginx.
    rd = run.row(county, "read_one") if county else None
    ng = run.row("reference", "nginx_static")
    if rd and ref_peak(ng):
        share = (rd.get("peak_rps") or 0) / ref_peak(ng)
        floor = ref_peak(run.one("http_floor", scale=county))
        floor_note = "; pingan answering /healthz alone: %s req/s = %.0f %%" % (
            n(floor), 100 * floor / ref_peak(ng)) if floor else ""
        spread = run.row(county, "read_spread")
        spread_note = "; over 20,000 ids, most answers not kept: %s req/s = %.0f %%" % (
            n(spread.get("peak_rps")), 100 * (spread.get("peak_rps") or 0) / ref_peak(ng)) if spread else ""
        out.append("| single read ≥ 50 %% of nginx's static-file rate | %s vs %s req/s = %.0f %%%s%s | %s |" % (
            n(rd.get("peak_rps")), n(ng.get("peak_rps")), 100 * share, floor_note, spread_note,
            verdict(share >= 0.5, False)))
    else:
        out.append("| single read ≥ 50 % of nginx's static-file rate | – | not measured |")
    for key, title, limit in (("list_filtered", "filtered list p99 ≤ 100 ms at province scale", 100),
                              ("search_zh", "Chinese search p99 ≤ 100 ms at province scale", 100),
                              ("stats", "dashboard statistics ≤ 200 ms (p99) at province scale", 200)):
        row = run.row(top, key) if top else None
        if row:
            lg = row.get("lg") or {}
            p99 = lg.get("p99_ms")
            ok = p99 is not None and p99 <= limit and not lg.get("saturated")
            out.append("| %s | p99 %s ms at %s req/s%s | %s |" % (title, ms(p99), n(lg.get("rate")), note,
                                                               verdict(ok)))
        else:
            out.append("| %s | – | not measured |" % title)
    imp = run.one("import", scale=top) if top else None
    if imp:
        rate = import_rate(imp) or 0
        raw = raw_registry(run, top)
        raw_note = "; raw SQLite, the same rows and indexes: %s rows/s" % n(raw) if raw else ""
        out.append("| CSV import ≥ 100,000 persons/s | %s persons/s into %s persons%s%s | %s |" % (
            n(rate), n(imp.get("persons_before")), raw_note, note, verdict(rate >= 100000)))
    else:
        out.append("| CSV import ≥ 100,000 persons/s | – | not measured |")
    if top:
        # Every scenario of the scale: the rows, the transitions race and the CSV import.
        peak_rss = max([r.get("rss_mb") or 0 for kind in ("row", "race", "import")
                        for r in run.of(kind, scale=top)] +
                       [(run.one("scale_end", scale=top) or {}).get("rss_hwm_mb") or 0])
        out.append("| server RSS ≤ 200 MB at province scale | peak %s MB%s | %s |" % (
            n(peak_rss, 1), note, verdict(peak_rss <= 200)))
    return out


def references(run):
    out = []
    ng = run.row("reference", "nginx_static")
    nf = run.one("nginx_file") or {}
    sq = (run.one("sqlite") or {}).get("r") or {}
    out += ["| reference | peak req/s (wrk) | fixed rate: target (achieved) | p50 / p99 / p99.9 ms | CPU % peak / at rate | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|"]
    if ng:
        out.append("| nginx: static JSON file of %s bytes (%s) | %s | %s | %s | %s / %s | %s |" % (
            n(nf.get("bytes")), nf.get("version", "").replace("nginx version: ", ""),
            peak_cell(ng, ": not compared"), achieved(ng.get("lg")), lat(ng.get("lg")), n(ng.get("cpu_peak")),
            n(ng.get("cpu_rate")), n(ng.get("rss_mb"), 1)))
    for key, title in (("create", "create a ticket"), ("read", "read one ticket"),
                       ("list", "list a queue (TicketSQL)"), ("status", "change a status (PUT)")):
        row = run.row("reference", "rt5_" + key)
        if row:
            out.append("| RT5 REST2: %s | %s | %s | %s | %s / %s | %s (all workers) |" % (
                title, peak_cell(row, ": not compared"), achieved(row.get("lg")), lat(row.get("lg")),
                n(row.get("cpu_peak")), n(row.get("cpu_rate")), n(row.get("rss_mb"), 1)))
    for s in run.of("ref_skip"):
        out.append("| %s | not measured: %s | | | | |" % (s.get("ref"), s.get("reason")))
    if sq:
        out += ["", "Raw SQLite %s (bench/out/sqlite_ref, WAL, synchronous=FULL, one process): "
                "durable insert, one row per transaction: **%s rows/s**; with an FTS5 trigram index "
                "like pingan's: **%s rows/s**; 1,000 rows per transaction: %s rows/s; point select by "
                "primary key: %s/s on 1 thread, %s/s on %s threads." % (
                    sq.get("sqlite_version", ""), n(sq.get("durable_insert")),
                    n(sq.get("durable_insert_fts")), n(sq.get("batched_insert")), n(sq.get("select_1")),
                    n(sq.get("select_n")), sq.get("threads"))]
    rt = run.one("rt5")
    if rt:
        out += ["", "RT5 %s from Debian on SQLite, `rt-server` (Starlet) with %s workers, REST2 with a "
                "session cookie (basic auth or API tokens cost a bcrypt check per request); Starlet "
                "closes each connection, so loadgen ran with `--close` (same 64 requests in flight at "
                "most). %s tickets in the queue." % (rt.get("version"), rt.get("workers"),
                                                    n(rt.get("tickets")))]
    return out


def growth(run):
    scales = run.measured_scales()
    if len(scales) < 2:
        return []
    out = ["", "### Growth from county to province", "",
           "| scenario | " + " | ".join("%s: peak req/s, p99 ms" % s for s in scales) + " |",
           "|---|" + "---:|" * len(scales)]
    for key, title in SCENARIOS:
        cells = []
        for s in scales:
            row = run.row(s, key)
            if row:
                cells.append("%s, %s" % (n(row.get("peak_rps")), ms((row.get("lg") or {}).get("p99_ms"))))
            else:
                cells.append("–")
        out.append("| %s | %s |" % (title, " | ".join(cells)))
    cells = []
    for s in scales:
        imp = run.one("import", scale=s)
        cells.append("%s persons/s into %s" % (n(import_rate(imp)), n(imp.get("persons_before")))
                     if imp else "–")
    out.append("| 7. registry: CSV import | %s |" % " | ".join(cells))
    cells = []
    for s in scales:
        e = run.one("scale_end", scale=s) or {}
        cells.append("%s MB RSS, %s MB data" % (n(e.get("rss_hwm_mb"), 1), n(e.get("db_mb"))))
    out.append("| server memory and data | %s |" % " | ".join(cells))
    return out


def render(run):
    m = run.meta
    lines = ["## %s — %s" % (m.get("date", "?"), " ".join(run.scales()) or "no scale"), ""]
    lines.append("- Machine: %s × %s (nproc %s), %s memory, Linux %s. Load average at start %s, at end %s%s." % (
        m.get("nproc"), m.get("cpu"), m.get("nproc"), m.get("mem"), m.get("kernel"), m.get("load"),
        run.end.get("load", "?"),
        " — other work was running, so numbers are noisy" if float((m.get("load") or "0").split()[0]) > 1.0 else ""))
    if m.get("busy") or run.end.get("busy"):
        lines.append("- Other processes using ≥ 5 %% CPU at the start: %s; at the end: %s." % (
            m.get("busy") or "none", run.end.get("busy") or "none"))
    lines.append("- Software: %s; SQLite %s; %s." % (m.get("pingan"), m.get("sqlite"), m.get("wrk")))
    lines.append("- Command: `%s` (`make bench SCALE=…`). Peaks: `wrk -t2 -c%s -d%ss -s bench/wrk.lua`. "
                 "Latencies: `bench/out/loadgen -c %s -r R -d %s --warmup %s` with R = 70 %% of the peak "
                 "(transition steps: 5 s, no warm-up), measured from each request's scheduled time." % (
                     m.get("command"), m.get("conns"), m.get("peak_d"), m.get("conns"), m.get("duration"),
                     m.get("warmup")))
    for s in run.of("scale"):
        e = run.one("scale_end", scale=s["scale"]) or {}
        lines.append("- Data, %s: %s; %s divisions, %s units, %s users, %s persons; events %s before, "
                     "%s after the run; data directory %s MB." % (
                         s["scale"], s.get("source"), n(s.get("divisions")), n(s.get("units")),
                         n(s.get("users")), n(s.get("persons")), n(s.get("events_before")),
                         n(e.get("events_after")), n(e.get("db_mb"))))
    for s in run.of("skip"):
        lines.append("- %s: **not measured**: %s." % (s["scale"], s.get("reason")))
    lines += ["", "### Targets", ""] + target_rows(run)
    for s in run.measured_scales():
        lines += ["", "### %s" % s, ""] + scale_table(run, s) + [""] + transitions_summary(run, s)
        lines += signin_summary(run, s)
    lines += growth(run)
    lines += ["", "### References (same machine, same run)", ""] + references(run)
    lines.append("")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: report.py RESULTS.jsonl RESULTS.md\n")
        return 2
    run = Run(load(sys.argv[1]))
    section = render(run)
    try:
        with open(sys.argv[2], encoding="utf-8") as f:
            old = f.read()
    except FileNotFoundError:
        old = HEAD
    if MARK not in old:
        old = HEAD + "\n" + old
    head, tail = old.split(MARK, 1)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(head + MARK + "\n\n" + section + tail.lstrip("\n"))
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
