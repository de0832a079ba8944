"""How fast the non-TUI commands start: each run in a fresh process, p50/p95 wall time,
beside a bare `python -c pass` measured in the same run (the interpreter's own floor).

    .venv/bin/python bench/startup.py [--repeat 15]

Goal: `firstresponse --help` p95 <= 0.35 s. Exits non-zero when it is missed.
The commands run against a throwaway data folder (no hub set), so `sync --once`
reports it is offline rather than talking to anything.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HELP_GOAL_S = 0.35
COMMANDS = [
    ["--help"],
    ["config"],
    ["lookup", "--help"],
    ["outbox"],
    ["sync", "--once"],
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time, and the CPU time the process used (steadier on a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "FIRSTRESPONSE_DATA_DIR": str(data),
        "FIRSTRESPONSE_CONFIG_DIR": str(data / "config"),
        "FIRSTRESPONSE_HUB_URL": "",
    }
    entry = [sys.executable, "-m", "firstresponse"]
    runs: dict[str, list[tuple[float, float]]] = {
        "python -c pass": [],
        **{" ".join(c): [] for c in COMMANDS},
    }
    for _ in range(args.repeat):  # interleaved, so load on the machine hits all alike
        runs["python -c pass"].append(timed([sys.executable, "-c", "pass"], env))
        for command in COMMANDS:
            runs[" ".join(command)].append(timed(entry + command, env))
    print(f"process start, {args.repeat} runs each; seconds (p50 / p95), wall and CPU")
    print(f"{'command':<24}{'wall p50':>9}{'wall p95':>9}{'cpu p50':>9}{'cpu p95':>9}")
    for name, values in runs.items():
        wall, cpu = [v[0] for v in values], [v[1] for v in values]
        print(
            f"{name:<24}{pct(wall, 0.5):>9.3f}{pct(wall, 0.95):>9.3f}"
            f"{pct(cpu, 0.5):>9.3f}{pct(cpu, 0.95):>9.3f}"
        )
    help_p95 = pct([v[0] for v in runs["--help"]], 0.95)
    ok = help_p95 <= HELP_GOAL_S
    print(f"--help p95 {help_p95:.3f} s (goal <= {HELP_GOAL_S} s): {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
