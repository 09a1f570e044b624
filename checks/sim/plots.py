"""Figures of the experiments: B_P against prompt length, thresholds and bound lengths marked."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from types import ModuleType

from bebcheck.symbolic.errors import InputError

__all__ = ["PLOT_FORMATS", "PlotData", "check_plot_path", "import_matplotlib", "plot"]

PLOT_FORMATS = ("png", "svg", "pdf")
"""The file types ``check_plot_path`` accepts (by extension)."""


@dataclass
class PlotData:
    """What ``plot`` draws: B_P against prompt length, thresholds and bound lengths marked."""

    title: str
    xlabel: str
    series: list[tuple[str, list[float], list[float]]]
    hlines: list[tuple[str, float]] = field(default_factory=list)
    vlines: list[tuple[str, float]] = field(default_factory=list)
    ylabel: str = "B_P(prompt)"
    xscale: str = "linear"


def check_plot_path(path: str) -> None:
    """Reject a plot file name before any work: its directory must exist, its type be known."""
    d = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(d):
        raise InputError(f"--plot: directory {d} does not exist")
    if os.path.isdir(path):
        raise InputError(f"--plot: {path} is a directory; give a file name")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in PLOT_FORMATS:
        raise InputError(f"--plot: use a .png, .svg or .pdf file name; got {path!r}")


def import_matplotlib() -> ModuleType:
    """matplotlib, to draw files only (figures are drawn on ``matplotlib.figure.Figure``, never
    through a GUI backend): ``MPLBACKEND`` is set aside during the import (an unknown value
    would make it fail), and the warnings matplotlib logs when it cannot write its config or
    cache directory (a read-only ``HOME``; it then uses a temporary one) are not shown."""
    log = logging.getLogger("matplotlib")
    level = log.level
    backend = os.environ.pop("MPLBACKEND", None) if "matplotlib" not in sys.modules else None
    log.setLevel(logging.ERROR)
    try:
        import matplotlib
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # builds the font list (it may warn) here
    except ImportError:
        raise InputError("plotting needs matplotlib (pip install matplotlib)") from None
    finally:
        log.setLevel(level)
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
    return matplotlib


def plot(data: PlotData, path: str) -> None:
    """Draw ``data`` to ``path`` with matplotlib (Agg); the format follows the extension."""
    import_matplotlib()
    from matplotlib.figure import Figure

    d = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(d):
        raise InputError(f"--plot: directory {d} does not exist")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    fig = Figure(figsize=(8, 4.8))
    if ext not in fig.canvas.get_supported_filetypes():
        raise InputError(f"--plot: unsupported file type {ext!r}; use one of "
                         + ", ".join(sorted(fig.canvas.get_supported_filetypes())))
    ax = fig.add_subplot(1, 1, 1)
    for label, xs, ys in data.series:
        ax.plot(xs, ys, marker="." if len(xs) <= 200 else None, label=label)
    if data.xscale != "linear":
        ax.set_xscale(data.xscale)
    colors = ["tab:red", "tab:gray", "tab:purple"]
    for j, (label, y) in enumerate(data.hlines):
        ax.axhline(y, linestyle="--", color=colors[j % 3], label=f"{label} = {y:.3g}")
    vcolors = ["tab:green", "tab:orange", "tab:brown"]
    for j, (label, x) in enumerate(data.vlines):
        ax.axvline(x, linestyle=":", color=vcolors[j % 3], label=f"{label} = {x:g}")
    ax.set_title(data.title)
    ax.set_xlabel(data.xlabel)
    ax.set_ylabel(data.ylabel)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
