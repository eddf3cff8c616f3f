import os
import sys

from scrutiny.commands.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # `python -m scrutiny yoy ... | head`: the reader stopped reading, which is not an error. Python's
    # documented recipe: point stdout at /dev/null so the exit's own flush does not fail again.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
sys.exit(code)
