import sys

from scrutiny.cli import main

sys.exit(main())
