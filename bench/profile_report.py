#!/usr/bin/env python
"""Summarise py-spy raw profiles (collapsed stacks) of gunicorn workers, as written by api_bench.py --py-spy.

Only samples inside a request (a stack through gunicorn's `handle_request`) count, so the figures are shares of
request wall time, waits on the database included (api_bench samples with --idle).

    .venv/bin/python bench/profile_report.py bench/out/profile-create-sqlite-*.txt [--top 25]
"""

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")
SITE = re.compile(r".*/(site-packages|lib/python3\.\d+)/")


def frame_name(frame):
    """`function (path)` without the line number, the path shortened to the package."""
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = SITE.sub("", match["file"]).removeprefix(str(Path.cwd()) + "/")
    return f"{match['func']} ({path})"


def read_stacks(paths):
    stacks = Counter()
    for path in paths:
        for line in Path(path).read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames = [frame_name(f) for f in stack.split(";")]
            if not any("handle_request (" in f for f in frames):
                continue
            stacks[tuple(frames)] += int(count)
    return stacks


def summarise(stacks, top):
    total = sum(stacks.values())
    inclusive, own, ours = Counter(), Counter(), Counter()
    for frames, count in stacks.items():
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count
        # The innermost frame of our own code (annotator/ or project/) that the sample passed through.
        mine = next((f for f in reversed(frames) if "annotator/" in f or "project/" in f), None)
        if mine:
            ours[mine] += count
    print(f"{total} samples inside requests\n")
    print("inclusive (the function and everything it called):")
    for name, count in inclusive.most_common(top):
        print(f"  {100 * count / total:5.1f}%  {name}")
    print("\nself (the innermost frame):")
    for name, count in own.most_common(top):
        print(f"  {100 * count / total:5.1f}%  {name}")
    print("\ninnermost frame of our own code:")
    for name, count in ours.most_common(top):
        print(f"  {100 * count / total:5.1f}%  {name}")


def tree(stacks, root, threshold, depth):
    """The call tree below the outermost frame whose name starts with `root`, as shares of all samples."""
    total = sum(stacks.values())
    nodes = Counter()
    for frames, count in stacks.items():
        at = next((i for i, f in enumerate(frames) if f.startswith(root)), None)
        if at is None:
            continue
        for end in range(at + 1, min(len(frames), at + 1 + depth) + 1):
            nodes[frames[at:end]] += count
    print(f"\ncall tree below {root} (>= {threshold}% of request samples):")
    for path in sorted(nodes):
        share = 100 * nodes[path] / total
        if share >= threshold:
            print(f"  {share:5.1f}%  {'  ' * (len(path) - 1)}{path[-1]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--tree", metavar="FUNCTION", help="also print the call tree below this function")
    parser.add_argument("--threshold", type=float, default=1.0, help="smallest share shown in the tree (%%)")
    parser.add_argument("--depth", type=int, default=8, help="levels shown in the tree")
    args = parser.parse_args(argv)
    stacks = read_stacks(args.files)
    if not stacks:
        print("no samples inside requests", file=sys.stderr)
        return 1
    summarise(stacks, args.top)
    if args.tree:
        tree(stacks, args.tree, args.threshold, args.depth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
