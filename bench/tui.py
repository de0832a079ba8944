"""How fast the terminal UI answers, headless at 80x24 on the demo store.

Each action is timed from the key press until the app is idle again (the screen updated),
and printed as p50/p95 beside the same kind of action on a bare Textual screen holding the
same number of widgets, measured in the same run:

- open a checklist (first response, risk, THRIVE, dip-sample review)   goal p95 <= 250 ms
- an answer, to the updated counters, visibility and reasons             goal p95 <= 50 ms
- one keystroke in a text box, to its echo                               goal p95 <= 16 ms
- sign-in (PIN Enter) to the home screen                                 goal p95 <= 300 ms
- process start to the login screen                                     goal <= 1.5x bare

    .venv/bin/python bench/tui.py [--repeat 20] [--work var/bench-tui]

Exits non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import Input, Static  # noqa: E402

SIZE = (80, 24)
GOALS_MS = {"open": 250.0, "answer": 50.0, "keystroke": 16.0, "sign-in": 300.0}
START_RATIO = 1.5


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def idle_until(
    pilot: Pilot[Any], ready: Callable[[], bool] = lambda: True, limit: float = 30.0
) -> None:
    """Let the app run until `ready()` holds and no message is queued anywhere on the
    screen, then paint the screen (as Textual's refresh timer would).

    Polls the queues with `sleep(0)` rather than `Pilot.pause()`, whose idle detection
    sleeps and posts messages to every widget, and would be timed along with the app.
    """
    start = time.perf_counter()
    while not ready() or busy(pilot.app):
        if time.perf_counter() - start > limit:
            raise TimeoutError("the screen never became ready")
        await asyncio.sleep(0)
    pilot.app.screen._on_timer_update()


def busy(app: App[Any]) -> bool:
    """Whether the app, its screen or any widget on it still has messages queued."""
    if not app.screen_stack:
        return True
    return any(
        not pump._message_queue.empty()
        or pump._pending_message is not None
        or bool(pump._next_callbacks)
        for pump in (app, *app.screen.walk_children(with_self=True))
    )


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Send keys as the terminal driver would, each handled before the next is sent."""
    for key in keys:
        char = key if len(key) == 1 else {"space": " "}.get(key)
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)  # straight into the app's queue, as the driver does
        await idle_until(pilot)


async def timed(action: Callable[[], Awaitable[None]]) -> float:
    start = time.perf_counter()
    await action()
    return (time.perf_counter() - start) * 1000


# -- the bare baseline -----------------------------------------------------------------
class BareScreen(Screen[None]):
    """`count` plain widgets, a counter and one text box: nothing else."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        yield Static("0", id="counter")
        yield Input(id="box")
        for n in range(max(0, self.count - 2)):
            yield Static(f"widget {n}")

    def key_space(self) -> None:
        counter = self.query_one("#counter", Static)
        counter.update(str(int(str(counter.render())) + 1))


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare")


async def bare_figures(widgets: dict[str, int], repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {k: [] for k in ("open", "answer", "keystroke", "sign-in")}
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        for kind, count in (("open", widgets["open"]), ("sign-in", widgets["sign-in"])):
            for _ in range(repeat):

                async def push(count: int = count) -> None:
                    app.push_screen(BareScreen(count))
                    await idle_until(pilot, lambda: isinstance(app.screen, BareScreen))

                out[kind].append(await timed(push))
                app.pop_screen()
                await idle_until(pilot)
        app.push_screen(BareScreen(widgets["open"]))
        await idle_until(pilot, lambda: isinstance(app.screen, BareScreen))
        app.screen.set_focus(None)
        for _ in range(repeat):

            async def answer() -> None:
                await press(pilot, "space")
                await idle_until(pilot)

            out["answer"].append(await timed(answer))
        app.screen.query_one("#box", Input).focus()
        for n in range(repeat):

            async def key(ch: str = "abcdefghij"[n % 10]) -> None:
                await press(pilot, ch)

            out["keystroke"].append(await timed(key))
    return out


# -- the real app ----------------------------------------------------------------------
def demo_store(work: Path) -> tuple[Any, Any]:
    from firstresponse.config import Settings
    from firstresponse.demo.seed import prepare_demo_store

    settings = Settings(
        data_dir=work,
        config_dir=work / "config",
        log_dir=work / "log",
        checklists_dir=REPO / "checklists",
        idle_lock_seconds=0,
    )
    pristine = work / "pristine"
    if not (pristine / "demo.db").exists():
        pristine.mkdir(parents=True, exist_ok=True)
        settings.data_dir = pristine
        prepare_demo_store(settings).close()
    run = work / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    shutil.copy(pristine / "demo.db", run / "demo.db")
    settings.data_dir = run
    return settings, prepare_demo_store(settings)


async def app_figures(work: Path, repeat: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    from firstresponse.tui.app import FirstResponseApp
    from firstresponse.tui.screens.call_handler.thrive import ThriveScreen
    from firstresponse.tui.screens.lock import sign_out
    from firstresponse.tui.screens.responder.checklist import ChecklistScreen
    from firstresponse.tui.screens.responder.home import ResponderHome
    from firstresponse.tui.screens.responder.incident import IncidentScreen
    from firstresponse.tui.screens.supervisor.review import ReviewScreen
    from firstresponse.tui.widgets.checklist_form import ChecklistForm
    from firstresponse.tui.widgets.choice import ChoiceField

    settings, store = demo_store(work)
    out: dict[str, list[float]] = {}
    widgets: dict[str, int] = {}
    app = FirstResponseApp(settings, store, demo=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await idle_until(pilot)
            app.context.preload()

            async def sign_in(collar: str, home: type[Screen[Any]]) -> float:
                await press(pilot, *collar, "enter", *"1234")

                async def enter() -> None:
                    await press(pilot, "enter")
                    await idle_until(pilot, lambda: isinstance(app.screen, home))

                return await timed(enter)

            # sign-in, then sign out, `repeat` times
            out["sign-in"] = []
            for _ in range(repeat):
                out["sign-in"].append(await sign_in("PC2001", ResponderHome))
                widgets["sign-in"] = len(list(app.screen.query("*")))
                sign_out(app)
                await idle_until(pilot)
            await sign_in("PC2001", ResponderHome)
            await press(pilot, "enter")
            await idle_until(pilot, lambda: isinstance(app.screen, IncidentScreen))

            def form_ready() -> bool:
                return isinstance(
                    app.screen, ChecklistScreen | ThriveScreen | ReviewScreen
                ) and bool(app.screen.query(ChecklistForm))

            out["open"], opened = [], {}
            for key, name in (("c", "first response"), ("r", "risk")):
                times = []
                for _ in range(repeat):

                    async def open_it(key: str = key) -> None:
                        await press(pilot, key)
                        await idle_until(pilot, form_ready)

                    times.append(await timed(open_it))
                    widgets["open"] = max(widgets.get("open", 0), len(list(app.screen.query("*"))))
                    await press(pilot, "escape")
                    await idle_until(pilot, lambda: isinstance(app.screen, IncidentScreen))
                opened[name] = times
                out["open"] += times

            # answers: toggle a question that shows and hides follow-ups
            await press(pilot, "c")
            await idle_until(pilot, form_ready)
            form = app.screen.query_one(ChecklistForm)
            choice = form.query_one("#c-grounds_for_arrest", ChoiceField)
            choice.focus()
            await idle_until(pilot)
            out["answer"] = []
            for n in range(repeat):
                summary = str(form.summary.render())

                async def answer(step: str = "right" if n % 2 == 0 else "left") -> None:
                    await press(pilot, step, "space")
                    await idle_until(pilot)

                elapsed = await timed(answer)
                if str(form.summary.render()) == summary and n > 1:
                    raise AssertionError("the counters did not change")
                out["answer"].append(elapsed)

            # keystrokes in a text box
            box = next(w for w in form.query(Input) if not w.has_class("cl-reason"))
            box.focus()
            await idle_until(pilot)
            out["keystroke"] = []
            for n in range(repeat * 2):
                ch = "abcdefghij"[n % 10]

                async def key(ch: str = ch) -> None:
                    await press(pilot, ch)

                out["keystroke"].append(await timed(key))
                if not box.value.endswith(ch):
                    raise AssertionError(f"typed text not echoed: {box.value!r}")
            await press(pilot, "escape")
            await idle_until(pilot)
            sign_out(app)
            await idle_until(pilot)

            # THRIVE for a new call (F5 from the call's first details)
            await press(pilot, *"CH1001", "enter", *"1234", "enter")
            await idle_until(pilot, lambda: type(app.screen).__name__ == "CallHandlerHome")
            times = []
            for _ in range(max(3, repeat // 2)):
                await press(pilot, "n", *"Bench", "space", *"Caller")
                await idle_until(pilot, lambda: type(app.screen).__name__ == "NewCallScreen")

                async def thrive() -> None:
                    await press(pilot, "f5")
                    await idle_until(pilot, form_ready)

                times.append(await timed(thrive))
                await press(pilot, "escape")
                await idle_until(pilot, lambda: type(app.screen).__name__ == "CallHandlerHome")
            opened["THRIVE"] = times
            out["open"] += times
            sign_out(app)
            await idle_until(pilot)

            # the dip-sample review form (a sampled case, Enter from the queue)
            await press(pilot, *"SG3001", "enter", *"1234", "enter")
            await idle_until(pilot, lambda: type(app.screen).__name__ == "SupervisorHome")
            times = []
            for _ in range(max(3, repeat // 2)):

                async def review() -> None:
                    await press(pilot, "enter")
                    await idle_until(pilot, form_ready)

                times.append(await timed(review))
                await press(pilot, "escape")
                await idle_until(pilot, lambda: type(app.screen).__name__ == "SupervisorHome")
            opened["dip-sample review"] = times
            out["open"] += times
    finally:
        store.close()
    out.update({f"  open {k}": v for k, v in opened.items()})
    return out, widgets


# -- process start ---------------------------------------------------------------------
REAL_START = """
import sys
sys.path.insert(0, {src!r})
from firstresponse.config import load_settings
from firstresponse.commands.terminal import open_store
from firstresponse.tui.app import FirstResponseApp
settings = load_settings()
settings.data_dir = __import__("pathlib").Path({data!r})
store = open_store(settings)
app = FirstResponseApp(settings, store)
async def pilot(p):
    while type(app.screen).__name__ != "LoginScreen":
        await p.pause()
    await p.pause()
    app.exit()
app.run(headless=True, size=(80, 24), auto_pilot=pilot)
"""
BARE_START = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("bare")
async def pilot(p):
    await p.pause()
    p.app.exit()
Bare().run(headless=True, size=(80, 24), auto_pilot=pilot)
"""


def start_figures(work: Path, repeat: int) -> tuple[list[float], list[float]]:
    data = work / "start"
    data.mkdir(parents=True, exist_ok=True)
    real = REAL_START.format(src=str(REPO / "src"), data=str(data))
    times: dict[str, list[float]] = {"real": [], "bare": []}
    for n in range(repeat):
        for name, code in (("real", real), ("bare", BARE_START))[:: 1 if n % 2 else -1]:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times[name].append((time.perf_counter() - start) * 1000)
    return times["real"], times["bare"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--work", default="", help="folder for the demo stores (default: temp)")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-tui-"))
    work.mkdir(parents=True, exist_ok=True)

    real, widgets = asyncio.run(app_figures(work, args.repeat))
    bare = asyncio.run(bare_figures(widgets, args.repeat))
    start_real, start_bare = start_figures(work, max(5, args.repeat // 2))

    print(f"firstresponse TUI, headless {SIZE[0]}x{SIZE[1]}, demo store; ms (p50 / p95)")
    print(
        f"bare: a Textual screen with {widgets['open']} widgets (checklist) "
        f"or {widgets['sign-in']} (home)"
    )
    print(f"{'action':<26}{'app p50':>9}{'app p95':>9}{'bare p50':>10}{'bare p95':>10}  goal")
    missed = []
    for name, values in real.items():
        base = bare.get(name, [])
        goal = GOALS_MS.get(name) if not name.startswith("  ") else GOALS_MS["open"]
        p95 = pct(values, 0.95)
        verdict = ""
        if goal is not None:
            ok = p95 <= goal
            verdict = f"p95 <= {goal:.0f} {'ok' if ok else 'MISSED'}"
            if not ok:
                missed.append(name.strip())
        base_text = f"{pct(base, 0.5):>10.1f}{pct(base, 0.95):>10.1f}" if base else f"{'':>20}"
        print(f"{name:<26}{pct(values, 0.5):>9.1f}{p95:>9.1f}{base_text}  {verdict}")
    ratio = statistics.median(start_real) / statistics.median(start_bare)
    ok = ratio <= START_RATIO
    if not ok:
        missed.append("process start")
    print(
        f"{'process start to login':<26}{pct(start_real, 0.5):>9.1f}{pct(start_real, 0.95):>9.1f}"
        f"{pct(start_bare, 0.5):>10.1f}{pct(start_bare, 0.95):>10.1f}  "
        f"median {ratio:.2f}x bare (<= {START_RATIO}x {'ok' if ok else 'MISSED'})"
    )
    if missed:
        print("goals missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
