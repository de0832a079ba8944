"""How fast `firstresponse demo` shows its first screen on an existing demo store, beside a
bare Textual app and the plain terminal (`firstresponse`), in the same run.

Each start is a fresh process, timed from launching it to the first frame painted on its
first screen (the login screen; the bare app's only screen), the runs taking turns. The
demo store (and with `--with-hub` its hub) is seeded once before timing (not timed): the
goal is the start a trainer sees every time after the first. Printed as p50/p95 with the
demo's ratio to the bare app.

    .venv/bin/python bench/demo_start.py [--repeat 10] [--work var/bench-demo] [--with-hub]

`--with-hub` also times `firstresponse demo` with its local hub (the default demo), whose
hub process starts beside the terminal. Goal: `demo --offline` and `demo` start within
1.5x the bare app. Exits non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from tui import BARE_APP, FIRST_FRAME, pct  # noqa: E402

START_RATIO = 1.5

#: `firstresponse ARGS` as the shell runs it, its app painted headless at 80x24.
CLI_APP = """
import sys
sys.path.insert(0, {src!r})
from textual.app import App
real_run = App.run
def headless(self, *args, **kwargs):
    global app
    app = self
    return real_run(self, headless=True, size=(80, 24))
App.run = headless
from firstresponse.cli import main
main({argv!r})
"""


def first_frame_code(argv: list[str]) -> str:
    """A process that runs `firstresponse argv` and prints when the login screen shows."""
    make = CLI_APP.format(src=str(REPO / "src"), argv=argv)
    # The CLI builds and runs the app itself: FIRST_FRAME's own `app.run` is not reached.
    code = FIRST_FRAME.format(make="", screen="LoginScreen")
    return code.replace("app.run(headless=True, size=(80, 24))", make)


def timed(code: str, env: dict[str, str]) -> float:
    start = time.time()
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return (float(shown.stdout.split()[0]) - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--work", default="", help="folder for the demo store (default: temp)")
    parser.add_argument("--with-hub", action="store_true", help="time `demo` with its hub too")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-demo-"))
    env = {
        **os.environ,
        "FIRSTRESPONSE_DATA_DIR": str(work / "data"),
        "FIRSTRESPONSE_CONFIG_DIR": str(work / "config"),
    }
    subprocess.run(
        [sys.executable, "-m", "firstresponse", "demo", "--seed-only"],
        env={**env, "PYTHONPATH": str(REPO / "src")},
        check=True,
        capture_output=True,
    )
    runs = {
        "bare Textual app": FIRST_FRAME.format(make=BARE_APP, screen="Screen"),
        "firstresponse": first_frame_code([]),
        "demo --offline": first_frame_code(["demo", "--offline"]),
    }
    if args.with_hub:
        runs["demo (with its hub)"] = first_frame_code(["demo"])
        timed(runs["demo (with its hub)"], env)  # not timed: seeds the demo hub, once
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for n in range(args.repeat):
        for name in names[n % len(names) :] + names[: n % len(names)]:  # taking turns
            times[name].append(timed(runs[name], env))
    bare = statistics.median(times["bare Textual app"])
    print(f"start to the first frame, headless 80x24, existing demo store; ms, {args.repeat} runs")
    print(f"{'start':<22}{'p50':>8}{'p95':>8}{'ratio':>8}")
    missed = []
    for name, values in times.items():
        ratio = statistics.median(values) / bare
        goal = ""
        if name.startswith("demo"):
            ok = ratio <= START_RATIO
            goal = f"  <= {START_RATIO}x {'ok' if ok else 'MISSED'}"
            if not ok:
                missed.append(name)
        print(f"{name:<22}{pct(values, 0.5):>8.0f}{pct(values, 0.95):>8.0f}{ratio:>7.2f}x{goal}")
    if missed:
        print("goals missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
