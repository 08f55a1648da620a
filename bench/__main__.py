"""``python -m bench``: run the benchmark, print the ratios and write ``bench/RESULTS.md``."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

from . import receiver_load, search_index, worst_role
from .run import (
    SizeResult,
    measure_sizes,
    measure_small_validate,
    prepare_size,
    summarise,
    write_results,
)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 0 when it ran (whether or not every target is met)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (medians)")
    parser.add_argument(
        "--repeat-large",
        type=int,
        default=None,
        help="runs at the largest size (default: --repeat)",
    )
    parser.add_argument(
        "--serve-at",
        type=int,
        nargs="*",
        default=[1000],
        help="sizes whose serve rebuilds are timed (none: skip them)",
    )
    parser.add_argument("--serve-edits", type=int, default=5)
    parser.add_argument(
        "--small-validate-runs",
        type=int,
        default=7,
        help="runs of `handbook validate` of a 30-role handbook (0: none)",
    )
    parser.add_argument(
        "--no-plain-at",
        type=int,
        nargs="*",
        default=[10000],
        help="sizes without the plain build of `handbook render`'s output",
    )
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument(
        "--receiver-requests",
        type=int,
        default=10000,
        help="posts for the feedback receiver's load test (0: skip it)",
    )
    parser.add_argument(
        "--search-sizes",
        type=int,
        nargs="*",
        default=[1000, 10000],
        help="sizes whose search index is measured (none: skip it)",
    )
    parser.add_argument(
        "--search-plain-at",
        type=int,
        nargs="*",
        default=[1000],
        help="sizes at which Material's own index is measured for comparison",
    )
    parser.add_argument(
        "--worst-role-repeat",
        type=int,
        default=3,
        help="runs per build of the worst role file validation accepts (0: skip it)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    sizes = sorted(set(args.sizes))
    reference = 1000 if 1000 in sizes else sizes[len(sizes) // 2]
    work = args.work or Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    results, repeats = _measure(args, sizes, work)
    small = None
    if args.small_validate_runs:
        print("Validation of a 30-role handbook…", file=sys.stderr)
        small = measure_small_validate(work, args.small_validate_runs)
    summary = summarise(results, reference, sizes[-1], sizes[0], small_validate=small)
    write_results(
        args.out,
        results,
        summary,
        repeats,
        time.perf_counter() - started,
        small=small,
        command=shlex.join(["python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)]),
    )
    if args.receiver_requests:
        print("Feedback receiver: loopback load…", file=sys.stderr)
        load, text = receiver_load.measure(requests=args.receiver_requests, seconds=10.0)
        with args.out.open("a", encoding="utf-8") as results_file:
            results_file.write("\n#" + text)  # a section of the results
        print(
            f"Feedback receiver: {load.per_second():.0f} accepted submissions/s, "
            f"p99 {load.percentile(99) * 1000:.1f} ms, {load.server_errors} server errors"
        )
    if args.search_sizes:
        results_text = _search_section(args, work)
        with args.out.open("a", encoding="utf-8") as results_file:
            results_file.write("\n" + results_text)
    if args.worst_role_repeat:
        print("The worst role validation accepts…", file=sys.stderr)
        with args.out.open("a", encoding="utf-8") as results_file:
            results_file.write("\n" + worst_role.main(args.worst_role_repeat))
    with args.out.open("a", encoding="utf-8") as results_file:
        results_file.write(
            f"\nThe whole run took {(time.perf_counter() - started) / 60:.1f} minutes.\n"
        )
    for line in summary.lines():
        print(line)
    print(f"Results written to {args.out}")
    return 0


def _measure(
    args: argparse.Namespace, sizes: list[int], work: Path
) -> tuple[dict[int, SizeResult], dict[int, int]]:
    """Every size's organisation written, then measured in rounds; the results and repeats."""
    repeats: dict[int, int] = {}
    prepared = []
    for roles in sizes:
        large = roles == sizes[-1] and len(sizes) > 1
        repeats[roles] = args.repeat_large if large and args.repeat_large else args.repeat
        print(f"N={roles}: generating ({repeats[roles]} runs)…", file=sys.stderr)
        prepared.append(prepare_size(roles, work, plain_baseline=roles not in args.no_plain_at))
    print("Measuring, the sizes in turn…", file=sys.stderr)
    results = measure_sizes(
        prepared,
        repeats,
        serve_edits=dict.fromkeys(args.serve_at, args.serve_edits),
        log=lambda line: print(line, file=sys.stderr),
    )
    return results, repeats


def _search_section(args: argparse.Namespace, work: Path) -> str:
    """Measure the search index at each of ``--search-sizes``; its section of the results."""
    measured = []
    for roles in sorted(set(args.search_sizes)):
        print(f"Search index: N={roles}…", file=sys.stderr)
        measured.append(search_index.measure(roles, work, plain=roles in args.search_plain_at))
    return search_index.section(measured)


if __name__ == "__main__":
    sys.exit(main())
