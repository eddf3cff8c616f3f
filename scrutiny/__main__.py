import sys

from scrutiny.commands.cli import main

sys.exit(main())
