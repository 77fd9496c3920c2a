"""Slider budgets, measured: the Jupyter callback time and the weight of the
precomputed frames each page carries.

    .venv/bin/python benchmarks/sliders.py

Targets (issue "Sliders"): a redraw under 100 ms on this machine, and under
1 MB of added page weight per page. Prints each measurement and its ratio
to the target; exits non-zero if a target is missed.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import book_utils as bu
from book_utils.sliders import activation_slider, log_values, softmax_temperature_slider

CALLBACK_BUDGET_S = 0.100
WEIGHT_BUDGET_B = 1_000_000
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # book_toc.py, the toc reader the tests use
from book_toc import read_toc  # noqa: E402


def sigmoid_slider():
    # The same call as chapters/sigmoid.md.
    x = np.linspace(-6, 6, 201)
    return activation_slider(
        bu.sigmoid,
        bu.sigmoid_prime,
        param="a",  # positions and default from the catalogue
        name="σ",
        x=x,
        ylim=(-0.05, 1.05),
        prime_ylim=(0.0, 2.6),
        reference=("階段関数", bu.step),
        marker=lambda a: (0.0, a / 4, f"ピーク a/4 = {a / 4:.3f}"),
        jumps=(0.0,),
    )


def temperature_slider():
    # The same call as chapters/softmax.md.
    return softmax_temperature_slider(np.array([1.0, 2.5, 0.3, 2.0, -1.0]), log_values(0.05, 20, per_decade=10))


def callback_seconds(slider, repeats: int = 3) -> list[float]:
    control, _ = slider.widget().children
    times = []
    for _ in range(repeats):
        for index in range(len(slider.values)):
            start = time.perf_counter()
            control.value = index  # runs the observe callback synchronously
            times.append(time.perf_counter() - start)
    return times


def main() -> int:
    ok = True
    print(f"{'slider':<22}{'median ms':>10}{'max ms':>9}{'budget ms':>10}{'max/budget':>11}")
    for name, make in [("sigmoid gain a", sigmoid_slider), ("softmax temperature T", temperature_slider)]:
        times = callback_seconds(make())
        worst = max(times)
        ok &= worst < CALLBACK_BUDGET_S
        print(
            f"{name:<22}{statistics.median(times) * 1e3:>10.2f}{worst * 1e3:>9.2f}"
            f"{CALLBACK_BUDGET_S * 1e3:>10.0f}{worst / CALLBACK_BUDGET_S:>11.3f}"
        )

    print(f"\n{'page':<22}{'slider HTML kB':>15}{'budget kB':>10}{'ratio':>8}")
    for name, make in [("sigmoid.html", sigmoid_slider), ("softmax.html", temperature_slider)]:
        size = len(make().to_html().encode())
        ok &= size < WEIGHT_BUDGET_B
        print(f"{name:<22}{size / 1e3:>15.1f}{WEIGHT_BUDGET_B / 1e3:>10.0f}{size / WEIGHT_BUDGET_B:>8.3f}")

    built = ROOT / "_build" / "html"
    if built.exists():
        # What the sliders add to each built page: every <div class="bu-slider">
        # (controls, SVG, frames, script), which ends with "</script></div>".
        print(f"\n{'built page':<22}{'sliders':>8}{'slider kB':>10}{'page kB':>9}{'ratio':>8}")
        for page in (built / toc_page.html for toc_page in read_toc()):
            text = page.read_text(encoding="utf-8")
            starts = [m.start() for m in re.finditer('<div class="bu-slider"', text)]
            size = sum(len(text[s : text.index("</script></div>", s) + 15].encode()) for s in starts)
            ok &= size < WEIGHT_BUDGET_B
            print(
                f"{page.name:<22}{len(starts):>8}{size / 1e3:>10.1f}{page.stat().st_size / 1e3:>9.0f}"
                f"{size / WEIGHT_BUDGET_B:>8.3f}"
            )
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
