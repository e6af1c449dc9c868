"""Uses the Go modules of both example distributions in one process.

Install gobridge and the two examples, then run it::

    pip install examples/geometry examples/textstats
    python examples/demo.py

The first run links both distributions' Go packages with gobridge's own
modules into one library (once; it is cached), so the process has exactly
one Go runtime. With stubs written by ``python -m gobridge stubgen -o stubs``,
``MYPYPATH=stubs mypy --strict examples/demo.py`` type-checks it.
"""

from __future__ import annotations

import asyncio

import gobridge
import gomod.geometry as geometry
import gomod.textstats as textstats


def shapes() -> list[str]:
    origin = geometry.Point()  # NewPoint is Point's constructor; x and y default to 0
    corner = origin.translate(3, 4)
    lines = [
        f"distance from {origin} to {corner}: {origin.distance(corner)}",
        f"unit square: {geometry.polygon_area([0, 1, 1, 0], (0.0, 0.0, 1.0, 1.0))}",
        f"circle of radius 2: {geometry.circle_area(2):.4f} (tau = {geometry.TAU:.4f})",
    ]
    try:
        geometry.polygon_area([0, 1], [0, 0])
    except ValueError as exc:
        lines.append(f"ValueError: {exc}")
    corner.x = 6.0
    lines.append(f"moved corner: {corner} (x = {corner.x})")
    # A Vector crosses by value: built from its fields, or passed as a dict.
    step = geometry.displacement(origin, corner)
    back = corner.move(geometry.Vector(dx=-step.dx, dy=-step.dy))
    lines.append(f"{step}; back to {back}; up by a dict: {back.move({'dy': 1})}")
    return lines


def words(text: str) -> list[str]:
    counter = textstats.Counter()
    for line in text.splitlines():
        counter.add(line)
    top: list[str] = counter.top(3)
    counts: dict[str, int] = textstats.word_counts(text)
    # Callbacks: Go calls these Python functions during the call.
    long_words = textstats.filter_words(textstats.words(text), lambda w: len(w) > 4)
    by_initial = textstats.count_words_by(text, lambda w: w[0])
    return [
        f"{counter.total()} words, top 3: {', '.join(top)}",
        f"long words: {long_words}; by initial: {sorted(by_initial.items())[:3]}",
        f"'go' occurs {counts.get('go', 0)} times; {textstats.count_lines(text.encode())} lines",
    ]


async def both_at_once(text: str) -> tuple[float, list[str]]:
    # Each .aio call runs in Go while the event loop goes on.
    area, top = await asyncio.gather(
        geometry.circle_area.aio(1.0), textstats.top_words.aio(text, 2)
    )
    return area, top


def main() -> None:
    text = "Go modules for Python.\nOne Go runtime, many modules.\nGo go go!\n"
    for line in shapes() + words(text):
        print(line)
    print("async:", asyncio.run(both_at_once(text)))
    info = gobridge.runtime_info()
    print(f"one library: {info['library']} ({info['go_version']})")
    for module in ("gomod.geometry", "gomod.textstats", "gomod.strings"):
        print(f"  {module} from {info['module_distributions'][module]}")


if __name__ == "__main__":
    main()
