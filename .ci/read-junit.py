#!/usr/bin/env python3
"""Read a junit.xml with two JUnit consumers from PyPI, junitparser and junit2html, and check what they make of it.

    .ci/read-junit.py JUNIT_XML

Exits 1, saying what is wrong, when either consumer fails to read the file or reads it differently from what the
file says: each suite's counts must equal its testcases' outcomes as junitparser reads them, every failure and
error must carry one of the tool's own types (`inspector.…`), every testcase name must be unique within its class,
and junit2html must render a page naming every suite and every failed or errored testcase.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile

from junitparser import Error, Failure, JUnitXml, Skipped


def problems_seen_by_junitparser(path: str) -> tuple[list[str], list[str], list[str]]:
    """What junitparser reads: (problems, suite names, names of failed or errored testcases)."""
    problems: list[str] = []
    suites: list[str] = []
    failing: list[str] = []
    document = JUnitXml.fromfile(path)
    seen: set[tuple[str, str]] = set()
    for suite in document:
        suites.append(suite.name)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in suite:
            counts["tests"] += 1
            key = (case.classname, case.name)
            if key in seen:
                problems.append(f"testcase {key} appears twice")
            seen.add(key)
            for result in case.result:
                if isinstance(result, Failure):
                    counts["failures"] += 1
                elif isinstance(result, Error):
                    counts["errors"] += 1
                elif isinstance(result, Skipped):
                    counts["skipped"] += 1
                    continue
                else:
                    problems.append(f"testcase {key} has an unknown result {result!r}")
                    continue
                failing.append(case.name)
                if not (result.type or "").startswith("inspector."):
                    problems.append(f"testcase {key}: type {result.type!r} is not one of the tool's own")
                if not result.message:
                    problems.append(f"testcase {key}: no message")
        for name, counted in counts.items():
            written = getattr(suite, name)
            if written != counted:
                problems.append(f"suite {suite.name!r}: {name}={written}, but its testcases give {counted}")
    if not suites:
        problems.append("no test suites")
    return problems, suites, failing


def problems_seen_by_junit2html(path: str, suites: list[str], failing: list[str]) -> list[str]:
    """Renders the file with junit2html and checks that the page names every suite and failing testcase."""
    with tempfile.TemporaryDirectory() as folder:
        page_path = os.path.join(folder, "junit.html")
        run = subprocess.run(["junit2html", path, page_path], capture_output=True, text=True)
        if run.returncode != 0:
            return [f"junit2html exited {run.returncode}: {run.stderr.strip()}"]
        with open(page_path, encoding="utf-8") as page_file:
            page = page_file.read()
    shown = html.unescape(page)
    missing = [f"suite {name!r}" for name in suites if name not in shown]
    missing += [f"testcase {name!r}" for name in failing if name not in shown]
    return [f"junit2html's page does not show {what}" for what in missing[:10]]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path = sys.argv[1]
    problems, suites, failing = problems_seen_by_junitparser(path)
    problems += problems_seen_by_junit2html(path, suites, failing)
    for problem in problems:
        print(f"{path}: error: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: junitparser and junit2html read {len(suites)} suites, {len(failing)} failing testcases")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
