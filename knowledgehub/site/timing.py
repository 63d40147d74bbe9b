"""Where a build's time and memory go: seconds per stage, the peak memory of the process
and of its children, and the JSON report written to ``$HUB_TIMINGS`` when it is set.

benchmarks/run.py reads that report. Its keys: ``load_validate`` (loading and checking
the library), ``entry_facts`` and ``generated_pages`` (the hub's part of rendering
entries and generated pages), ``render`` (from the library loaded to every page
written), ``entry_pages_wall``, ``render_workers`` and ``python_workers_peak_mb`` (when
workers rendered the entries), ``exports``, ``pagefind`` and ``post_build`` (the open
data, the search index and all that comes after the pages), then ``python_peak_mb``,
``largest_child_peak_mb`` and ``hooks_total`` (from the configuration read to shutdown).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows: the memory figures are left out there
    resource = None


def peak_mb(children: bool = False) -> float:
    """Peak resident memory (MB) of this process, or of its largest finished child."""
    if resource is None:
        return 0.0
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


@dataclass
class Timings:
    """The figures of one build. ``stages`` maps a stage to its seconds (or a count);
    forked workers add their share of it (see site/parallel.py)."""

    started: float = field(default_factory=time.perf_counter)
    stages: dict[str, float] = field(default_factory=dict)
    loaded: float | None = None

    def add(self, stage: str, since: float) -> None:
        """Count the seconds from ``since`` (a perf_counter reading) to now for ``stage``."""
        self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - since

    def library_loaded(self) -> None:
        """The library is loaded and valid: rendering starts here."""
        self.add("load_validate", self.started)
        self.loaded = time.perf_counter()

    def pages_written(self) -> None:
        """Every page is written: Markdown, theme, entry facts and generated pages."""
        if self.loaded is not None:
            self.stages["render"] = time.perf_counter() - self.loaded

    def workers_done(self, seconds: float, workers: int) -> None:
        self.stages["entry_pages_wall"] = seconds
        self.stages["render_workers"] = workers
        self.stages["python_workers_peak_mb"] = peak_mb(children=True)

    def report(self) -> dict:
        report = {stage: round(value, 3) for stage, value in self.stages.items()}
        report["python_peak_mb"] = peak_mb()
        report["largest_child_peak_mb"] = peak_mb(children=True)
        report["hooks_total"] = round(time.perf_counter() - self.started, 3)
        return report

    def write_report(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.report(), indent=2))
