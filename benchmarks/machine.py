"""What machine a benchmark ran on: printed with every figure (a figure without it is noise)."""

import os
import platform
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def about(**versions: str) -> dict[str, Any]:
    """CPUs, processor, system and Python, with the versions of what was measured."""
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu_model(),
        "system": platform.platform(),
        "python": platform.python_version(),
        **versions,
    }
