"""Fuzzing every importer through the real commands: a corpus of damaged files, each given to
its `relance` command in a process of its own, under a memory limit (RLIMIT_AS) and a timeout.
The process is forked from this one, which imported relance's command line once (starting
`relance` takes seconds on a loaded machine); --exec starts the installed script each time.

Valid seeds come from relance itself: the shipped vivalia-2022 scenario and rules, the assets
CSV of the documentation's example, `relance appointments generate` (CSV, NDJSON, and a Bundle
of the same resources), `relance snapshot census`, the machines of `relance assets list`, and
age keys. Each seed is damaged in the ways files are: truncated, bytes flipped, re-encoded
(UTF-16, Windows-1252, BOM, CRLF), other separators, a giant value or line, nesting, aliases,
NULs and control characters, repeated keys and lines, not a file at all, over the size limit.

Each variant ends one of these ways: applied (exit 0), refused (exit 2 with a message and no
traceback), traceback (anything else), hang (the timeout), memory (MemoryError or killed). A
refused variant must leave the database (or the snapshot directory) exactly as it was: any
difference is counted as a partial write. Exit status 1 if any variant is not applied or
refused, or wrote partially.

Run from the repository root:

    .venv/bin/python benchmarks/fuzz_importers.py                    # every importer
    .venv/bin/python benchmarks/fuzz_importers.py --only rules --only states --jobs 2
    .venv/bin/python benchmarks/fuzz_importers.py --json
"""

import argparse
import codecs
import hashlib
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyrage import x25519

from machine import about  # benchmarks/machine.py, beside this script
from relance.cli.main import app as cli  # imported once: each command runs in a forked child

ROOT = Path(__file__).resolve().parent.parent
RELANCE = str(Path(sys.executable).parent / "relance")
SCENARIO = ROOT / "src/relance/scenarios/vivalia-2022/scenario.yaml"
RULES = ROOT / "src/relance/rules/triage.yaml"
EXAMPLES = ROOT / "docs/examples"
MEMORY = 1536 << 20  # bytes of address space per command: a normal run needs under 1 GiB
TIMEOUT = 180.0  # seconds per command: a loaded machine takes 10 s to start one
OUTCOMES = ("applied", "refused", "traceback", "hang", "memory")
EXEC = False  # --exec: each child starts the relance script instead of calling the imported CLI
# (how the variant was made, its bytes); None: a directory there; an int: a file of that many
# bytes (sparse, so that "over the size limit" costs no disk)
Made = tuple[str, bytes | int | None]


# --- damage ------------------------------------------------------------------------------------


def generic(seed: bytes, rng: random.Random, limit: int) -> list[Made]:
    """What can happen to any file."""
    text = seed.decode("utf-8")
    accented = text.replace("e", "é", 3)
    out: list[Made] = [
        ("empty", b""),
        ("a directory", None),
        ("random bytes", rng.randbytes(4096)),
        ("an Excel workbook", b"PK\x03\x04" + rng.randbytes(2000)),
        ("gzip", b"\x1f\x8b\x08" + rng.randbytes(500)),
        ("UTF-16", accented.encode("utf-16")),
        ("UTF-16 without BOM", accented.encode("utf-16-le")),
        ("Windows-1252", accented.encode("cp1252", "replace")),
        ("UTF-8 BOM", codecs.BOM_UTF8 + seed),
        ("CRLF", seed.replace(b"\n", b"\r\n")),
        ("CR only", seed.replace(b"\n", b"\r")),
        ("over the size limit", limit + 1),
    ]
    for at in sorted(rng.randrange(len(seed)) for _ in range(4)):
        out.append((f"truncated at byte {at}", seed[:at]))
    for n in range(4):
        data = bytearray(seed)
        for _ in range(3):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        out.append((f"3 bits flipped ({n + 1})", bytes(data)))
    for token in (b"\0", b"\x1b[2J", b'"', b"\xff\xfe", b"\n\n\n", b"\\u0000"):
        at = rng.randrange(len(seed))
        out.append((f"{token!r} inserted at byte {at}", seed[:at] + token + seed[at:]))
    lines = seed.split(b"\n")
    i = rng.randrange(1, max(2, len(lines) - 1))
    out.append(
        (f"line {i + 1} repeated 3 times", b"\n".join(lines[:i] + [lines[i]] * 3 + lines[i:]))
    )
    out.append((f"line {i + 1} deleted", b"\n".join(lines[:i] + lines[i + 1 :])))
    out.append(
        (
            f"line {i + 1} cut in half",
            b"\n".join([*lines[:i], lines[i][: len(lines[i]) // 2], *lines[i + 1 :]]),
        )
    )
    out.append(
        ("a 200 KB value", b"\n".join([*lines[:i], lines[i] + b"x" * 200_000, *lines[i + 1 :]]))
    )
    return out


def csv_damage(seed: bytes, rng: random.Random) -> list[Made]:
    lines = seed.split(b"\n")
    out: list[Made] = [
        (f"separator {s!r}", seed.replace(b",", s)) for s in (b";", b"\t", b"|", b" ")
    ]
    out += [
        ("no header", b"\n".join(lines[1:])),
        ("header only", lines[0] + b"\n"),
        ("unclosed quote", b"\n".join([lines[0], b'"' + lines[1], *lines[2:]])),
        (
            "a value in quotes over many lines",
            b"\n".join([lines[0], lines[1].replace(b",", b',"', 1) + b'\n\n\n"', *lines[2:]]),
        ),
        ("extra values", b"\n".join([lines[0], lines[1] + b",x,y,z", *lines[2:]])),
        ("a 40 MB line", seed + b"y" * (40 << 20) + b"\n"),
    ]
    return out


def yaml_damage(seed: bytes, rng: random.Random) -> list[Made]:
    text = seed.decode("utf-8")
    first_key = next(line for line in text.splitlines() if re.match(r"^\w+:", line))
    laughs = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    return [
        ("nested 10,000 deep", (text + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n").encode()),
        (
            "nested 100 deep in blocks",
            (
                text + "".join("  " * d + f"k{d}:\n" for d in range(100)) + "  " * 100 + "end: 1\n"
            ).encode(),
        ),
        ("a billion laughs", (laughs + text).encode()),
        ("an alias inside its anchor", (text + "loop: &loop [*loop]\n").encode()),
        ("a key given twice", (text + first_key + "\n").encode()),
        ("a Python tag", (text + "run: !!python/object/apply:os.system ['true']\n").encode()),
        ("tabs for indentation", text.replace("  ", "\t").encode()),
        (
            "numbers .inf",
            re.sub(r"(weight|capacity_below|rebuild_hours): [\d.]+", r"\1: .inf", text).encode(),
        ),
        (
            "numbers 1e300",
            re.sub(r"(weight|capacity_below|rebuild_hours): [\d.]+", r"\1: 1.0e300", text).encode(),
        ),
        (
            "an integer of 5,000 digits",
            re.sub(r"(version|seed|size): \d+", r"\1: " + "9" * 5000, text, count=1).encode(),
        ),
        (
            "a name of a megabyte",
            re.sub(r"^name: .*$", "name: " + "x" * 1_000_000, text, count=1, flags=re.M).encode(),
        ),
        (
            "a NUL written as an escape",
            re.sub(r"^name: (.*)$", r'name: "\1\\0"', text, count=1, flags=re.M).encode(),
        ),
        ("a date of month 13", (text + "when: 2022-13-45\n").encode()),
        ("two documents", (text + "---\n" + text).encode()),
        ("a list at the top", b"- " + seed.replace(b"\n", b"\n  ")),
        ("a 5 MB file", seed + b"#" * (5 << 20)),
    ]


def json_damage(seed: bytes, rng: random.Random, ndjson: bool) -> list[Made]:
    text = seed.decode("utf-8")
    lines = text.splitlines()
    deep = '{"resourceType": "Bundle", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}"
    no_id = re.sub(r'"id": ?"[^"]*", ?', "", text, count=3)
    out: list[Made] = [
        ("[]", b"[]"),
        ("42", b"42"),
        ("null", b"null"),
        ("a Bundle whose entry is null", b'{"resourceType": "Bundle", "entry": null}'),
        ("a Bundle whose entry is 7", b'{"resourceType": "Bundle", "entry": 7}'),
        ("nested 100,000 deep", deep.encode()),
        ("ids removed", no_id.encode()),
        ("a NUL in a name", text.replace('"family": "', '"family": "\\u0000', 1).encode()),
        (
            "a number 1e999",
            re.sub(r'"(start|end)": "[^"]*"', '"\\1": 1e999', text, count=1).encode(),
        ),
        ("NaN", text.replace('"status": "booked"', '"status": NaN', 1).encode()),
        (
            "a day without a time",
            re.sub(r'"start": ?"(\d{4}-\d\d-\d\d)[^"]*"', r'"start": "\1"', text).encode(),
        ),
        (
            "strings where lists are",
            re.sub(
                r'"(participant|identifier|telecom|location)": \[', r'"\1": "x", "unused": [', text
            ).encode(),
        ),
    ]
    if ndjson:
        out += [
            (
                "a scalar line",
                ("\n".join([*lines[:2], '"text"', "42", *lines[2:]]) + "\n").encode(),
            ),
            (
                "a line nested 100,000 deep",
                ("\n".join([*lines[:2], deep, *lines[2:]]) + "\n").encode(),
            ),
            (
                "every line twice",
                ("\n".join(line for line in lines for _ in (1, 2)) + "\n").encode(),
            ),
            (
                "a 40 MB line",
                (
                    "\n".join(
                        [
                            *lines[:2],
                            '{"resourceType": "Patient", "id": "' + "x" * (40 << 20) + '"}',
                            *lines[2:],
                        ]
                    )
                    + "\n"
                ).encode(),
            ),
        ]
    return out


def keys_damage(seed: bytes, rng: random.Random) -> list[Made]:
    lines = seed.split(b"\n")
    return [
        ("a garbage line", seed + b"not a key at all\n"),
        ("a key cut short", b"\n".join(line[:30] for line in lines)),
        ("an SSH key line of garbage", seed + b"ssh-ed25519 AAAAgarbage\n"),
        (
            "a PEM block of garbage",
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        ),
        ("a 2 MB file", seed + b"#" * (2 << 20)),
        ("only comments", b"# nothing\n# here\n"),
    ]


# --- the importers and their commands ------------------------------------------------------


@dataclass
class Importer:
    name: str
    file: str  # the damaged file's name in the variant's directory
    seed: bytes
    command: str  # relance's arguments; {file} and {dir} are replaced
    limit: int  # the reading layer's size limit for this kind of file
    format: str  # the damage of this format besides the generic: csv, yaml, ndjson, json, keys
    database: bool = True  # runs on a copy of the base database
    companions: dict[str, Path] = field(default_factory=dict)  # copied beside the file


@dataclass
class Result:
    importer: str
    variant: str
    outcome: str
    partial: bool
    seconds: float
    named: bool  # a refusal's message names the file
    peak_mib: float = 0.0  # the command's largest resident set
    detail: str = ""


@dataclass
class Running:
    importer: Importer
    variant: str
    where: Path
    before: str  # fingerprint of what the command may write
    pid: int
    began: float = field(default_factory=time.monotonic)
    killed: bool = False


def launch(base: Path, importer: Importer, index: int, made: Made, work: Path) -> Running:
    """Lay out the variant's files, then run its command in a child process."""
    where = work / f"{importer.name.replace(' ', '-')}-{index:03d}"
    where.mkdir(parents=True)
    for name, source in importer.companions.items():
        if source.is_dir():
            shutil.copytree(source, where / name)
        else:
            shutil.copy(source, where / name)
    target = where / importer.file
    target.unlink(missing_ok=True)  # a companion's copy, replaced by the variant
    how, data = made
    if data is None:
        target.mkdir(parents=True, exist_ok=True)
    elif isinstance(data, int):
        with target.open("wb") as handle:
            handle.truncate(data)
    else:
        target.write_bytes(data)
    if importer.database:
        shutil.copy(base / "relance.db", where / "relance.db")
    before = fingerprint(where)
    argv = importer.command.format(file=target, dir=where).split()
    pid = os.fork()
    if pid == 0:
        _child(where, argv)
    return Running(importer, how, where, before, pid)


def _child(where: Path, argv: list[str]) -> None:
    """The command, as the `relance` script runs it, in this forked process; never returns."""
    code = 1
    try:
        os.chdir(where)
        os.environ.update(
            RELANCE_DATABASE_URL=f"sqlite:///{where / 'relance.db'}",
            RELANCE_ACTOR="fuzz",
            RELANCE_TIMEZONE="Europe/Brussels",
            COLUMNS="200",
        )
        for fd, name in ((1, "stdout"), (2, "stderr")):
            os.dup2(os.open(where / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if EXEC:
            os.execv(RELANCE, [RELANCE, *argv])  # noqa: S606 - relance itself
        try:
            cli(argv, prog_name="relance")
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else int(done.code is not None)
        except BaseException:  # noqa: BLE001 - what the script would print: a traceback
            traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def judge(running: Running, status: int, usage: resource.struct_rusage) -> Result:
    """The outcome of a finished (or killed) command, and whether it wrote what it refused."""
    seconds = time.monotonic() - running.began
    stderr = (running.where / "stderr").read_text(encoding="utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if running.killed:
        outcome = "hang"
    elif "MemoryError" in stderr or code < 0:
        outcome = "memory"
    elif "Traceback" in stderr:
        outcome = "traceback"
    elif code == 0:
        outcome = "applied"
    elif code == 2 and stderr.lstrip().startswith("error:"):
        outcome = "refused"
    else:
        outcome = "traceback"
    partial = outcome != "applied" and fingerprint(running.where) != running.before
    named = outcome == "refused" and Path(running.importer.file).name in stderr
    detail = "" if outcome in ("applied", "refused") and not partial else stderr[-800:]
    shutil.rmtree(running.where, ignore_errors=True)
    name, peak = running.importer.name, usage.ru_maxrss / 1024
    return Result(name, running.variant, outcome, partial, seconds, named, peak, detail)


def run_all(
    base: Path, jobs: list[tuple[Importer, int, Made]], work: Path, at_once: int
) -> list[Result]:
    """Every job, `at_once` commands at a time; one over TIMEOUT seconds is killed (a hang)."""
    pending, running, results = list(jobs), dict[int, Running](), list[Result]()
    while pending or running:
        while pending and len(running) < at_once:
            started = launch(base, *pending.pop(0), work)
            running[started.pid] = started
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid:
            results.append(judge(running.pop(pid), status, usage))
            done = results[-1]
            print(f"{len(results)}/{len(jobs)} {done.importer}: {done.variant}: {done.outcome}"
                  f"{' PARTIAL' if done.partial else ''}", file=sys.stderr, flush=True)  # fmt: skip
            continue
        for late in running.values():
            if not late.killed and time.monotonic() - late.began > TIMEOUT:
                os.kill(late.pid, signal.SIGKILL)
                late.killed = True
        time.sleep(0.05)
    return results


def fingerprint(where: Path) -> str:
    """What a command may write: the database's rows, or the snapshots directory's files."""
    digest = hashlib.sha256()
    database = where / "relance.db"
    if database.exists():
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            tables = [
                t
                for (t,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                )
            ]
            for table in tables:
                rows = sorted(repr(r) for r in connection.execute(f'SELECT * FROM "{table}"'))  # noqa: S608 - names from sqlite_master
                digest.update(f"{table}:{len(rows)}:{''.join(rows)}".encode())
        connection.close()
    snapshots = where / "snapshots"
    if snapshots.is_dir():
        for path in sorted(snapshots.rglob("*")):
            digest.update(str(path.relative_to(where)).encode())
    return digest.hexdigest()


# --- the seeds, made by relance --------------------------------------------------------------


def relance(command: str, cwd: Path) -> str:
    """Run `relance COMMAND` (words without spaces) on the base database; stop if it fails."""
    env = {**os.environ, "RELANCE_DATABASE_URL": f"sqlite:///{cwd / 'relance.db'}"}
    done = subprocess.run(  # noqa: S603 - relance itself, on files this script made
        [RELANCE, *command.split()], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"relance {command} failed:\n{done.stderr}")
    return done.stdout


BUILD = "snapshot build --fhir {dir}/census --out {dir}/snapshots --recipients {dir}/laptops.txt"
KEYS, YAML, TABLE, LINE, JSON = 1 << 20, 4 << 20, 256 << 20, 32 << 20, 256 << 20


def prepare(base: Path) -> list[Importer]:
    """The base database (vivalia-2022 and a week of appointments) and every importer's seed."""
    relance(f"init --scenario {SCENARIO}", base)
    for name in ("book.csv", "book.ndjson"):
        relance(f"appointments generate --week 2022-05-16 --out {base / name} --scale 0.01", base)
    relance(f"appointments import {base / 'book.csv'}", base)
    listed = json.loads(relance("assets list --state compromised --limit 60 --json", base))
    hosts = [a["hostname"] for a in listed["assets"]]
    states = "hostname,state,evidence,reason\n" + "".join(f"{h},isolated,,cut\n" for h in hosts)
    book = (base / "book.ndjson").read_text(encoding="utf-8").splitlines()
    bundle = {"resourceType": "Bundle", "entry": [{"resource": json.loads(r)} for r in book]}
    relance(f"snapshot census --out {base / 'census'} --patients 30", base)
    key = x25519.Identity.generate()
    (base / "laptops.txt").write_text(f"# downtime laptops\n{key.to_public()}\n", encoding="utf-8")
    (base / "laptop.key").write_text(f"# public key: {key.to_public()}\n{key}\n", encoding="utf-8")
    relance(BUILD.format(dir=base) + " --workers 1", base)
    census = {name: base / name for name in ("census", "laptops.txt", "snapshots")}
    build = BUILD + " --workers 1"
    yaml_, csv_, ndjson, bundle_json, keys = "yaml", "csv", "ndjson", "json", "keys"
    return [
        Importer("scenario", "scenario.yaml", SCENARIO.read_bytes(), "init --scenario {file}",
                 YAML, yaml_, database=False),
        Importer("assets", "small-assets.csv", (EXAMPLES / "small-assets.csv").read_bytes(),
                 "init --scenario {dir}/scenario.yaml", TABLE, csv_, database=False,
                 companions={"scenario.yaml": EXAMPLES / "small-network-assets.yaml"}),
        Importer("states", "report.csv", states.encode(), "assets import-states {file}",
                 TABLE, csv_),
        Importer("scanner", "scanned.txt", "".join(f"{h.lower()}\n" for h in hosts).encode(),
                 "assets import-states {file} --to isolated", TABLE, ""),
        Importer("rules", "rules.yaml", RULES.read_bytes(),
                 "appointments triage --rules {file}", YAML, yaml_),
        Importer("book.csv", "book.csv", (base / "book.csv").read_bytes(),
                 "appointments import {file}", TABLE, csv_),
        Importer("book.ndjson", "book.ndjson", (base / "book.ndjson").read_bytes(),
                 "appointments import {file}", JSON, ndjson),
        Importer("book.json", "book.json", json.dumps(bundle, indent=1).encode(),
                 "appointments import {file}", JSON, bundle_json),
        Importer("census", "census/Encounter.ndjson",
                 (base / "census/Encounter.ndjson").read_bytes(), build, JSON, ndjson,
                 database=False, companions=census),
        Importer("census patients", "census/Patient.ndjson",
                 (base / "census/Patient.ndjson").read_bytes(), build, JSON, ndjson,
                 database=False, companions=census),
        Importer("recipients", "laptops.txt", (base / "laptops.txt").read_bytes(), build,
                 KEYS, keys, database=False,
                 companions={"census": base / "census", "snapshots": base / "snapshots"}),
        Importer("identities", "laptop.key", (base / "laptop.key").read_bytes(),
                 "snapshot verify {dir}/snapshots --identity {file}", KEYS, keys,
                 database=False, companions={"snapshots": base / "snapshots"}),
    ]  # fmt: skip


def variants(importer: Importer, rng: random.Random) -> list[Made]:
    """The generic damage and the damage of the importer's format."""
    seed, made = importer.seed, generic(importer.seed, rng, importer.limit)
    if importer.format == "csv":
        made += csv_damage(seed, rng)
    elif importer.format == "yaml":
        made += yaml_damage(seed, rng)
    elif importer.format in ("ndjson", "json"):
        made += json_damage(seed, rng, ndjson=importer.format == "ndjson")
    elif importer.format == "keys":
        made += keys_damage(seed, rng)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="An importer's name (repeatable).")
    parser.add_argument("--jobs", type=int, default=2, help="Commands run at once.")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--exec", action="store_true", help="Start the relance script for each file (slower)."
    )
    args = parser.parse_args(argv)
    global EXEC  # noqa: PLW0603 - read by the forked children
    EXEC = args.exec
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="relance-fuzz-") as temporary:
        base, work = Path(temporary) / "base", Path(temporary) / "work"
        base.mkdir()
        importers = [i for i in prepare(base) if not args.only or i.name in args.only]
        jobs = [
            (importer, n, made)
            for importer in importers
            for n, made in enumerate(
                variants(importer, random.Random(f"{args.seed}{importer.name}"))
            )
        ]
        results = run_all(base, jobs, work, args.jobs)
    return report(results, time.perf_counter() - started, args.json)


def report(results: list[Result], seconds: float, as_json: bool) -> int:
    peak_mib = max((r.peak_mib for r in results), default=0.0)
    by_importer: dict[str, Counter[str]] = {}
    for r in results:
        counts = by_importer.setdefault(r.importer, Counter())
        counts[r.outcome] += 1
        counts["partial"] += r.partial
        counts["named"] += r.named
    total = sum(by_importer.values(), Counter())
    bad = [r for r in results if r.outcome not in ("applied", "refused") or r.partial]
    summary: dict[str, Any] = {
        "variants": len(results),
        "outcomes": {o: total[o] for o in OUTCOMES},
        "partial_writes": total["partial"],
        "refusals_naming_the_file": total["named"],
        "by_importer": {
            name: {o: c[o] for o in (*OUTCOMES, "partial", "named")}
            for name, c in by_importer.items()
        },
        "slowest": max(
            ((r.seconds, f"{r.importer}: {r.variant}") for r in results), default=(0, "")
        ),
        "peak_rss_mib": round(peak_mib),
        "memory_limit_mib": MEMORY >> 20,
        "timeout_s": TIMEOUT,
        "seconds": round(seconds),
        "load_average": os.getloadavg(),
        "machine": about(),
        "failures": [
            {
                "importer": r.importer,
                "variant": r.variant,
                "outcome": r.outcome,
                "partial": r.partial,
                "stderr": r.detail,
            }
            for r in bad
        ],
    }
    if as_json:
        print(json.dumps(summary, indent=2, default=str))
        return 1 if bad else 0
    print(
        f"{'importer':<16}{'variants':>9}"
        + "".join(f"{o:>10}" for o in OUTCOMES)
        + f"{'partial':>9}{'named':>7}"
    )
    for name, c in by_importer.items():
        print(
            f"{name:<16}{sum(c[o] for o in OUTCOMES):>9}"
            + "".join(f"{c[o]:>10}" for o in OUTCOMES)
            + f"{c['partial']:>9}{c['named']:>7}"
        )
    print(
        f"{'all':<16}{len(results):>9}"
        + "".join(f"{total[o]:>10}" for o in OUTCOMES)
        + f"{total['partial']:>9}{total['named']:>7}"
    )
    slowest_seconds, slowest = summary["slowest"]
    print(f"slowest: {slowest}, {slowest_seconds:.1f} s; timeout {TIMEOUT:.0f} s")
    print(f"peak RSS of a command: {peak_mib:.0f} MiB (address space limit {MEMORY >> 20} MiB)")
    print(f"{seconds:.0f} s in all; load average {os.getloadavg()}; {about()}")
    for r in bad:
        partial = " + PARTIAL WRITE" if r.partial else ""
        print(f"\n{r.outcome.upper()}{partial}: {r.importer}: {r.variant}\n{r.detail}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
