class UserError(Exception):
    """A problem with the user's input (a bad month, a malformed file), reported as one line
    on stderr and exit code 2 by the command line."""
