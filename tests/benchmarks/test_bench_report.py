"""make bench: how it turns loads into shares and results into docs/performance.md.

The measuring itself needs the national dataset and minutes; what it does with the numbers is
tried here with numbers made up for the purpose.
"""

from benchmarks import bench


def test_a_page_is_compared_with_the_trivial_view_loaded_just_before_it():
    """Each round pairs the page with its own load of /healthz, and the median share is kept:
    a round on a machine slowed by half keeps its share, and one odd round does not move it."""
    loads = iter(
        [
            # (/healthz, page) in each round: normal, the machine slowed by half, an odd one.
            4000, 3000,
            2000, 1500,
            4000, 1000,
        ]
    )  # fmt: skip
    asked = []

    def load(url, cookie):
        asked.append((url, cookie))
        return next(loads)

    measured = bench.paired_load(load, "http://127.0.0.1:1", "/page/", "session=abc")

    trivial = ("http://127.0.0.1:1/healthz", None)
    page = ("http://127.0.0.1:1/page/", "session=abc")
    assert asked == [trivial, page] * 3
    assert measured["ratio"] == 75
    assert measured["rps"] in (3000, 1500)
    assert measured["ratios"] == [25, 75, 75]
    assert sorted(measured["trivial_rps"]) == [2000, 4000, 4000]


def results(*, sweep_s: float, pdf_share: float) -> dict:
    page = {"queries": 8, "median_ms": 20, "p95_ms": 30, "status": 200}
    share = {"rps": 2000, "ratio": 80, "ratios": [78, 80, 85], "trivial_rps": [2500] * 3}
    return {
        "date": "2026-12-03 12:00 UTC",
        "machine": "2 cores",
        "postgres": "15",
        "small": {
            "dataset": {"schools": 200, "partnerships": 42},
            "pages": {key: page for key, _label in bench.PAGES},
        },
        "national": {
            "dataset": {"schools": 24000, "partnerships": 5000},
            "pages": {key: page for key, _label in bench.PAGES},
        },
        "throughput": {
            "tool": "wrk",
            "trivial_rps": 2500,
            "public_review": share,
            "public_partnership": share,
            "dashboard": share,
            "pdf": {**share, "ratio": pdf_share, "ratios": [pdf_share - 2, pdf_share, 70]},
            "static": {**share, "size": 85000},
        },
        "pdfs": {
            "typical_schools": 5,
            "typical_s": 1.5,
            "typical_runs_s": [1.4, 1.5, 2.3],
            "large_schools": 10,
            "large_years": 4,
            "large_kb": 130,
            "large_s": 2.2,
        },
        "sweeps": {
            "reminders": {
                "rows": 1606,
                "emails": 0,
                "seconds": sweep_s * 1606 / 100_000,
                "per_100k_s": sweep_s,
                "runs_per_100k_s": [sweep_s - 3, sweep_s, sweep_s + 9],
                "cycles": 200,
                "batches": 4,
                "cycles_per_batch": 50,
                "queries_per_batch": 9.25,
            },
            "emails": {
                "rows": 2000,
                "due": 100_000,
                "seconds": 1.3,
                "per_100k_s": 63,
                "queries_per_batch": 13.0,
            },
        },
        "gias": {"first_s": 6.4, "unchanged_s": 2.9, "peak_mb": 8},
    }


def test_the_report_shows_each_median_with_the_runs_behind_it():
    text = bench.report(results(sweep_s=38.9, pdf_share=82))

    assert "| stored PDF | 2000 | 82% (70-82%) | 60% | met |" in text
    assert "(median of 36, 39, 48 s) | 38.9 s | 60 s | met |" in text
    assert "(5 schools; median of 1.40, 1.50, 2.30 s) | 1.50 s | 2 s | met |" in text
    assert "1,606 reminders, 0 emails, 200 cycles due in 4 batches | 0.6 s |" in text
    assert "Every target is met in this run." in text


def test_the_report_names_every_target_missed():
    text = bench.report(results(sweep_s=61.2, pdf_share=58))

    assert "| stored PDF | 2000 | 58% (56-70%) | 60% | **missed** |" in text
    assert "| 61.2 s | 60 s | **missed** |" in text
    missed = text.split("## Where a target is missed")[1]
    assert "- throughput of the stored PDF" in missed
    assert "- the reminder sweep" in missed
