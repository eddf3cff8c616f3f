"""One module per `python -m scrutiny <command>`; each has register(subparsers)."""
