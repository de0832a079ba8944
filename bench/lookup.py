"""Repeat-victim lookup benchmark on synthetic people.

For each size (default 10k, 100k, 1M) in a fresh process: generate people (Zipf-like
names, some hyphenated surnames and previous surnames), bulk-load them into a local store,
`rebuild_index`, then run a labelled set of query variants made from real records
(misspelt, nickname, swapped, partial DOB, day/month-swapped DOB, phone formats, postcode,
previous surname, and a changed surname: forename or its variant with the exact DOB and a
new, heavily repeated surname, sometimes with a phone, postcode or address) and print
p50/p95 search latency (wall clock; this process's CPU time, which is steadier on a
shared machine; and "unq", wall clock less the time spent queued for a CPU, near enough
what the wall clock would be on an idle machine), peak memory, index build time and
recall@5 for every kind.

A heavy-repeat population is mixed in: 4% of people take a top-20 forename and one of
five common surnames, so the changed-surname queries' new full names are shared by
dozens of people (the median count is printed).

With `--splink` (the optional `bench` extra) Splink links the same queries to the same
people in one batch, with ordinary cleaning (lower case, phone digits, postcode without
spaces, a birth-year column); its top five by match weight per query give its recall,
printed beside ours with its wall time.

    .venv/bin/python bench/lookup.py [--sizes 10000,100000,1000000] [--queries 400] [--splink]
        [--cache DIR]

With `--cache DIR` the built stores are kept in DIR and reused by later runs (people are
loaded once per size and seed; the index is rebuilt when the code that files keys changed),
and the load and index times printed are those of the build.

All names are synthetic, built from the lists below.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _words(text: str) -> list[str]:
    return text.split()


FORENAMES = _words("""
william robert john james michael david richard thomas christopher daniel matthew anthony
mark paul steven andrew joshua kevin brian george edward ronald timothy jason jeffrey ryan
jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
gregory alexander patrick frank raymond jack dennis jerry tyler aaron jose adam henry
nathan douglas zachary peter kyle walter ethan jeremy harold keith christian roger noah
gerald carl terry sean austin arthur lawrence jesse dylan bryan joe jordan billy bruce
albert willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah
louis bobby philip johnny muhammad ahmed yusuf ibrahim hussein ali omar hassan tariq imran
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
margaret sandra ashley kimberley emily donna michelle dorothy carol amanda melissa deborah
stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda
pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth
maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan
evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa
kathryn sara janice jean alice madison doris abigail julia judy grace denise amber
marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte
rose alexis kayla fatima aisha mariam zainab niamh siobhan caitlin olga natalia
""")

SURNAME_HEADS = _words("""
ash bar black brad brook bur cal car chad clay cole cran dal dun east fair farn fox
gar green hal ham har hart hay hol hun kirk lang lind marsh mel mill mor new nor oak
pem pen ram red rid rob row sand shel sher stan stock sut thorn wal war wat wes whit
wick wil win wood york
""")
SURNAME_TAILS = _words("""
ford ley ton well wood worth field by combe dale hurst more shaw stone wick bridge
brook burn church croft den gate ham hill house land low man mere ridge son stead
""")
COMMON_SURNAMES = _words("""
smith jones taylor brown williams wilson johnson davies robinson wright thompson evans
walker white roberts green hall thomas clarke jackson wood harris edwards turner martin
cooper hill ward hughes moore clark king harrison lewis baker lee allen morris khan ali
patel shah begum hussain rahman ahmed singh kaur murphy kelly obrien walsh byrne
""")
STREETS = _words("""
acacia albion alder beech birch cedar chestnut church elm hawthorn hazel holly juniper
laurel linden maple meadow mill oak orchard park queens rowan station victoria willow
""")
STREET_KINDS = ["Road", "Street", "Avenue", "Lane", "Close", "Drive", "Way", "Grove"]
AREAS = _words("B BS CF CV DY EX G L LS M NE NG S SY TF WR WS WV")
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
HEAVY_SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Khan"]
HEAVY_SHARE = 0.04


def zipf_weights(n: int, s: float = 0.9) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


class People:
    """A seeded generator of synthetic people."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        invented = [h + t for h in SURNAME_HEADS for t in SURNAME_TAILS]
        rng.shuffle(invented)
        self.surnames = [s.capitalize() for s in COMMON_SURNAMES + invented]
        self.surname_cw = list(accumulate(zipf_weights(len(self.surnames))))
        self.forenames = [f.capitalize() for f in FORENAMES]
        self.forename_cw = list(accumulate(zipf_weights(len(self.forenames), 0.7)))

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.surname_cw)[0]

    def postcode(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(AREAS)}{rng.randint(1, 40)} "
            f"{rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        )

    def person(self) -> dict:
        rng = self.rng
        surname = self.surname()
        forename = rng.choices(self.forenames, cum_weights=self.forename_cw)[0]
        if rng.random() < HEAVY_SHARE:  # full names that repeat heavily
            surname, forename = rng.choice(HEAVY_SURNAMES), rng.choice(self.forenames[:20])
        elif rng.random() < 0.06:
            surname = f"{surname}-{self.surname()}"
        dob = date(1940, 1, 1) + timedelta(days=rng.randint(0, 68 * 365))
        return {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "forename": forename,
            "surname": surname,
            "dob": dob.isoformat(),
            "gender": "",
            "phone": f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
            "postcode": self.postcode(),
            "address": f"{rng.randint(1, 200)} {rng.choice(STREETS).capitalize()} "
            f"{rng.choice(STREET_KINDS)}",
            "created_at": "2026-01-01 00:00:00.000000",
        }


def load(path: Path, size: int, seed: int) -> tuple[list[dict], list[tuple[str, str]]]:
    """Write `size` people (5% with a previous surname) straight into the store's tables."""
    gen = People(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    sample: list[dict] = []
    aliases: list[tuple[str, str]] = []
    columns = "id, forename, surname, dob, gender, phone, postcode, address, created_at"
    batch: list[dict] = []
    for i in range(size):
        person = gen.person()
        batch.append(person)
        if gen.rng.random() < 0.05:
            aliases.append((person["id"], gen.surname()))
        if len(sample) < 5000 and gen.rng.random() < 5000 / size:
            sample.append(person)
        if len(batch) == 50_000 or i == size - 1:
            conn.executemany(
                f"INSERT INTO person ({columns}) VALUES "
                "(:id, :forename, :surname, :dob, :gender, :phone, :postcode, :address,"
                " :created_at)",
                batch,
            )
            batch = []
    conn.executemany(
        "INSERT INTO personalias (id, person_id, forename, surname, kind) "
        "VALUES (?, ?, '', ?, 'previous_surname')",
        [(str(uuid.uuid4()), pid, sur) for pid, sur in aliases],
    )
    conn.commit()
    conn.close()
    return sample, aliases


NICK = {"william": "Bill", "robert": "Bob", "john": "Jon", "james": "Jim", "michael": "Mike",
        "david": "Dave", "richard": "Rick", "thomas": "Tom", "christopher": "Chris",
        "daniel": "Danny", "elizabeth": "Liz", "margaret": "Peggy", "katherine": "Kate",
        "catherine": "Cathy", "samantha": "Sam", "rebecca": "Becky", "victoria": "Vicky",
        "deborah": "Debbie", "muhammad": "Mohammed", "jacqueline": "Jackie", "anthony": "Tony",
        "edward": "Ted", "patricia": "Trish", "susan": "Sue", "stephen": "Steve",
        "nicholas": "Nick", "benjamin": "Ben", "alexander": "Alex", "jennifer": "Jenny",
        "aisha": "Ayesha", "sarah": "Sara", "ahmed": "Ahmad"}  # fmt: skip


def misspell(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word[0] + word[1:].replace(word[1], word[1] * 2, 1)
    i = rng.randint(1, len(word) - 2)
    edit = rng.choice(["drop", "swap", "double"])
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def changed_surname(rng: random.Random, p: dict) -> object:
    """Forename (or a variant), a new common surname, the exact DOB; maybe phone or address."""
    from firstresponse.lookup import LookupQuery

    fore = p["forename"]
    if fore.lower() in NICK and rng.random() < 0.4:
        fore = NICK[fore.lower()]
    new = rng.choice([s for s in HEAVY_SURNAMES if s not in p["surname"]])
    extra = rng.choice(["", "", "phone", "postcode", "address"])
    fields = {
        "phone": {"phone": p["phone"]},
        "postcode": {"postcode": p["postcode"]},
        "address": {"address": p["address"]},
    }.get(extra, {})
    return LookupQuery(name=f"{fore} {new}", dob=date.fromisoformat(p["dob"]), **fields)


def variants(sample: list[dict], aliases: dict[str, str], seed: int, count: int) -> list:
    """(category, query fields, expected person id), built from real records."""
    from firstresponse.lookup import LookupQuery

    rng = random.Random(seed)
    out = []
    people = sample[:]
    rng.shuffle(people)
    for p in people:
        if len(out) >= count:
            break
        dob = date.fromisoformat(p["dob"])
        fore, sur = p["forename"], p["surname"].split("-")[-1]
        kind = rng.choice(
            ["misspelt", "nickname", "swapped", "partial_dob", "dob_swapped", "phone", "postcode"]
        )
        q = None
        if kind == "misspelt":
            q = LookupQuery(name=f"{fore} {misspell(rng, sur)}", dob=dob)
        elif kind == "nickname" and fore.lower() in NICK:
            q = LookupQuery(name=f"{NICK[fore.lower()]} {sur}", dob=dob)
        elif kind == "swapped":
            q = LookupQuery(name=f"{sur.upper()} {fore.lower()}", dob=dob)
        elif kind == "partial_dob":
            q = LookupQuery(name=f"{fore} {sur}", dob_year=dob.year, dob_month=dob.month)
        elif kind == "dob_swapped" and dob.day <= 12 and dob.day != dob.month:
            q = LookupQuery(name=f"{fore} {sur}", dob=date(dob.year, dob.day, dob.month))
        elif kind == "phone":
            digits = p["phone"].replace(" ", "")[1:]
            fmt = rng.choice(["+44 {a} {b}", "0044{a}{b}", "0{a}{b}", "(0{a}) {b}"])
            q = LookupQuery(phone=fmt.format(a=digits[:4], b=digits[4:]))
        elif kind == "postcode":
            q = LookupQuery(name=sur, postcode=p["postcode"].replace(" ", "").lower())
        if q is not None:
            out.append((kind, q, p["id"]))
    common = {f.capitalize() for f in FORENAMES[:20]}
    movers = [p for p in people if p["forename"] in common][: max(20, count // 4)]
    out += [("changed_surname", changed_surname(rng, p), p["id"]) for p in movers]
    for pid, previous in list(aliases.items())[: max(10, count // 10)]:
        person = next((p for p in sample if p["id"] == pid), None)
        if person:
            dob = date.fromisoformat(person["dob"])
            q = LookupQuery(name=f"{person['forename']} {previous}", dob=dob)
            out.append(("previous_surname", q, pid))
    return out


def _clean_phone(text: str) -> str | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-10:] if len(digits) >= 10 else None


def _clean_postcode(text: str) -> str | None:
    return text.replace(" ", "").upper() or None


def splink_recall(path: Path, labelled: list) -> dict:
    """Splink (DuckDB) linking the queries to the people in one batch: top five by match weight."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    conn = sqlite3.connect(path)
    people = pd.read_sql_query(
        "SELECT id AS unique_id, forename, surname, dob, phone, postcode FROM person", conn
    )
    conn.close()
    people["first_name"] = people["forename"].str.lower()
    people["surname"] = people["surname"].str.lower()
    people["birth_year"] = people["dob"].str[:4]
    people["phone"] = people["phone"].map(_clean_phone)
    people["postcode"] = people["postcode"].map(_clean_postcode)
    rows = []
    for i, (_, q, _) in enumerate(labelled):
        words = q.name.lower().split()
        dob = q.dob.isoformat() if q.dob else None
        year = str(q.dob.year if q.dob else q.dob_year) if (q.dob or q.dob_year) else None
        rows.append({
            "unique_id": f"q{i}", "first_name": words[0] if words else None,
            "surname": words[-1] if len(words) > 1 else (words[0] if words else None),
            "dob": dob, "birth_year": year, "phone": _clean_phone(q.phone) if q.phone else None,
            "postcode": _clean_postcode(q.postcode) if q.postcode else None,
        })  # fmt: skip
    queries = pd.DataFrame(rows)
    columns = ["unique_id", "first_name", "surname", "dob", "birth_year", "phone", "postcode"]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("phone"),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "birth_year"),
            block_on("first_name", "dob"),
            block_on("dob"),
            block_on("phone"),
            block_on("postcode"),
        ],
    )
    t0 = time.perf_counter()
    linker = Linker([people[columns], queries[columns]], settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match([block_on("phone")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = linker.inference.predict(threshold_match_weight=-15).as_pandas_dataframe()
    t_predict = time.perf_counter() - t0
    left_is_query = pred["unique_id_l"].astype(str).str.startswith("q")
    pred["query"] = pred["unique_id_l"].where(left_is_query, pred["unique_id_r"])
    pred["person"] = pred["unique_id_r"].where(left_is_query, pred["unique_id_l"])
    top = pred.sort_values("match_weight", ascending=False).groupby("query").head(5)
    found = top.groupby("query")["person"].apply(set).to_dict()
    hits: dict[str, list[int]] = {}
    for i, (kind, _, expected) in enumerate(labelled):
        hits.setdefault(kind, []).append(int(expected in found.get(f"q{i}", set())))
    every = [h for v in hits.values() for h in v]
    return {
        "splink_recall_at_5": round(sum(every) / len(every), 3),
        "splink_by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(hits.items())},
        "splink_train_s": round(t_train, 1),
        "splink_predict_s": round(t_predict, 1),
    }


def queued_ms() -> float:
    """Time this thread has spent ready to run but waiting for a CPU (Linux), in ms."""
    try:
        with open("/proc/thread-self/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e6
    except OSError:
        return 0.0


def namesakes(path: Path, labelled: list, sample: list[dict]) -> int:
    """Median number of people holding each changed-surname query's new full name."""
    forename = {p["id"]: p["forename"] for p in sample}
    conn = sqlite3.connect(path)
    counts = [
        conn.execute(
            "SELECT count(*) FROM person WHERE forename = ? AND surname = ?",
            (forename[pid], q.name.split()[-1]),
        ).fetchone()[0]
        for kind, q, pid in labelled
        if kind == "changed_surname"
    ]
    conn.close()
    return int(statistics.median(counts)) if counts else 0


INDEXED_BY = (
    "lookup/keys.py",
    "lookup/names.py",
    "lookup/normalise.py",
    "lookup/index.py",
    "lookup/variants_data.py",
    "records/lookup.py",
)


def index_fingerprint() -> str:
    """A hash of the code that decides the keys filed: a cached index is reused only if equal."""
    digest = hashlib.sha256()
    for name in INDEXED_BY:
        digest.update((REPO / "src/firstresponse" / name).read_bytes())
    return digest.hexdigest()[:16]


def built_store(where: Path, size: int, seed: int) -> tuple[Path, list[dict], dict, dict]:
    """A store of `size` people with its index at `where` (reused when it matches the code).

    Returns the path, the sample, previous surnames by person id, and the build timings.
    """
    from firstresponse.lookup import rebuild_index
    from firstresponse.store import Store

    path = where / f"people-{size}-seed{seed}.db"
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and path.exists() else {}
    if not meta:
        path.unlink(missing_ok=True)
        Store(path).close()  # create and migrate the schema
        t0 = time.perf_counter()
        sample, alias_rows = load(path, size, seed)
        sampled = {p["id"] for p in sample}
        aliases = {pid: sur for pid, sur in alias_rows if pid in sampled}
        meta = {"sample": sample, "aliases": aliases, "load_s": time.perf_counter() - t0}
    if meta.get("index") != index_fingerprint():
        store = Store(path)
        t0 = time.perf_counter()
        with store.session() as db:
            rebuild_index(db)
        store.close()
        meta |= {"index": index_fingerprint(), "index_s": time.perf_counter() - t0}
        meta_path.write_text(json.dumps(meta))
    return path, meta["sample"], meta["aliases"], meta


def run_size(
    size: int, queries: int, seed: int, with_splink: bool = False, cache: str = ""
) -> dict:
    from firstresponse.lookup import search
    from firstresponse.store import Store

    with tempfile.TemporaryDirectory(prefix="lookup-bench-") as tmp:
        where = Path(cache or tmp)
        where.mkdir(parents=True, exist_ok=True)
        path, sample, aliases, built = built_store(where, size, seed)
        labelled = variants(sample, aliases, seed, queries)
        store = Store(path)
        latencies: list[float] = []
        cpu: list[float] = []
        unqueued: list[float] = []
        hits: dict[str, list[int]] = {}
        with store.session() as db:
            for _, q, _ in labelled[:20]:  # warm the page cache
                search(db, q, 5)
            for kind, q, expected in labelled:
                w0, t0, c0 = queued_ms(), time.perf_counter(), time.process_time()
                found = search(db, q, 5)
                latencies.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                unqueued.append(latencies[-1] - (queued_ms() - w0))
                hits.setdefault(kind, []).append(int(expected in [m.person_id for m in found]))
        store.close()
        db_mb = path.stat().st_size / 1e6
        shared = namesakes(path, labelled, sample)
        peer = splink_recall(path, labelled) if with_splink else {}
    latencies.sort()
    cpu.sort()
    unqueued.sort()
    all_hits = [h for v in hits.values() for h in v]
    return {
        "size": size,
        "queries": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "max_ms": round(latencies[-1], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 2),
        "unqueued_p95_ms": round(unqueued[int(0.95 * (len(unqueued) - 1))], 2),
        "load_avg": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_s": round(built["load_s"], 1),
        "index_s": round(built["index_s"], 1),
        "db_mb": round(db_mb),
        "recall_at_5": round(sum(all_hits) / len(all_hits), 3),
        "recall_by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(hits.items())},
        "worst_kind": round(min(sum(v) / len(v) for v in hits.values()), 3),
        "namesakes_median": shared,
        **peer,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--splink", action="store_true", help="measure Splink on the same queries")
    parser.add_argument(
        "--cache", default="", help="folder keeping built stores to reuse (index rebuilt if stale)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.queries, args.seed, args.splink, args.cache)))
        return 0
    print(f"{'people':>9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p50':>8} "
          f"{'cpu p95':>8} {'unq p95':>8} {'peak MB':>8} {'load s':>7} {'index s':>8} {'db MB':>6} "
          f"{'recall@5':>9} {'loadavg':>8}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--queries", str(args.queries),
             "--seed", str(args.seed), "--cache", args.cache,
             *(["--splink"] if args.splink else [])],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['size']:>9} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['max_ms']:>7} "
              f"{r['cpu_p50_ms']:>8} {r['cpu_p95_ms']:>8} {r['unqueued_p95_ms']:>8} "
              f"{r['peak_rss_mb']:>8} {r['load_s']:>7} {r['index_s']:>8} {r['db_mb']:>6} "
              f"{r['recall_at_5']:>9} {r['load_avg']:>8}  {r['recall_by_kind']}",
              flush=True)  # fmt: skip
        print(f"{'':>9} worst kind recall@5 {r['worst_kind']} (goal >= 0.98); "
              f"changed-surname queries: median {r['namesakes_median']} people share the new "
              "full name", flush=True)  # fmt: skip
        if "splink_recall_at_5" in r:
            print(f"{'':>9} Splink (batch, same queries): recall@5 {r['splink_recall_at_5']}, "
                  f"training {r['splink_train_s']} s, scoring {r['splink_predict_s']} s for "
                  f"{r['queries']} queries  {r['splink_by_kind']}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
