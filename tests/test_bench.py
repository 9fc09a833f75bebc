"""The benchmark script (tests/bench/bench.py): valid synthetic content, the build's own commands, a complete report.

Nothing here runs MkDocs or Pagefind; ``make bench`` does.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SITE
from generator.cli import main as cli_main
from generator.model.errors import warnings_of
from generator.reading.load import load_site


def _import_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "tests" / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)
    spec.loader.exec_module(module)
    return module


bench = _import_bench()
TODAY = bench.bench_today(SITE)


def _plain_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir(parents=True)
    for name in ("plan.yaml", "mkdocs.yml"):
        shutil.copy((SITE if name == "plan.yaml" else ROOT) / name, root / name)
    return root


class TestSyntheticContent:
    def test_thirty_events_and_two_series_in_one_year_pass_check_strict_without_warnings(self, tmp_path, capsys):
        root = _plain_root(tmp_path)
        counts = bench.write_synthetic_content(root, events=30, years=1, series_per_year=2, today=TODAY)
        assert cli_main(["check", "--strict", "--root", str(root), "--today", TODAY.isoformat()]) == 0
        site = load_site(root, TODAY)
        assert not warnings_of(site.warnings)
        assert len([r for r in site.events if not r.is_series]) == counts.events == 30
        assert len([r for r in site.events if r.is_series]) == counts.series == 2
        assert counts.years == (site.plan.fiscal_year,)
        assert "検査しました" in capsys.readouterr().out

    def test_the_bench_root_spreads_events_over_ten_fiscal_years_each_with_a_plan(self, tmp_path):
        counts = bench.make_bench_root(tmp_path / "root", 1, TODAY, events_per_scale=20, source=SITE)
        site = load_site(tmp_path / "root", TODAY)
        assert len(counts.years) == 10 and counts.years[-1] == site.plan.fiscal_year
        assert set(counts.years) <= {p.fiscal_year for p in site.plans}
        years = {int(p.parent.name) for p in (tmp_path / "root" / "content" / "events").rglob("*.yaml")}
        assert set(counts.years) <= years
        assert not [w for w in warnings_of(site.warnings) if not (SITE / w.path).exists()]  # none in synthetic files

    def test_content_is_the_same_on_every_run(self, tmp_path):
        texts = []
        for name in ("a", "b"):
            root = _plain_root(tmp_path / name)
            bench.write_synthetic_content(root, events=10, years=1, series_per_year=1, today=TODAY)
            texts.append({p.name: p.read_text(encoding="utf-8") for p in (root / "content" / "events").rglob("*.yaml")})
        assert texts[0] == texts[1]

    def test_descriptions_are_two_to_four_hundred_characters_of_japanese(self):
        import random

        rng = random.Random(1)
        lengths = [len(bench.description_text(rng, "親子で学ぶ講座です", "テーマ").split("\n\n")[0]) for _ in range(50)]
        assert min(lengths) >= 200 and max(lengths) <= 480


class TestMeasuring:
    def test_the_build_measured_is_the_command_staff_run(self, tmp_path):
        assert bench.build_command(tmp_path, tmp_path / "site", TODAY)[1:4] == ["-m", "generator", "build"]

    def test_peak_memory_of_a_child_process_is_measured(self):
        run = bench.run_measured([sys.executable, "-c", "x = bytearray(80 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"])
        assert run.max_rss_mib >= 80 and run.seconds > 0

    def test_memory_of_a_whole_process_tree_at_once_is_sampled(self):
        child = "x = bytearray(60 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep(0.6)"
        parent = (f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', {child!r}]); "
                  f"y = bytearray(60 * 1024 * 1024); y[::4096] = b'1' * len(y[::4096]); p.wait()")
        run = bench.run_measured([sys.executable, "-c", parent])
        assert run.tree_peak_mib >= 120 and run.max_rss_mib >= 60
        # The tree at once is at least its largest process. (Not "more than": before exec, a child forked from a
        # large test worker counts the worker's pages in its peak, which can be larger than both 60 MiB at once.)
        assert run.tree_peak_mib >= run.max_rss_mib

    def test_a_failing_phase_stops_the_benchmark_with_its_output(self):
        with pytest.raises(RuntimeError, match="boom"):
            bench.run_measured([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"])

    def test_site_stats_count_html_pages_and_their_sizes(self, tmp_path):
        for path, size in {"index.html": 1024, "a/index.html": 3072, "b/index.html": 10240, "pagefind/x.pf": 500}.items():
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(b"x" * size)
        stats = bench.site_stats(tmp_path)
        assert (stats.html_pages, stats.median_kib, stats.largest_kib, stats.largest_path) == (3, 3.0, 10.0, "b/index.html")
        assert (stats.bytes, stats.pagefind_bytes) == (1024 + 3072 + 10240 + 500, 500)


def _result(scale: int, seconds: float) -> "bench.ScaleResult":
    run = bench.Run(seconds * 3, 500 * 1024 * scale, "", 600 * 1024 * scale)
    stats = bench.SiteStats(100_000_000 * scale, 6_000_000 * scale, 3172 * scale, 16.4, 162.0, "events/past/2019/index.html")
    counts = bench.ContentCounts(3000 * scale, 40 * scale, 20 * scale, tuple(range(2016, 2026)))
    phases = {"load": 2.0, "render": 4.0, "write": 1.0, "builder": 5.0, "direct (in parallel)": 1.5, "fill": 0.5,
              "search": 3.0, "occurrences": 4144 * scale, "warnings": 0}
    return bench.ScaleResult(scale, counts, run, phases, bench.Run(seconds * 2, 100), stats, stats, 6228)


class TestReport:
    results = [_result(1, 9.0), _result(2, 18.0)]
    machine = {"CPU": "Test CPU", "Cores": "2", "RAM": "4.0 GiB", "Python": "3.11", "OS": "Linux"}

    def test_every_figure_has_a_row_with_one_value_per_scale(self):
        rows = bench.report_rows(self.results)
        labels = " ".join(label for label, _ in rows)
        for figure in ("Generator", "MkDocs", "Pagefind", "Total", "Plain mkdocs-material", "Total / plain", "Peak",
                       "Site size", "HTML pages", "Median HTML page", "Largest HTML page", "Per 1,000 events"):
            assert figure in labels
        assert all(len(values) == 2 and all(values) for _, values in rows)

    def test_targets_are_marked_pass_or_fail(self):
        text = bench.format_report(self.results, self.machine)
        assert "1×: total/plain PASS, median page PASS, peak memory PASS" in text
        assert "2×: total/plain PASS, median page PASS, peak memory FAIL" in text  # 1,200 MiB

    def test_text_and_markdown_carry_the_same_figures_and_the_machine(self):
        text = bench.format_report(self.results, self.machine, note="busy machine")
        markdown = bench.format_report(self.results, self.machine, markdown=True, note="busy machine")
        assert "| Total: the whole build command (s, median of the runs) | 27.0 | 54.0 |" in markdown and "|---|---:|---:|" in markdown
        for label, values in bench.report_rows(self.results):
            assert label in text and all(v in text and v.replace("|", "\\|") in markdown for v in values)
        for key, value in self.machine.items():
            assert f"{key}: {value}" in text and f"- {key}: {value}" in markdown
        assert "Note: busy machine" in text and "Note: busy machine" in markdown

    def test_per_thousand_events_figures_divide_by_the_number_of_events(self):
        rows = dict(bench.report_rows(self.results))
        assert rows["Per 1,000 events: total (s)"] == ["9.0", "9.0"]


class TestServe:
    """The serve measurement (make bench): its report; test_serve.py starts and stops serve itself."""

    def test_serve_figures_have_a_row_per_content_with_its_target(self):
        serve = [bench.ServeResult("repository", 4.2, (0.5, 0.4, 0.9)), bench.ServeResult("ten years (1×)", 60.0, (3.5, 2.0, 4.0))]
        text = bench.format_report(TestReport.results, TestReport.machine, serve=serve)
        markdown = bench.format_report(TestReport.results, TestReport.machine, markdown=True, serve=serve)
        assert "## Serve" in markdown and "| repository | 4.2 | 0.50 | 0.90 | 3 | ≤ 1 s PASS |" in markdown
        assert "| ten years (1×) | 60.0 | 3.50 | 4.00 | 3 | ≤ 3 s FAIL |" in markdown
        assert "Serve" in text and "≤ 3 s FAIL" in text
        alone = bench.format_report([], TestReport.machine, serve=serve)
        assert "Figures" not in alone and "≤ 1 s PASS" in alone and "CPU: Test CPU" in alone

    def test_an_edit_changes_the_title_of_an_event_the_site_shows(self, tmp_path):
        root = _plain_root(tmp_path)
        bench.write_synthetic_content(root, events=5, years=1, series_per_year=0, today=TODAY)
        file, page = bench.edited_event(root, TODAY)
        bench.retitle(file, "（計測1）")
        bench.retitle(file, "（計測2）")
        record = next(r for r in load_site(root, TODAY).events if root / r.path == file)
        assert record.item.title.endswith("（計測2）") and "計測1" not in record.item.title
        assert page == f"/events/{record.id}/"

    def test_serve_is_measured_from_a_save_to_the_page_and_stopped(self, tmp_path):
        from conftest import make_root

        result = bench.measure_serve(make_root(tmp_path, "events"), TODAY, "events fixture", edits=2, pause=0.2)
        assert len(result.edit_seconds) == 2 and 0 < result.median < 30 and result.start_seconds > 0
