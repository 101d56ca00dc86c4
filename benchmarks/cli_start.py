"""CPU time to start the command line: `relance --help` and `relance status` on the demo.

    python benchmarks/cli_start.py [--runs 3]

Builds the demo database in a temporary directory once, then runs `python -c pass`,
`relance --help` and `relance status` there, each --runs times, and prints the best CPU time
(user + sys of the child process) of each beside its target. CPU time, not wall time: it is
what the imports cost, and it does not grow when other work loads the machine, as wall time does.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import about  # benchmarks/machine.py, beside this script

TARGETS = {"relance --help": 0.40, "relance status": 0.80}  # seconds of CPU, best of the runs


def relance_command() -> list[str]:
    """The `relance` script installed beside this Python, as a person types it; else -m."""
    script = Path(sys.executable).parent / "relance"
    return [str(script)] if script.exists() else [sys.executable, "-m", "relance"]


def cpu_seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """User + sys CPU time of one run of `command` (and of whatever it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(  # noqa: S603 - this Python or the relance script beside it, our arguments
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # the replay's clock line
        check=True,
        timeout=600,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("machine:", json.dumps(about()))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # The database of the temporary directory, not one the environment points at; and the
    # modules' bytecode kept, as an installed relance has it: without it, every run compiles
    # relance's own modules again, and that is not what a start costs.
    dropped = {"RELANCE_DATABASE_URL", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    relance = relance_command()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        subprocess.run(  # noqa: S603 - as above
            [*relance, "demo", "--dir", str(where)],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
            timeout=600,
        )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "relance --help": [*relance, "--help"],
            "relance status": [*relance, "status"],
        }
        for name, command in commands.items():
            best = min(cpu_seconds(command, where, env) for _ in range(args.runs))
            target = TARGETS.get(name)
            verdict = (
                f"(target <= {target:.2f} s: {'met' if best <= target else 'NOT met'})"
                if target is not None
                else "(the interpreter alone)"
            )
            print(f"{name:<16} {best:.3f} s CPU, best of {args.runs} {verdict}")


if __name__ == "__main__":
    main()
