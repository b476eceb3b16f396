"""The command line (`vnplanparse`): thin commands over the stages.

commands.py holds every subcommand; main is re-exported here for the console script."""

from .commands import main
