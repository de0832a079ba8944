"""How fast the terminal UI answers, headless at 80x24 on the demo store.

Each action is timed from the key press until the app is idle again (the screen updated),
and printed as p50/p95 beside the same kind of action on a bare Textual screen holding the
same number of widgets, measured in the same run:

- open a checklist (first response, risk, THRIVE, dip-sample review)   goal p95 <= 250 ms
- an answer (Space on an option), to the updated counters, visibility
  and reasons                                                            goal p95 <= 50 ms
- one keystroke in a text box, to its echo                               goal p95 <= 16 ms
  (and, with no goal, moving the option cursor before each answer)
- sign-in (PIN Enter) to the home screen                                 goal p95 <= 300 ms
- process start to the login screen                                     goal <= 1.5x bare

Opening is timed to the first frame that shows the checklist with the focus in it, ready
for the first answer: the form mounts its first page before that frame and the rest a page
at a time after it. "open, whole form" times the same opening until the last page is
mounted and the app is idle (no goal); the bare screen, built in one go, is timed both ways
too. The bare screen holds as many widgets as the checklist screen has once whole.

Beside the wall times (p50/p95), the CPU time of the event loop's thread (p50) is printed:
on a busy machine it shows what the app itself spent, without the wait for a core.

    .venv/bin/python bench/tui.py [--repeat 20] [--work var/bench-tui]

Exits non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
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
    """Whether the app or any widget it holds still has messages queued (every widget
    registered with the app, on any screen: cheaper to go through than walking the DOM)."""
    if not app.screen_stack:
        return True
    return any(
        not pump._message_queue.empty()
        or pump._pending_message is not None
        or bool(pump._next_callbacks)
        for pump in (app, app.screen, *app._registry)
    )


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Send keys as the terminal driver would, each handled before the next is sent."""
    for key in keys:
        char = key if len(key) == 1 else {"space": " "}.get(key)
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)  # straight into the app's queue, as the driver does
        await idle_until(pilot)


class Timing:
    """Wall and event-loop CPU milliseconds of each action, by name."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    async def run(self, name: str, action: Callable[[], Awaitable[None]]) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        await action()
        self.add(name, (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000)

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall.setdefault(name, []).append(wall)
        self.cpu.setdefault(name, []).append(cpu)


class FirstFrame:
    """The time of the first frame painted once `ready()` holds (set while timing)."""

    ready: Callable[[], bool] | None = None
    at: tuple[float, float] | None = None  # wall, thread CPU

    @classmethod
    def install(cls) -> None:
        paint = Screen._compositor_refresh

        def compositor_refresh(screen: Screen[Any]) -> None:
            paint(screen)
            if cls.ready is not None and cls.at is None and screen.is_current and cls.ready():
                cls.at = (time.perf_counter(), time.thread_time())

        Screen._compositor_refresh = compositor_refresh  # type: ignore[method-assign,assignment]


async def open_timed(
    timing: Timing,
    name: str,
    pilot: Pilot[Any],
    start: Callable[[], object],
    ready: Callable[[], bool],
    whole: Callable[[], bool] | None = None,
) -> None:
    """Time `start()` to the first frame showing `ready()` ("open"), and until `whole()`
    (default: `ready()`) holds with the app idle ("whole")."""
    FirstFrame.ready, FirstFrame.at = ready, None
    wall, cpu = time.perf_counter(), time.thread_time()
    start()
    await idle_until(pilot, whole or ready)
    end = (time.perf_counter(), time.thread_time())
    FirstFrame.ready = None
    first = FirstFrame.at or end  # idle_until paints once more if no frame came earlier
    timing.add(name, (first[0] - wall) * 1000, (first[1] - cpu) * 1000)
    timing.add(f"{name}, whole form", (end[0] - wall) * 1000, (end[1] - cpu) * 1000)


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


async def bare_figures(widgets: dict[str, int], repeat: int) -> Timing:
    timing = Timing()
    app = BareApp()

    def shown() -> bool:
        """The bare screen is current with all its widgets mounted (Textual may paint a
        screen whose children are still being mounted)."""
        return isinstance(app.screen, BareScreen) and app.screen.is_mounted

    async with app.run_test(size=SIZE) as pilot:
        for _ in range(repeat):
            push = partial(app.push_screen, BareScreen(widgets["open"]))
            await open_timed(timing, "open", pilot, push, shown)
            app.pop_screen()
            await idle_until(pilot)
        for _ in range(repeat):

            async def home() -> None:
                app.push_screen(BareScreen(widgets["sign-in"]))
                await idle_until(pilot, shown)

            await timing.run("sign-in", home)
            app.pop_screen()
            await idle_until(pilot)
        app.push_screen(BareScreen(widgets["open"]))
        await idle_until(pilot, lambda: isinstance(app.screen, BareScreen))
        app.screen.set_focus(None)
        for _ in range(repeat):

            async def answer() -> None:
                await press(pilot, "space")
                await idle_until(pilot)

            await timing.run("answer", answer)
        app.screen.query_one("#box", Input).focus()
        for n in range(repeat * 2):
            await timing.run("keystroke", partial(press, pilot, "abcdefghij"[n % 10]))
    return timing


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


async def app_figures(work: Path, repeat: int) -> tuple[Timing, dict[str, int]]:
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
    timing = Timing()
    widgets: dict[str, int] = {}
    app = FirstResponseApp(settings, store, demo=True)

    def on(name: str) -> Callable[[], bool]:
        return lambda: type(app.screen).__name__ == name

    def form_ready() -> bool:
        """A checklist screen is current, its form mounted and the focus set (the officer
        can answer, or read the case first on the review screen)."""
        screen = app.screen
        return (
            isinstance(screen, ChecklistScreen | ThriveScreen | ReviewScreen)
            and screen.is_mounted
            and screen.focused is not None
            and any(form.is_mounted for form in screen.query(ChecklistForm))
        )

    def form_built() -> bool:
        return form_ready() and all(form.built for form in app.screen.query(ChecklistForm))

    async def open_form(name: str, key: str, back: str) -> None:
        event = events.Key(key, None)
        event.set_sender(app)
        start = partial(app.post_message, event)
        await open_timed(timing, name, pilot, start, form_ready, form_built)
        widgets["open"] = max(widgets.get("open", 0), len(list(app.screen.query("*"))))
        await press(pilot, "escape")
        await idle_until(pilot, on(back))

    try:
        async with app.run_test(size=SIZE) as pilot:
            await idle_until(pilot)
            app.context.preload()

            async def sign_in(collar: str, home: type[Screen[Any]]) -> None:
                await press(pilot, *collar, "enter", *"1234")

                async def enter() -> None:
                    await press(pilot, "enter")
                    await idle_until(pilot, lambda: isinstance(app.screen, home))

                await timing.run("sign-in", enter)

            # sign-in, then sign out, `repeat` times
            for _ in range(repeat):
                await sign_in("PC2001", ResponderHome)
                widgets["sign-in"] = len(list(app.screen.query("*")))
                sign_out(app)
                await idle_until(pilot)
            await sign_in("PC2001", ResponderHome)
            await press(pilot, "enter")
            await idle_until(pilot, lambda: isinstance(app.screen, IncidentScreen))

            for key, name in (("c", "first response"), ("r", "risk")):
                for _ in range(repeat):
                    await open_form(f"open {name}", key, "IncidentScreen")

            # answers: toggle a question that shows and hides follow-ups
            await press(pilot, "c")
            await idle_until(pilot, form_built)
            form = app.screen.query_one(ChecklistForm)
            choice = form.query_one("#c-grounds_for_arrest", ChoiceField)
            choice.focus()
            await idle_until(pilot)
            for n in range(repeat * 2):
                summary = str(form.summary.render())
                step = "right" if n % 2 == 0 else "left"
                await timing.run("option cursor", partial(press, pilot, step))
                await timing.run("answer", partial(press, pilot, "space"))
                if str(form.summary.render()) == summary and n > 1:
                    raise AssertionError("the counters did not change")

            # keystrokes in a text box
            box = next(w for w in form.query(Input) if not w.has_class("cl-reason"))
            box.focus()
            await idle_until(pilot)
            for n in range(repeat * 2):
                ch = "abcdefghij"[n % 10]
                await timing.run("keystroke", partial(press, pilot, ch))
                if not box.value.endswith(ch):
                    raise AssertionError(f"typed text not echoed: {box.value!r}")
            await press(pilot, "escape")
            await idle_until(pilot)
            sign_out(app)
            await idle_until(pilot)

            # THRIVE for a new call (F5 from the call's first details)
            await press(pilot, *"CH1001", "enter", *"1234", "enter")
            await idle_until(pilot, on("CallHandlerHome"))
            for _ in range(max(3, repeat // 2)):
                await press(pilot, "n", *"Bench", "space", *"Caller")
                await idle_until(pilot, on("NewCallScreen"))
                await open_form("open THRIVE", "f5", "CallHandlerHome")
            sign_out(app)
            await idle_until(pilot)

            # the dip-sample review form (a sampled case, Enter from the queue)
            await press(pilot, *"SG3001", "enter", *"1234", "enter")
            await idle_until(pilot, on("SupervisorHome"))
            for _ in range(max(3, repeat // 2)):
                await open_form("open dip-sample review", "enter", "SupervisorHome")
    finally:
        store.close()
    return timing, widgets


# -- process start ---------------------------------------------------------------------
#: Run in a fresh process: build `app` ({make}), and at the first frame painted on the
#: screen named {screen!r}, once mounted, print the wall clock and the CPU time used so far.
FIRST_FRAME = """
import time
from textual.screen import Screen
{make}
paint = Screen._compositor_refresh
shown = []
def first_frame(screen):
    paint(screen)
    if type(screen).__name__ == {screen!r} and screen.is_current and screen.is_mounted:
        if not shown:
            shown.append(True)
            print(time.time(), time.process_time(), flush=True)
            app.exit()
Screen._compositor_refresh = first_frame
app.run(headless=True, size=(80, 24))
"""
#: The terminal as `firstresponse` (no verb) starts it.
REAL_APP = """
import sys
sys.path.insert(0, {src!r})
from firstresponse.config import load_settings
from firstresponse.commands.terminal import terminal_app
app = terminal_app(load_settings())
"""
BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("bare")
app = Bare()
"""

Figures = tuple[list[float], list[float]]  # wall, CPU (ms)


def start_figures(work: Path, repeat: int) -> tuple[Figures, Figures]:
    """Each start in a fresh process, to its first frame (the login screen, or the bare
    app's only screen): wall time from launching it, and the CPU time it had used."""
    data = work / "start"
    data.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "FIRSTRESPONSE_DATA_DIR": str(data),
        "FIRSTRESPONSE_CONFIG_DIR": str(data / "config"),
    }
    real = FIRST_FRAME.format(make=REAL_APP.format(src=str(REPO / "src")), screen="LoginScreen")
    bare = FIRST_FRAME.format(make=BARE_APP, screen="Screen")
    times: dict[str, Figures] = {"real": ([], []), "bare": ([], [])}
    for n in range(repeat):
        for name, code in (("real", real), ("bare", bare))[:: 1 if n % 2 else -1]:
            start = time.time()
            shown = subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
            )
            wall, cpu = (float(v) for v in shown.stdout.split()[:2])
            times[name][0].append((wall - start) * 1000)
            times[name][1].append(cpu * 1000)
    return times["real"], times["bare"]


def rows(timing: Timing) -> dict[str, tuple[list[float], list[float]]]:
    """The figures to print: each action, all openings together, then each checklist's."""
    out: dict[str, tuple[list[float], list[float]]] = {}
    for name in ("sign-in", "open", "open, whole form", "answer", "option cursor", "keystroke"):
        keys = [k for k in timing.wall if k == name]
        if name.startswith("open"):
            whole = name.endswith("whole form")
            keys = [
                k for k in timing.wall if k.startswith("open") and k.endswith("whole form") == whole
            ]
        if keys:
            out[name] = (
                [v for k in keys for v in timing.wall[k]],
                [v for k in keys for v in timing.cpu[k]],
            )
    for name in timing.wall:
        if name.startswith("open ") and not name.endswith("whole form"):
            out["  " + name] = (timing.wall[name], timing.cpu[name])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--work", default="", help="folder for the demo stores (default: temp)")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-tui-"))
    work.mkdir(parents=True, exist_ok=True)

    FirstFrame.install()
    real, widgets = asyncio.run(app_figures(work, args.repeat))
    bare = rows(asyncio.run(bare_figures(widgets, args.repeat)))
    start_real, start_bare = start_figures(work, max(5, args.repeat // 2))

    print(f"firstresponse TUI, headless {SIZE[0]}x{SIZE[1]}, demo store; ms (p50 / p95)")
    print(
        f"bare: a Textual screen with {widgets['open']} widgets (checklist, once whole) "
        f"or {widgets['sign-in']} (home); cpu: the event loop's thread, p50"
    )
    print(
        f"{'action':<24}{'app p50':>9}{'p95':>7}{'cpu':>7}"
        f"{'bare p50':>10}{'p95':>7}{'cpu':>7}  goal"
    )
    missed = []
    for name, (values, cpu) in rows(real).items():
        base, base_cpu = bare.get(name.strip() if name.startswith("  ") else name, ([], []))
        if name.startswith("  "):
            base, base_cpu = [], []
        goal = GOALS_MS["open"] if name.startswith("  ") else GOALS_MS.get(name)
        p95 = pct(values, 0.95)
        verdict = ""
        if goal is not None:
            ok = p95 <= goal
            verdict = f"p95 <= {goal:.0f} {'ok' if ok else 'MISSED'}"
            if not ok:
                missed.append(name.strip())
        base_text = (
            f"{pct(base, 0.5):>10.1f}{pct(base, 0.95):>7.1f}{pct(base_cpu, 0.5):>7.1f}"
            if base
            else f"{'':>24}"
        )
        print(
            f"{name:<24}{pct(values, 0.5):>9.1f}{p95:>7.1f}{pct(cpu, 0.5):>7.1f}"
            f"{base_text}  {verdict}"
        )
    ratio = statistics.median(start_real[0]) / statistics.median(start_bare[0])
    ok = ratio <= START_RATIO
    if not ok:
        missed.append("process start")
    print(
        f"{'process start to login':<24}{pct(start_real[0], 0.5):>9.1f}"
        f"{pct(start_real[0], 0.95):>7.1f}{pct(start_real[1], 0.5):>7.1f}"
        f"{pct(start_bare[0], 0.5):>10.1f}{pct(start_bare[0], 0.95):>7.1f}"
        f"{pct(start_bare[1], 0.5):>7.1f}  "
        f"median {ratio:.2f}x bare (<= {START_RATIO}x {'ok' if ok else 'MISSED'})"
    )
    if missed:
        print("goals missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
