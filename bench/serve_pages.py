#!/usr/bin/env python
"""Benchmark: the registered charter page served by gunicorn under the production settings, against a
static file of the same bytes served by the same gunicorn (WhiteNoise) in the same run.

    .venv/bin/python bench/serve_pages.py                    # SQLite scratch file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/welfare_serve .venv/bin/python bench/serve_pages.py
                                                             # PostgreSQL: database `welfare_serve_servebench`
                                                             # on that server, created and dropped
    .venv/bin/python bench/serve_pages.py --rounds 5 --seconds 5

What `make serve` runs (migrate, collectstatic, gunicorn -c cms/gunicorn.conf.py), with 2 sync workers,
on a scratch database holding the tree of Samut Prakan (`load_network_tree --province 11`) and the demo
(`load_demo --force`), whose Samut Prakan charter ends registered. The public page cache (public/cache.py)
lives in Redis (database 5 of the broker's server, or of 127.0.0.1:6379), under a key prefix of this run.

Three variants, measured in alternating rounds so that a busy machine slows each alike:
  static    the charter page's HTML written into STATIC_ROOT before gunicorn starts, served by WhiteNoise:
            the limit, what serving those bytes costs without rendering anything;
  uncached  the charter page rendered on every request (a query parameter the page cache does not
            allow-list makes it pass the request through);
  cached    the charter page from the public page cache.
Load: `wrk` (Debian package wrk) with 2 connections, or a small Python loop if wrk is missing.
Printed per variant: requests per second and median latency (median over the rounds) and their ratio to
the static file, worker CPU ms per request (utime + stime of both workers from /proc, over all rounds)
and database queries per request (counted once, in a separate process, with Django's test client).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.cms.server import ProductionServer, redis_cache_url, scratch_database  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STATIC_COPY = "bench/charter.html"
UNCACHED_PARAMETER = "bench=uncached"

# Run inside `manage.py shell` under the production settings: find the registered charter of Samut
# Prakan, write its HTML into STATIC_ROOT, count the queries of an uncached and of a cached request.
PROBE = r"""
import json
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pages.models import CharterPage
from registry.models import RegistryEntry

entry = RegistryEntry.objects.get(network__province_code="11")
url = CharterPage.objects.get(pk=entry.charter_id).get_url()
client = Client(HTTP_HOST="127.0.0.1")

def queries(path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(context.captured_queries), response

client.get(url + "?" + UNCACHED)  # per-process warm-up (content types, site root paths)
uncached, response = queries(url + "?" + UNCACHED)
target = settings.STATIC_ROOT / STATIC_COPY
target.parent.mkdir(parents=True, exist_ok=True)
target.write_bytes(response.content)
client.get(url)  # stores it when the page cache is there
cached, response = queries(url)
print(json.dumps({
    "url": url, "bytes": len(response.content), "uncached_queries": uncached, "cached_queries": cached,
    "page_cache": response.get("X-Public-Cache", ""),
}))
"""


def worker_cpu_ticks(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total


def parse_duration_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise SystemExit(f"wrk printed a latency this script cannot read: {text!r}")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def run_wrk(url, seconds, connections):
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    if "Non-2xx" in output or "timeout" in output:
        raise SystemExit(f"wrk saw errors on {url}:\n{output}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # The latency distribution's line "     50%  784.00us", not a "+/- Stdev" column ending in 50%.
    p50 = parse_duration_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    return requests, rps, p50


def run_python_load(url, seconds, connections):
    """The fallback without wrk: `connections` threads each requesting in a loop, one connection each."""
    host_port, path = url.removeprefix("http://").split("/", 1)
    host, port = host_port.split(":")
    latencies, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def loop():
        mine = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", "/" + path)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise SystemExit(f"{url}: {response.status}")
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), len(latencies) / (time.monotonic() - started), statistics.median(latencies)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--seconds", type=int, default=5, help="seconds of load per variant and round")
    parser.add_argument("--connections", type=int, default=2, help="concurrent connections (default 2)")
    args = parser.parse_args()

    load = run_wrk if shutil.which("wrk") else run_python_load
    workdir = Path(tempfile.mkdtemp(prefix="serve_bench_"))
    database_url, drop_database = scratch_database(workdir, "servebench")
    server = ProductionServer(workdir, database_url, redis_cache_url(), workers=2,
                              env={"GUNICORN_MAX_REQUESTS": "0"})  # the same two workers throughout
    try:
        print(f"Database: {database_url}")
        started = time.monotonic()
        server.prepare()
        server.manage("load_network_tree", "--province", "11")
        server.manage("load_demo", "--force")
        if database_url.startswith("postgres"):
            server.manage("shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
        probe = PROBE.replace("UNCACHED", repr(UNCACHED_PARAMETER)).replace("STATIC_COPY", repr(STATIC_COPY))
        facts = json.loads(server.manage("shell", "-c", probe).strip().splitlines()[-1])
        print(f"Prepared in {time.monotonic() - started:.0f} s: charter {facts['url']}, {facts['bytes']:,} bytes")

        server.start()
        variants = {
            "static": f"{server.base_url}/static/{STATIC_COPY}",
            "uncached": f"{server.base_url}{facts['url']}?{UNCACHED_PARAMETER}",
        }
        if facts["page_cache"]:
            variants["cached"] = f"{server.base_url}{facts['url']}"
        else:
            print("No public page cache in these settings (no X-Public-Cache header): cached not measured.")
        queries = {"static": 0, "uncached": facts["uncached_queries"], "cached": facts["cached_queries"]}
        for url in variants.values():  # warm: each worker's connection, the cache entry of this host
            for _ in range(4):
                with urllib.request.urlopen(url, timeout=60) as response:
                    response.read()
        pids = server.worker_pids()
        rps = {name: [] for name in variants}
        p50 = {name: [] for name in variants}
        requests = dict.fromkeys(variants, 0)
        cpu_ticks = dict.fromkeys(variants, 0)
        names = list(variants)
        for round_number in range(args.rounds):
            for name in names[round_number % len(names):] + names[:round_number % len(names)]:
                before = worker_cpu_ticks(pids)
                done, per_second, median = load(variants[name], args.seconds, args.connections)
                cpu_ticks[name] += worker_cpu_ticks(pids) - before
                requests[name] += done
                rps[name].append(per_second)
                p50[name].append(median)
        if server.worker_pids() != pids:
            raise SystemExit("A worker was replaced during the run: its CPU time is lost; run again.")

        tool = "wrk" if load is run_wrk else "Python loop"
        print(f"\n{args.rounds} rounds × {args.seconds} s per variant, {args.connections} connections ({tool}), "
              f"2 sync workers, {os.cpu_count()} CPUs")
        base_rps, base_p50 = statistics.median(rps["static"]), statistics.median(p50["static"])
        print(f"{'variant':10} {'req/s':>8} {'÷static':>8} {'p50 ms':>8} {'×static':>8} {'CPU ms/req':>11} {'queries':>8}")
        for name in variants:
            median_rps, median_p50 = statistics.median(rps[name]), statistics.median(p50[name])
            cpu_ms = cpu_ticks[name] * 1000 / CLOCK_TICKS / max(requests[name], 1)
            print(f"{name:10} {median_rps:8.1f} {median_rps / base_rps:8.3f} {median_p50:8.2f} "
                  f"{median_p50 / base_p50:8.2f} {cpu_ms:11.2f} {queries[name]:8d}")
    finally:
        server.stop()
        drop_database()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
