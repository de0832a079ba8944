"""`firstresponse demo` on a demo store made before loads no generator: the seeders load
only when seeding (bench/demo_start.py times the start beside a bare Textual app)."""

from __future__ import annotations

import subprocess
import sys


def test_opening_the_demo_loads_no_generator_or_seeder() -> None:
    code = (
        "import sys; import firstresponse.commands.demo, firstresponse.demo.seed; "
        "print(sorted(m for m in sys.modules if m.startswith('firstresponse.demo.')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['firstresponse.demo.seed']"
