"""Figures of the language-model runs: the KL decay with its fit, B_P against prompt length.

Both take the JSON reports of ``bebcheck lm estimate`` / ``attack`` (so a figure can be redrawn
from a saved report) and draw with matplotlib's Agg canvas (no GUI), 95% intervals as error bars.
"""

from __future__ import annotations

from typing import Any

from bebcheck.checks.sim.plots import PLOT_FORMATS, check_plot_path, import_matplotlib

from .estimators import _clean

__all__ = ["PLOT_FORMATS", "check_plot_path", "plot_attack", "plot_kl_decay"]


def _figure(path: str, ncols: int = 1, width: float = 6.4) -> tuple[Any, Any]:
    figure = import_matplotlib().figure
    fig = figure.Figure(figsize=(width * ncols, 4.8))
    return fig, [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]


def _bars(ax: Any, rows: list[dict[str, Any]], label: str, shift: float = 0.0,
          **kw: Any) -> None:
    xs = [i for i, r in enumerate(rows) if r["value"] is not None]
    ys = [rows[i]["value"] for i in xs]
    lo = [ys[j] - (rows[i]["ci95"][0] if rows[i]["ci95"][0] is not None else ys[j])
          for j, i in enumerate(xs)]
    hi = [(rows[i]["ci95"][1] if rows[i]["ci95"][1] is not None else ys[j]) - ys[j]
          for j, i in enumerate(xs)]
    ax.errorbar([x + shift for x in xs], ys, yerr=[lo, hi], marker="o", capsize=3,
                label=label, **kw)


def plot_kl_decay(report: dict[str, Any], path: str, title: str = "") -> None:
    """KL(P-||P) by prompt length with the fitted line, and KL(P-||P+) with beta marked."""
    fig, (ax,) = _figure(path)
    fit = report["alpha"]
    _bars(ax, fit["kl_by_length"], "KL(P- || P): P- against the model")
    a, b = fit["log_inv_alpha"]["value"], fit["slope"]["value"]
    n = len(fit["kl_by_length"])
    if a is not None and b is not None:
        xs = [0, n - 1]
        ax.plot(xs, [a + b * x for x in xs], linestyle="--", color="tab:red",
                label=f"fit on {fit['points']} lengths: log(1/α) = {a:.3g}, slope {b:.3g}")
    _bars(ax, report["beta_by_length"], "KL(P- || P+): between the components",
          color="tab:green")
    beta = report["beta"]["value"]
    if beta is not None:
        ax.axhline(beta, linestyle=":", color="tab:green", label=f"β (lowest mean) = {beta:.3g}")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("prompt length |s| (sentences sampled from P-)")
    ax.set_ylabel("conditional KL per sentence (nats)")
    ax.set_title(title or "KL decay and distinguishability")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)


_COLORS = {"direct": "tab:red", "persona": "tab:purple", "aligned": "tab:blue"}


def _predicted(rep: dict[str, Any], name: str) -> tuple[str, float | None]:
    key = "theorem2" if name == "aligned" and "theorem2" in rep["predicted"] else "theorem1"
    v = rep["predicted"][key].get("value")
    return key, (_clean(float(v)) if v is not None else None)


def plot_attack(report: dict[str, Any], path: str, title: str = "") -> None:
    """B_P by prompt length per strategy (95% intervals over prompts), the level, and each
    strategy's predicted length: a line where it falls on the axis, a note where it is beyond."""
    fig, (ax,) = _figure(path, width=8.0)
    reps = report["strategies"]
    n_len = max(len(r["observed"]["b_p_by_length"]) for r in reps.values())
    marks = [v for name, rep in reps.items() if (v := _predicted(rep, name)[1]) is not None]
    xmax = max(n_len - 1, min(16, max(marks, default=0))) + 0.6
    notes, level = [], None
    for i, (name, rep) in enumerate(reps.items()):
        color = _COLORS.get(name, "tab:gray")
        shift = (i - (len(reps) - 1) / 2) * 0.08
        _bars(ax, rep["observed"]["b_p_by_length"], f"{name}: B_P (next sentence)", shift,
              color=color)
        level = rep["observed"]["crossing"]["level"]
        key, v = _predicted(rep, name)
        lo, hi = rep["predicted"][key]["ci95"]
        if v is not None and v <= xmax:
            ax.axvline(v, linestyle="--", color=color, alpha=0.8,
                       label=f"{name}: predicted length ({key}) {int(v)} [{lo}, {hi}]")
        elif v is not None:
            notes.append(f"{name}: predicted length ({key}) {int(v)} [{lo}, {hi}], off the axis")
        centre = rep["predicted"]["centre"]["value"]
        if name != "aligned" and centre is not None and centre <= xmax:
            ax.axvline(centre, linestyle=":", color=color, alpha=0.8,
                       label=f"{name}: KL-fit centre log(1/α)/β_fit {centre:.2g}")
    if level is not None:
        ax.axhline(level, color="black", linewidth=0.8, label=f"level {level:g}")
    if notes:
        ax.text(0.99, 0.97, "\n".join(notes), transform=ax.transAxes, ha="right", va="top",
                fontsize="x-small")
    ax.set_xlim(-0.4, xmax)
    ax.set_ylim(-1.05, 1.05)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("prompt length |s| (sentences appended)")
    ax.set_ylabel("B_P of the model's next sentence")
    ax.set_title(title or "B_P against prompt length")
    ax.legend(fontsize="x-small", loc="lower left", ncols=2)
    fig.tight_layout()
    fig.savefig(path)
