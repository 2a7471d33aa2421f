#!/usr/bin/env python3
"""Write a seeded corpus of synthetic `aws inspector describe-assessment-runs` responses.

    Benchmarks/generate.py --runs N --out DIR [--seed S] [--timestamps epoch|iso|boto3] [--jsonl]

Each file is one response, `{"assessmentRuns": [...], "failedItems": {...}}`, of up to ten runs
(the API's most), as DIR/snapshot-00001.json and on; with --jsonl every response is one line of
DIR/snapshots.jsonl.  The runs come from a few hundred assessment templates per 10,000 runs, each
run through Inspector's lifecycle on the template's cadence: most complete, some fail, error, are
canceled or complete with errors, and a template's newest run may still be going.  Runs carry
their rules packages, user attributes, finding counts and SNS notifications (failed deliveries
among them); a few templates have hostile names; about 3% of the entries are other snapshots of
runs found elsewhere (an earlier one, in progress, or the same one again), and about 4% of the
files hold failed items.

Timestamp forms, as the clients print them:
  epoch  seconds as JSON numbers, whole or with milliseconds (AWS CLI v1), indented by 4
  iso    ISO 8601 strings (AWS CLI v2); each file has its own zone, `Z`, `+00:00` or another
         offset, and its own least number of fraction digits, 0 to 6
  boto3  str(datetime), `2017-08-19 10:02:47.242000+00:00` (json.dumps(response, default=str)),
         compact, ASCII-escaped, with boto3's ResponseMetadata
--jsonl writes one compact response a line instead, as a polling job appends them.

The same arguments give the same bytes on any machine with Python 3.11 or later: everything is
drawn from random.Random seeded with a string, and only the standard library is used.  What the
runs are does not depend on the form or on --jsonl, so the forms of one seed hold the same runs
and give the same report; --runs is part of the seed, so corpora of two sizes share no ARN.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import sys

TERMINAL = frozenset({"COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "ERROR", "CANCELED"})
SEVERITIES = ("High", "Informational", "Low", "Medium", "Undefined")  # as the API lists them
RUNS_PER_RESPONSE = 10  # describe-assessment-runs takes at most 10 ARNs
MOST_STATE_CHANGES = 50  # the API's limit on stateChanges and on notifications
SHARE_OF_OTHER_SNAPSHOTS = 0.03
SHARE_OF_FILES_WITH_FAILED_ITEMS = 0.04
# How likely an unfinished run is to be caught in each state: most of a run is spent collecting data.
CAUGHT_IN = {"CREATED": 0.02, "START_DATA_COLLECTION_PENDING": 0.03, "START_DATA_COLLECTION_IN_PROGRESS": 0.06,
             "COLLECTING_DATA": 0.6, "STOP_DATA_COLLECTION_PENDING": 0.07, "DATA_COLLECTED": 0.06,
             "START_EVALUATING_RULES_PENDING": 0.04, "EVALUATING_RULES": 0.12}
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
CAPTURED_BY = datetime.datetime(2019, 3, 1, tzinfo=UTC)  # the newest snapshot is a little before this

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-southeast-2")
RULES_PACKAGES = ("Common Vulnerabilities and Exposures", "CIS Operating System Security Configuration Benchmarks",
                  "Security Best Practices", "Runtime Behavior Analysis", "Network Reachability")
STAGES = ("prod", "stage", "dev", "test", "sandbox", "dr", "pci", "shared")
WORKLOADS = ("web", "api", "batch", "db", "bastion", "worker", "payments", "auth", "search", "etl", "edge", "nodes")
CADENCES = ("nightly", "weekly", "baseline", "cve", "cis", "full", "network", "runtime", "release", "audit")
ATTRIBUTES = {
    "Team": ("platform", "payments", "security", "search", "infrastructure"),
    "Owner": ("ana@example.com", "ben@example.com", "chloe@example.com"),
    "Environment": ("production", "staging", "development"),
    "CostCenter": ("cc-1042", "cc-2210", "cc-3300"),
    "Application": ("checkout", "catalog", "billing", "login"),
    "Compliance": ("pci-dss", "hipaa", "sox", "none"),
    "Ticket": ("SEC-4711", "SEC-5120", "OPS-982"),
    "Classification": ("internal", "confidential", "public"),
    "Contact": ("#security", "#platform-oncall"),
    "Service": ("gateway", "orders", "inventory"),
}
TOPICS = ("inspector-alerts", "security-notify", "inspector-findings", "pager-bridge", "assessment-events",
          "chat-relay")
# Names a template may have that every output must escape or show visibly: markup, quotes, text that looks like a
# template tag, non-ASCII and astral characters, control characters (NUL and ESC among them), noncharacters and
# line separators.
HOSTILE_NAMES = (
    '<script>alert("run")</script> & \'quotes\'',
    "Prüfung – Größe/Übersicht",
    "生产环境-安全评估",
    "\U0001F510 fleet \U0001F680 scan",
    "bell\u0007escape\u001b[31mred\u001b[0m",
    "nul\u0000and\u007fdelete",
    "nonchar\ufffe\uffff",
    "tab\tnewline\ncarriage\r",
    "line\u2028paragraph\u2029",
    "]]> {{name}} {{{raw}}} &amp; &#0;",
)
FAILURE_CODES = ("INVALID_ARN", "DUPLICATE_ARN", "ITEM_DOES_NOT_EXIST", "ACCESS_DENIED", "LIMIT_EXCEEDED",
                 "INTERNAL_ERROR")
RETRYABLE = frozenset({"LIMIT_EXCEEDED", "INTERNAL_ERROR"})
# An ISO file's zone: minutes east of UTC, and whether UTC is written `Z`.
ISO_ZONES = ((0, True), (0, True), (0, False), (0, False), (60, False), (-300, False), (330, False), (540, False),
             (-210, False), (345, False))
ID_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def identifier(rng: random.Random) -> str:
    return "0-" + "".join(rng.choices(ID_CHARACTERS, k=8))


def weighted(rng: random.Random, choices: tuple):
    """One of (choice, weight) pairs, by weight."""
    x = rng.random() * sum(w for _, w in choices)
    for name, w in choices:
        x -= w
        if x < 0:
            return name
    return choices[-1][0]


def exponential(rng: random.Random, mean: float) -> int:
    """A count with the given mean, mostly small with a long tail, as findings are."""
    return int(-mean * math.log(1.0 - rng.random())) if mean > 0 else 0


class Template:
    """An assessment template: what its runs share, and how its runs go."""

    def __init__(self, rng: random.Random, accounts: list, name: str):
        self.account, self.region = rng.choice(accounts)
        self.target = f"arn:aws:inspector:{self.region}:{self.account}:target/{identifier(rng)}"
        self.arn = f"{self.target}/template/{identifier(rng)}"
        self.name = name
        self.duration = rng.choice((900, 3600, 3600, 3600, 3600, 7200, 28800, 43200, 86400)) \
            if rng.random() < 0.97 else rng.randint(180, 86400)
        owner = str(100_000_000_000 + REGIONS.index(self.region) * 7_919_000_003)
        count = rng.choice((1, 1, 2, 3, 4, 4, 5, 5, 5))
        self.packages = sorted(f"arn:aws:inspector:{self.region}:{owner}:rulespackage/{identifier(rng)}"
                               for _ in range(count))
        self.attributes = self._attributes(rng)
        self.topics = [self._topic(rng, i) for i in range(rng.choice((0, 0, 1, 1, 1, 1, 2, 2, 3)))]
        hours = [h for h in (6, 12, 24, 24, 24, 48, 72, 168, 168, 336) if h * HOUR >= self.duration * SECOND + 3 * HOUR]
        self.cadence = rng.choice(hours or [336]) * HOUR
        self.active = rng.random() < 0.75
        self.flaky = rng.random() < 0.06
        scale = rng.choice((0.0, 0.3, 1.0, 1.0, 2.5, 6.0))
        self.finding_means = {"High": scale * rng.choice((0, 0.3, 1, 3)),
                              "Medium": scale * rng.choice((0, 1, 4, 12)),
                              "Low": scale * rng.choice((0, 2, 8, 30)),
                              "Informational": scale * rng.choice((0, 5, 20, 80)),
                              "Undefined": rng.choice((0, 0, 0, 0.2))}
        self.run_names = rng.choice(("for", "for", "for", "dated", "numbered"))

    def _attributes(self, rng: random.Random) -> list:
        keys = list(ATTRIBUTES)
        rng.shuffle(keys)
        count = rng.choice((0, 0, 0, 1, 1, 2, 3, 4)) if rng.random() < 0.97 else len(keys)
        attributes = []
        for key in keys[:count]:
            r = rng.random()
            if r < 0.05:
                attributes.append((key, None))  # the value is optional
            elif r < 0.07:
                attributes.append((key, (rng.choice(ATTRIBUTES[key]) + " ") * 20))
            else:
                attributes.append((key, rng.choice(ATTRIBUTES[key])))
        return attributes

    def _topic(self, rng: random.Random, i: int) -> tuple:
        """An SNS topic the template notifies: its ARN, its events and how deliveries to it go."""
        arn = f"arn:aws:sns:{self.region}:{self.account}:{rng.choice(TOPICS)}" + (f"-{i + 1}" if i else "")
        events = {e for e in ("ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED",
                              "FINDING_REPORTED") if rng.random() < 0.6}
        events = events or {"ASSESSMENT_RUN_STATE_CHANGED"}
        delivery = weighted(rng, (("delivered", 0.85), ("deleted", 0.05), ("denied", 0.04), ("flaky", 0.06)))
        return arn, events, delivery, rng.random()


class Run:
    """One assessment run: its state changes and notifications in milliseconds since the epoch, and its findings."""

    def __init__(self, template: Template, arn: str, name: str):
        self.template = template
        self.arn = arn
        self.name = name
        self.changes: list = []
        self.notifications: list = []
        self.findings: dict | None = None
        self.finding_keys = "all"
        self.unfinished_counts = "empty"
        self.newest_first = False
        self.captured = 0


def lifecycle(rng: random.Random, template: Template, outcome: str) -> tuple:
    """State changes from CREATED at 0 ms to `outcome`, and the findings if rules were evaluated."""
    changes = [("CREATED", 0)]

    def enter(state: str, after: float) -> None:
        changes.append((state, changes[-1][1] + max(1, int(after))))

    enter("START_DATA_COLLECTION_PENDING", rng.randint(8, 90))
    enter("START_DATA_COLLECTION_IN_PROGRESS",
          rng.randint(2 * SECOND, 3 * MINUTE) if rng.random() < 0.08 else rng.randint(8, 150))
    if rng.random() < 0.004:  # agents that keep failing to start fill the list to the API's limit
        while len(changes) < MOST_STATE_CHANGES - 5:
            enter("START_DATA_COLLECTION_PENDING", rng.randint(SECOND, 30 * SECOND))
            enter("START_DATA_COLLECTION_IN_PROGRESS", rng.randint(8, 150))
    enter("COLLECTING_DATA", rng.randint(40, 6 * SECOND))
    collecting = template.duration * SECOND
    collecting = collecting * rng.uniform(0.02, 0.9) if rng.random() < 0.06 else collecting + rng.randint(-800, 2500)
    enter("STOP_DATA_COLLECTION_PENDING", collecting)
    enter("DATA_COLLECTED", rng.randint(20 * SECOND, 150 * SECOND))
    if rng.random() < 0.7 and len(changes) < 10:
        enter("START_EVALUATING_RULES_PENDING", rng.randint(80, 3 * SECOND))
    enter("EVALUATING_RULES", rng.randint(100, 8 * SECOND))
    if rng.random() < 0.03 and len(changes) < 40:
        for _ in range(rng.randint(1, 3)):
            enter("START_EVALUATING_RULES_PENDING", rng.randint(5 * SECOND, 2 * MINUTE))
            enter("EVALUATING_RULES", rng.randint(100, 5 * SECOND))
    findings = {k: exponential(rng, template.finding_means[k]) for k in SEVERITIES}
    evaluating = rng.randint(800, 40 * SECOND) + len(template.packages) * rng.randint(500, 20 * SECOND) \
        + sum(findings.values()) * rng.randint(5, 80)
    evaluating = min(evaluating, 45 * MINUTE)
    if outcome in ("COMPLETED", "COMPLETED_WITH_ERRORS"):
        enter(outcome, evaluating)
        if outcome == "COMPLETED_WITH_ERRORS":
            findings = {k: int(v * rng.uniform(0.3, 1.0)) for k, v in findings.items()}
        return changes, findings

    def stop_after(state: str, after: float) -> None:
        del changes[[s for s, _ in changes].index(state) + 1:]
        enter(outcome, after)

    evaluated = False
    if outcome == "FAILED":
        where = weighted(rng, (("agents", 0.45), ("collecting", 0.2), ("collected", 0.1), ("evaluating", 0.25)))
        if where == "agents":
            stop_after("START_DATA_COLLECTION_IN_PROGRESS", rng.randint(30 * SECOND, 15 * MINUTE))
        elif where == "collecting":
            stop_after("COLLECTING_DATA", collecting * rng.uniform(0.05, 0.95))
        elif where == "collected":
            stop_after("DATA_COLLECTED", rng.randint(500, MINUTE))
        else:
            stop_after("EVALUATING_RULES", evaluating * rng.uniform(0.1, 0.9))
            evaluated = rng.random() < 0.5  # some failed runs report what they found so far
    elif outcome == "ERROR":
        where = weighted(rng, (("CREATED", 0.15), ("START_DATA_COLLECTION_PENDING", 0.2),
                               ("START_DATA_COLLECTION_IN_PROGRESS", 0.2), ("COLLECTING_DATA", 0.15),
                               ("STOP_DATA_COLLECTION_PENDING", 0.1), ("EVALUATING_RULES", 0.2)))
        stop_after(where, collecting * rng.uniform(0.05, 0.95) if where == "COLLECTING_DATA"
                   else rng.randint(100, 5 * MINUTE))
    else:  # CANCELED: mostly stopped by hand while collecting
        where = weighted(rng, (("collecting", 0.7), ("starting", 0.2), ("pending", 0.1)))
        if where == "collecting":
            del changes[[s for s, _ in changes].index("COLLECTING_DATA") + 1:]
            enter("STOP_DATA_COLLECTION_PENDING", collecting * rng.uniform(0.02, 0.9))
            enter("CANCELED", rng.randint(SECOND, 30 * SECOND))
        elif where == "starting":
            stop_after("START_DATA_COLLECTION_IN_PROGRESS", rng.randint(SECOND, 2 * MINUTE))
        else:
            stop_after("START_DATA_COLLECTION_PENDING", rng.randint(200, 10 * SECOND))
    return changes, findings if evaluated else None


def sns_message(run: Run, event: str, at: int, detail: dict) -> str:
    """The JSON text Inspector published to the topic: ARNs, names and times only, so nothing needs escaping."""
    when = (EPOCH + datetime.timedelta(milliseconds=at)).strftime("%Y-%m-%dT%H:%M:%S") + f".{at % 1000:03d}Z"
    fields = {"template": run.template.arn, "run": run.arn, "time": when, "event": event,
              "target": run.template.target} | detail
    return "{" + ",".join(f'"{k}":"{v}"' for k, v in fields.items()) + "}"


def notifications(rng: random.Random, run: Run, lifetime: tuple) -> list:
    """What each of the template's topics was sent about the run, as (ms, event, message, error, topic, status)."""
    sent = []
    last_state, end = run.changes[-1]
    found = sum(run.findings.values()) if run.findings else 0
    for arn, events, delivery, deleted_at in run.template.topics:
        def send(at: int, event: str, detail: dict, bad_news: bool = False) -> None:
            if delivery == "denied":
                status = "ACCESS_DENIED"
            elif delivery == "deleted" and at >= lifetime[0] + (lifetime[1] - lifetime[0]) * deleted_at:
                status = "TOPIC_DOES_NOT_EXIST"
            elif rng.random() < (0.15 if delivery == "flaky" else 0.005):
                status = "INTERNAL_ERROR"
            else:
                status = "SUCCESS"
            message = None if rng.random() < 0.08 else sns_message(run, event, at, detail)
            if message is not None and rng.random() < 0.002:
                message = (message + " " + "#" * 1000)[:1000]  # as long as the API allows
            error = bad_news or (status != "SUCCESS" and rng.random() < 0.8)
            topic = arn
            if rng.random() < 0.003:  # both are optional
                topic = status = None
            sent.append((at, event, message, error, topic, status))

        started = False
        for state, at in run.changes:
            if state != "CREATED" and "ASSESSMENT_RUN_STATE_CHANGED" in events:
                send(at + rng.randint(20, 2500), "ASSESSMENT_RUN_STATE_CHANGED", {"newstate": state},
                     state in ("FAILED", "ERROR"))
            if state == "COLLECTING_DATA" and not started:
                started = True
                if "ASSESSMENT_RUN_STARTED" in events:
                    send(at + rng.randint(50, 3000), "ASSESSMENT_RUN_STARTED", {})
        if found and "FINDING_REPORTED" in events:
            evaluating = max(at for state, at in run.changes if state == "EVALUATING_RULES")
            for _ in range(min(found, rng.randint(1, 10))):
                send(rng.randint(evaluating, max(evaluating, end)), "FINDING_REPORTED",
                     {"finding": f"{run.arn}/finding/{identifier(rng)}"})
        if last_state in TERMINAL and "ASSESSMENT_RUN_COMPLETED" in events:
            counts = ", ".join(f"{p}={rng.randint(0, max(1, found))}" for p in run.template.packages)
            send(end + rng.randint(100, 5 * SECOND), "ASSESSMENT_RUN_COMPLETED", {"findingsCount": "{" + counts + "}"},
                 last_state in ("FAILED", "ERROR"))
    if run.template.topics and rng.random() < 0.01:
        sent.append((rng.randint(run.changes[0][1], end + 1), "OTHER",
                     rng.choice((None, "Agent health check: 2 agents unhealthy",
                                 "Assessment target has no EC2 instances with matching tags")),
                     rng.random() < 0.5, run.template.topics[0][0], "SUCCESS"))
    sent.sort(key=lambda n: n[0])
    return sent


def template_names(rng: random.Random, count: int) -> list:
    """Distinct names; about 2% hostile, taken in turn so that a corpus holds as many kinds as it can."""
    names, seen, hostile = [], set(), 0
    for _ in range(count):
        r = rng.random()
        if r < 0.02:
            name = HOSTILE_NAMES[hostile % len(HOSTILE_NAMES)]
            hostile += 1
        elif r < 0.70:
            name = f"{rng.choice(STAGES)}-{rng.choice(WORKLOADS)}-{rng.choice(CADENCES)}"
        elif r < 0.85:
            name = f"{rng.choice(('Assessment', 'Inspector', 'Security'))}-{rng.choice(WORKLOADS).title()}-" \
                   f"{rng.choice(('Weekly', 'Daily', 'AllRules', 'CVE', 'Baseline'))}"
        elif r < 0.97:
            name = f"{rng.choice(STAGES)}/{rng.choice(WORKLOADS)}/{rng.choice(CADENCES)} ({rng.choice(('eu', 'us'))})"
        else:  # long enough that run names reach the API's 140 characters
            name = "-".join(rng.choice(STAGES + WORKLOADS + CADENCES) for _ in range(30))
        unique, n = name, 2
        while unique in seen:
            unique, n = f"{name}-{n}", n + 1
        seen.add(unique)
        names.append(unique)
    if count >= 10 and not hostile:
        names[rng.randrange(1, count)] = HOSTILE_NAMES[rng.randrange(len(HOSTILE_NAMES))] + "\u00a0"
    return names


def run_name(template: Template, number: int, created: int) -> str:
    if template.run_names == "for":
        name = f"Run {number} for {template.name}"
    elif template.run_names == "dated":
        name = f"{template.name}-{(EPOCH + datetime.timedelta(milliseconds=created)).strftime('%Y-%m-%dT%H%M')}"
    else:
        name = f"Run - {template.name} - {number:03d}"
    return name[:140]


def make_runs(rng: random.Random, entries: int) -> tuple:
    """The runs of all templates, each placed on its template's calendar so that the newest snapshot is at `end`."""
    end = int((CAPTURED_BY - EPOCH).total_seconds() * SECOND) - rng.randrange(150 * DAY)
    accounts = []
    for _ in range(rng.randint(1, 4)):
        account = str(rng.randrange(10**11, 10**12))
        accounts += [(account, region) for region in rng.sample(REGIONS, rng.randint(1, 2))]
    unique = entries - round(entries * SHARE_OF_OTHER_SNAPSHOTS)
    sizes = []
    while sum(sizes) < unique:
        sizes.append(min(rng.randint(3, 30), unique - sum(sizes)))
    templates = [Template(rng, accounts, name) for name in template_names(rng, len(sizes))]
    runs, arns = [], set()
    outcomes = (("COMPLETED", 0.85), ("COMPLETED_WITH_ERRORS", 0.04), ("CANCELED", 0.04), ("FAILED", 0.045),
                ("ERROR", 0.025))
    flaky_outcomes = (("COMPLETED", 0.6), ("COMPLETED_WITH_ERRORS", 0.08), ("CANCELED", 0.04), ("FAILED", 0.18),
                      ("ERROR", 0.1))
    for template, size in zip(templates, sizes):
        plans = [lifecycle(rng, template, weighted(rng, flaky_outcomes if template.flaky else outcomes))
                 for _ in range(size)]
        starts = [0] * size
        newest = plans[-1][0]
        if template.active and rng.random() < 0.6:  # the newest run is still going at `end`
            plans[-1] = lifecycle(rng, template, "COMPLETED")
            changes = plans[-1][0]
            steps = tuple((i, CAUGHT_IN.get(changes[i][0], 0.01)) for i in range(len(changes) - 1)
                          if changes[i + 1][1] > changes[i][1])
            step = weighted(rng, steps)
            starts[-1] = end - rng.randint(changes[step][1], changes[step + 1][1] - 1)
        elif template.active:
            starts[-1] = end - newest[-1][1] - rng.randint(10 * MINUTE, max(10 * MINUTE, template.cadence))
        else:
            starts[-1] = end - newest[-1][1] - rng.randint(3 * DAY, 60 * DAY)
        for i in range(size - 2, -1, -1):
            start = starts[i + 1] - template.cadence + rng.randint(-template.cadence // 10, template.cadence // 10)
            if start + plans[i][0][-1][1] > starts[i + 1] - MINUTE:
                start = starts[i + 1] - plans[i][0][-1][1] - rng.randint(MINUTE, HOUR)
            starts[i] = start
        lifetime = (starts[0], max(starts[-1], starts[0] + 1))
        for number, ((changes, findings), start) in enumerate(zip(plans, starts), 1):
            arn = f"{template.arn}/run/{identifier(rng)}"
            while arn in arns:
                arn = f"{template.arn}/run/{identifier(rng)}"
            arns.add(arn)
            whole_seconds = rng.random() < 0.10  # same-second changes, and integers in the epoch form
            run = Run(template, arn, run_name(template, number, start))
            run.changes = [(s, start + at - ((start + at) % SECOND if whole_seconds else 0)) for s, at in changes]
            run.changes = [c for c in run.changes if c[1] <= end]
            run.findings = findings if run.changes[-1][0] in TERMINAL else None
            run.finding_keys = weighted(rng, (("all", 0.85), ("nonzero", 0.1), ("some", 0.05)))
            run.unfinished_counts = rng.choice(("empty", "zeros"))
            run.newest_first = rng.random() < 0.01
            sent = notifications(rng, run, lifetime)
            if whole_seconds:
                sent = [(n[0] - n[0] % SECOND,) + n[1:] for n in sent]
            run.notifications = [n for n in sent if n[0] <= end]
            finished = run.changes[-1][0] in TERMINAL
            run.captured = min(end, run.changes[-1][1] + rng.randint(2 * SECOND, 10 * MINUTE)) if finished else end
            runs.append(run)
    return runs, end


def entries_in_capture_order(rng: random.Random, runs: list, entries: int, end: int) -> list:
    """(captured at, run, seen up to ms or None for all of it): every run once, plus other snapshots of some."""
    listed = [(run.captured, i, None) for i, run in enumerate(runs)]
    several = [i for i, run in enumerate(runs) if len(run.changes) >= 3]
    while len(listed) < entries:
        i = rng.choice(several) if several else rng.randrange(len(runs))
        run = runs[i]
        if rng.random() < 0.25 or len(run.changes) < 3:  # polled again later: the same run
            listed.append((min(end, run.captured + rng.randint(HOUR, 3 * DAY)), i, None))
        else:  # polled while it was going
            seen = rng.randint(run.changes[1][1], max(run.changes[1][1], run.changes[-1][1] - 1))
            listed.append((seen + rng.randint(0, 999), i, seen) if seen < run.changes[-1][1]
                          else (min(end, run.captured + HOUR), i, None))
    listed.sort(key=lambda e: (e[0], e[1], -1 if e[2] is None else e[2]))
    return listed


def run_object(run: Run, seen: int | None, time) -> dict:
    """The run as describe-assessment-runs showed it at `seen`, its times written by `time`."""
    changes = run.changes if seen is None else [c for c in run.changes if c[1] <= seen]
    sent = run.notifications if seen is None else [n for n in run.notifications if n[0] <= seen]
    state, changed = changes[-1]
    finished = state in TERMINAL
    if finished and run.findings is not None:
        keep = {"all": lambda k: True, "nonzero": lambda k: run.findings[k] > 0,
                "some": lambda k: run.findings[k] > 0 or k in ("High", "Medium")}[run.finding_keys]
        counts = {k: run.findings[k] for k in SEVERITIES if keep(k)}
    else:
        counts = dict.fromkeys(SEVERITIES, 0) if run.unfinished_counts == "zeros" else {}
    template = run.template
    obj = {
        "arn": run.arn, "name": run.name, "assessmentTemplateArn": template.arn, "state": state,
        "durationInSeconds": template.duration, "rulesPackageArns": template.packages,
        "userAttributesForFindings": [{"key": k} if v is None else {"key": k, "value": v}
                                      for k, v in template.attributes],
        "createdAt": time(changes[0][1]),
    }
    started = next((at for s, at in changes if s == "COLLECTING_DATA"), None)
    if started is not None:
        obj["startedAt"] = time(started)
    if finished:
        obj["completedAt"] = time(changed)
    obj["stateChangedAt"] = time(changed)
    obj["dataCollected"] = any(s == "DATA_COLLECTED" for s, _ in changes)
    listed = [{"stateChangedAt": time(at), "state": s} for s, at in changes]
    if run.newest_first and all(a[1] < b[1] for a, b in zip(changes, changes[1:])):
        listed.reverse()  # only where the times tell the order, so that sorting them is unambiguous
    obj["stateChanges"] = listed
    notes = []
    for at, event, message, error, topic, status in sent[:MOST_STATE_CHANGES]:
        note = {"date": time(at), "event": event}
        if message is not None:
            note["message"] = message
        note["error"] = error
        if topic is not None:
            note["snsTopicArn"] = topic
        if status is not None:
            note["snsPublishStatusCode"] = status
        notes.append(note)
    obj["notifications"] = notes
    obj["findingCounts"] = counts
    return obj


def epoch_time(ms: int):
    return ms // SECOND if ms % SECOND == 0 else ms / SECOND


def iso_time(zone: tuple, digits: int):
    """ISO 8601 in the file's zone, with at least `digits` fraction digits and as many more as the value needs."""
    minutes, zulu = zone
    if minutes == 0:
        suffix = "Z" if zulu else "+00:00"
    else:
        suffix = f"{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    shift = datetime.timedelta(minutes=minutes)

    def write(ms: int) -> str:
        local = EPOCH + datetime.timedelta(milliseconds=ms) + shift
        fraction = f"{ms % SECOND:03d}".rstrip("0").ljust(digits, "0")
        return local.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + suffix
    return write


def boto3_time(ms: int) -> str:
    return str(EPOCH + datetime.timedelta(milliseconds=ms))


def failed_items(rng: random.Random, codes: list, batch: list, runs: list) -> dict:
    """Items the request named that the API could not describe; a DUPLICATE_ARN names a run of the same response."""
    items = {}
    for code in codes:
        template = rng.choice(runs).template
        if code == "DUPLICATE_ARN" and batch:
            arn = runs[rng.choice(batch)[1]].arn
        elif code == "INVALID_ARN":
            arn = rng.choice((f"{template.arn}/run/", identifier(rng), f"arn:aws:inspector::{template.account}:x",
                              f"arn:aws:inspector:{template.region}:{template.account}:run/{identifier(rng)}"))
        elif code == "ACCESS_DENIED":
            other = str(rng.randrange(10**11, 10**12))
            arn = f"arn:aws:inspector:{template.region}:{other}:target/{identifier(rng)}/template/" \
                  f"{identifier(rng)}/run/{identifier(rng)}"
        else:
            arn = f"{template.arn}/run/{identifier(rng)}"
        while arn in items:
            arn = f"{template.arn}/run/{identifier(rng)}"
        items[arn] = {"failureCode": code, "retryable": code in RETRYABLE}
    return items


def responses(seed: int, entries: int):
    """Each response of the corpus as (its number, its runs as (run, seen), its failed items, when it was taken)."""
    rng = random.Random(f"inspector-report benchmark {seed} {entries}")
    runs, end = make_runs(rng, entries)
    listed = entries_in_capture_order(rng, runs, entries, end)
    files = -(-len(listed) // RUNS_PER_RESPONSE)
    with_failures = set(rng.sample(range(files), min(files, max(6, round(files * SHARE_OF_FILES_WITH_FAILED_ITEMS)))))
    every_code = list(FAILURE_CODES)
    rng.shuffle(every_code)
    taken, number = 0, 0
    while taken < len(listed):
        codes = []
        if number in with_failures:
            for _ in range(rng.choice((1, 1, 1, 2))):
                codes.append(every_code.pop() if every_code else rng.choice(FAILURE_CODES))
        batch = listed[taken:taken + RUNS_PER_RESPONSE - len(codes)]
        taken += len(batch)
        yield number, [(runs[i], seen) for _, i, seen in batch], failed_items(rng, codes, batch, runs), \
            batch[-1][0] if batch else end
        number += 1


def response_text(seed: int, number: int, batch: list, failed: dict, taken_at: int, form: str, jsonl: bool) -> str:
    """One response as the client writes it; the form's choices for the file come from the file's own generator."""
    if form == "epoch":
        body = {"assessmentRuns": [run_object(run, seen, epoch_time) for run, seen in batch], "failedItems": failed}
        return json.dumps(body, ensure_ascii=False) if jsonl else json.dumps(body, indent=4, ensure_ascii=False)
    looks = random.Random(f"inspector-report benchmark {seed} {form} file {number}")
    if form == "iso":
        time = iso_time(looks.choice(ISO_ZONES), looks.randint(0, 6))
        body = {"assessmentRuns": [run_object(run, seen, time) for run, seen in batch], "failedItems": failed}
        return json.dumps(body, ensure_ascii=False) if jsonl else json.dumps(body, indent=4, ensure_ascii=False)
    body = {"assessmentRuns": [run_object(run, seen, boto3_time) for run, seen in batch], "failedItems": failed}
    request = "%08x-%04x-%04x-%04x-%012x" % tuple(looks.getrandbits(bits) for bits in (32, 16, 16, 16, 48))
    text = json.dumps(body)
    body["ResponseMetadata"] = {
        "RequestId": request, "HTTPStatusCode": 200,
        "HTTPHeaders": {"x-amzn-requestid": request, "content-type": "application/x-amz-json-1.1",
                        "content-length": str(len(text)),
                        "date": (EPOCH + datetime.timedelta(milliseconds=taken_at)).strftime(
                            "%a, %d %b %Y %H:%M:%S GMT")},
        "RetryAttempts": 0,
    }
    return json.dumps(body)


def main(argv: list) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, required=True, help="run entries to write, other snapshots included")
    ap.add_argument("--out", required=True, help="folder to write into; it must hold no snapshot files yet")
    ap.add_argument("--seed", type=int, default=1, help="what the corpus is drawn from (default 1)")
    ap.add_argument("--timestamps", choices=("epoch", "iso", "boto3"), default="epoch", help="default epoch")
    ap.add_argument("--jsonl", action="store_true", help="one response a line in DIR/snapshots.jsonl")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be positive")
    os.makedirs(args.out, exist_ok=True)
    if any(n.endswith((".json", ".jsonl")) for n in os.listdir(args.out)):
        ap.error(f"{args.out} already holds snapshot files")
    written = files = 0
    lines = open(os.path.join(args.out, "snapshots.jsonl"), "w", encoding="utf-8", newline="\n") \
        if args.jsonl else None
    try:
        for number, batch, failed, taken_at in responses(args.seed, args.runs):
            text = response_text(args.seed, number, batch, failed, taken_at, args.timestamps, args.jsonl) + "\n"
            if lines:
                lines.write(text)
            else:
                with open(os.path.join(args.out, f"snapshot-{number + 1:05d}.json"), "w", encoding="utf-8",
                          newline="\n") as f:
                    f.write(text)
            written += len(text.encode("utf-8"))
            files += 1
    finally:
        if lines:
            lines.close()
    print(f"wrote {args.runs} runs in {files} {'lines' if args.jsonl else 'files'}, {written} bytes, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
