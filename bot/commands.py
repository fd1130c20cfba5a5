"""The shape of a ``samverkan`` command: one table row names it, says what it is for, and runs it.

bot/cli.py builds the argument parser and its help from the table and dispatches on it; the process
commands are defined there, the admin tools' rows in bot/admin_commands.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.config import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes nothing beyond its name."""


@dataclass(frozen=True)
class Command:
    """A command (``handle`` runs it) or a group of subcommands (``samverkan members add``)."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    handle: Handler | None = None
    subcommands: tuple[Command, ...] = ()

    def __post_init__(self) -> None:
        if (self.handle is None) == (not self.subcommands):
            raise ValueError(f"command {self.name!r} needs either a handler or subcommands")


def add_commands(parent: argparse.ArgumentParser, commands: Iterable[Command], dest: str = "command") -> None:
    """Adds the commands to ``parent`` as subcommands, their help from the table.

    The chosen name lands in ``args.<dest>`` (``command``, then ``<name>_command`` one level down) and its
    handler in ``args.handle``.
    """
    choices = parent.add_subparsers(dest=dest, required=True)
    for command in commands:
        parser = choices.add_parser(command.name, help=command.help)
        command.arguments(parser)
        if command.subcommands:
            add_commands(parser, command.subcommands, dest=f"{command.name}_command")
        else:
            parser.set_defaults(handle=command.handle)
