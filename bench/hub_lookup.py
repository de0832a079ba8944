"""The hub's person index at force scale, on PostgreSQL: lookup and push at each size.

For each size (default 100k, 1M; 3M with `--sizes`): a fresh hub schema, the synthetic
people of bench/lookup.py (same generator and query variants: misspelt, nickname,
swapped, partial and day/month-swapped DOB, phone, postcode, changed and previous surname)
copied into its person table, the lookup index rebuilt, and then, against a real hub
process:
- lookup p50/p95 through `GET /v1/lookup/search` as a signed-in call handler (audited, as
  in service; partial-DOB queries, which the route cannot ask, are left out) and through
  `firstresponse.lookup.search` in this process on the same database (the index alone);
- push p50/p95/p99 of one responder pushing batches of 200 new records (people among them,
  filed into the index as they land), beside the same at the smallest size.

Goals (issue 28): lookup p95 < 50 ms; push p99 at each size <= 1.5x the smallest size's.

    .venv/bin/python bench/hub_lookup.py [--db postgresql+psycopg://...] [--sizes 100000,1000000]
        [--queries 300] [--batches 25] [--keep]

`--keep` leaves each size's schema (bench_people_<size>_s<seed>) for the next run, which
reuses it when its index is current. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import httpx
import psycopg
from hub_setup import (
    JSON,
    batches,
    envelopes_by_author,
    hub_server,
    load,
    setup_hub,
    sign_in,
    spread,
)
from lookup import People, index_fingerprint, variants

from firstresponse.hub.db import hub_engine, transaction
from firstresponse.lookup import LookupQuery, rebuild_index, search
from firstresponse.lookup.index import settle_after_bulk
from firstresponse.store import Store
from firstresponse.sync.protocol import PushRequest

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COLUMNS = ("id", "forename", "surname", "dob", "gender", "phone", "postcode", "address")
SAMPLE = 5000


def plain(url: str) -> str:
    return url.split("?")[0].replace("postgresql+psycopg", "postgresql")


def schema_target(db: str, size: int, seed: int) -> tuple[str, str]:
    schema = f"bench_people_{size}_s{seed}"
    return schema, f"{db.split('?')[0]}?options=-csearch_path%3D{schema}"


def copy_people(db: str, schema: str, size: int, seed: int) -> dict:
    """`size` people (5% with a previous surname) by COPY; returns a sample and aliases."""
    gen = People(seed)
    sample: list[dict] = []
    aliases: dict[str, str] = {}
    with psycopg.connect(plain(db)) as conn:
        conn.execute(f"SET search_path TO {schema}")
        with conn.cursor().copy(
            f"COPY person ({', '.join(COLUMNS)}, created_at) FROM STDIN"
        ) as copy:
            for _ in range(size):
                person = gen.person()
                copy.write_row([*(person[c] for c in COLUMNS), "2026-01-01 00:00:00+00"])
                if gen.rng.random() < 0.05:
                    aliases[person["id"]] = gen.surname()
                if len(sample) < SAMPLE and gen.rng.random() < SAMPLE / size:
                    sample.append(person)
        with conn.cursor().copy(
            "COPY personalias (id, person_id, forename, surname, kind) FROM STDIN"
        ) as copy:
            for n, (pid, previous) in enumerate(aliases.items()):
                copy.write_row([f"alias-{n}", pid, "", previous, "previous_surname"])
    sampled = {p["id"] for p in sample}
    return {"sample": sample, "aliases": {k: v for k, v in aliases.items() if k in sampled}}


def built(db: str, size: int, seed: int) -> tuple[str, dict]:
    """The schema of `size` people with its index: reused when kept and current."""
    schema, target = schema_target(db, size, seed)
    with psycopg.connect(plain(db), autocommit=True) as conn:
        kept = conn.execute("SELECT to_regclass(%s)", (f"{schema}.bench_meta",)).fetchone()
        found = (
            kept and kept[0] and conn.execute(f"SELECT meta FROM {schema}.bench_meta").fetchone()
        )
        meta = json.loads(found[0]) if found else {}
        if meta.get("index") != index_fingerprint():
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.execute(f"CREATE SCHEMA {schema}")
            meta = {}
    if meta:
        return target, meta
    hub_engine(target).dispose()  # the hub's tables, migrated
    start = time.perf_counter()
    meta = copy_people(db, schema, size, seed)
    meta["load_s"] = time.perf_counter() - start
    engine = hub_engine(target, migrate=False)
    start = time.perf_counter()
    with transaction(engine) as session:
        rebuild_index(session)
    settle_after_bulk(engine)  # as an import onto the hub leaves it (hub.history_import)
    engine.dispose()
    meta |= {"index_s": time.perf_counter() - start, "index": index_fingerprint()}
    with psycopg.connect(plain(db), autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {schema}.bench_meta (meta text NOT NULL)")
        conn.execute(f"INSERT INTO {schema}.bench_meta VALUES (%s)", (json.dumps(meta),))
    return target, meta


def route_fields(query: LookupQuery) -> dict[str, str] | None:
    """The search route's fields for `query`; None when the route cannot ask it."""
    if query.dob is None and (query.dob_year or query.dob_month):
        return None
    fields = {
        "name": query.name,
        "dob": query.dob.isoformat() if query.dob else "",
        "phone": query.phone,
        "postcode": query.postcode,
        "address": query.address,
    }
    return {k: v for k, v in fields.items() if v} | {"limit": "5"}


def measure(target: str, meta: dict, queries: int, pushes: int, seed: int, work: Path) -> dict:
    labelled = variants(meta["sample"], meta["aliases"], seed, queries)
    engine = hub_engine(target, migrate=False)
    direct: list[float] = []
    hits = 0
    with transaction(engine, read_only=True) as session:
        for _kind, query, _expected in labelled[:20]:
            search(session, query, 5)  # warm the cache
        for _kind, query, expected in labelled:
            start = time.perf_counter()
            found = search(session, query, 5)
            direct.append(time.perf_counter() - start)
            hits += expected in [m.person_id for m in found]
    engine.dispose()
    collars = {"CH5000": "call_handler", "PC5000": "responder"}
    suffix = time.time_ns()
    tokens = setup_hub(
        target,
        [f"{c}{suffix % 1000:03d}" for c in collars],
        {f"{c}{suffix % 1000:03d}": role for c, role in collars.items()},
    )
    handler, responder = list(tokens)
    store = Store(work / f"push-{suffix}.db")
    bodies = [
        PushRequest(envelopes=b).model_dump_json()
        for b in batches(envelopes_by_author(store, {responder: 200 * pushes})[responder])
    ]
    store.close()
    server = hub_server(target)
    try:
        over_http = []
        headers = sign_in(server.url, tokens[handler], handler)
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
            asked = [f for _, q, _ in labelled if (f := route_fields(q)) is not None]
            for fields in asked[:20]:
                http.get("/v1/lookup/search", params=fields).raise_for_status()
            for fields in asked:
                start = time.perf_counter()
                http.get("/v1/lookup/search", params=fields).raise_for_status()
                over_http.append(time.perf_counter() - start)
        pushed = []
        headers = {**JSON, **sign_in(server.url, tokens[responder], responder)}
        with httpx.Client(base_url=server.url, headers=headers, timeout=120) as http:
            for body in bodies:
                start = time.perf_counter()
                answer = http.post("/v1/push", content=body)
                answer.raise_for_status()
                pushed.append(time.perf_counter() - start)
    finally:
        server.stop()
    return {
        "http": spread(over_http),
        "direct": spread(direct),
        "recall": hits / len(labelled),
        "push": spread(pushed),
        "queries": len(labelled),
        "pushes": len(pushed),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL URL")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--batches", type=int, default=50, help="pushes of 200 records")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep each size's schema")
    args = parser.parse_args()
    import tempfile

    first_push = None
    ok = True
    print(f"hub person index on PostgreSQL; load {load()} (1, 5, 15 min)")
    with tempfile.TemporaryDirectory(prefix="fr-hub-lookup-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            target, meta = built(args.db, size, args.seed)
            before = load()
            m = measure(target, meta, args.queries, args.batches, args.seed, Path(tmp))
            first_push = first_push or m["push"]["p99"]
            lookup_ok = m["http"]["p95"] < 50
            push_ok = m["push"]["p99"] <= 1.5 * first_push
            ok = ok and lookup_ok and push_ok
            print(
                f"[{size:,} people] load {meta['load_s']:.0f} s, index built in "
                f"{meta['index_s']:.0f} s; measured at load {before} -> {load()}:"
            )
            print(
                f"  lookup via hub  p50 {m['http']['p50']:.1f} ms  p95 {m['http']['p95']:.1f} ms"
                f"  ({'meets' if lookup_ok else 'MISSES'} the goal p95 < 50 ms)"
            )
            print(
                f"  index alone     p50 {m['direct']['p50']:.1f} ms  p95 "
                f"{m['direct']['p95']:.1f} ms  recall@5 {m['recall']:.3f} "
                f"({m['queries']} queries)"
            )
            print(
                f"  push of 200     p50 {m['push']['p50']:.0f} ms  p95 {m['push']['p95']:.0f} ms"
                f"  p99 {m['push']['p99']:.0f} ms  ({m['push']['p99'] / first_push:.2f}x the "
                f"smallest size's: {'meets' if push_ok else 'MISSES'} the goal <= 1.5x)"
            )
            if not args.keep:
                with psycopg.connect(plain(args.db), autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {target.rsplit('%3D', 1)[1]} CASCADE")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
