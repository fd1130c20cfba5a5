"""The ``samverkan`` command table (bot.commands): parser, help and dispatch all come from its rows."""

from __future__ import annotations

import argparse

import pytest

from bot import cli
from bot.admin_commands import ADMIN_COMMANDS
from bot.commands import Command, add_commands


def test_the_help_lists_every_row_of_the_table_in_order(capsys):
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["--help"])
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps long help lines
    names = [command.name for command in cli.COMMANDS]
    assert names == ["run", "chat", "config", "db", "members", "export", "import", "gdpr", "report", "retention",
                     "audit", "manifest"]
    positions = [shown.index(f" {command.name} {command.help}") for command in cli.COMMANDS]
    assert positions == sorted(positions)


def test_the_admin_tools_bring_their_own_rows():
    assert {command.name for command in ADMIN_COMMANDS} == {"members", "export", "import", "gdpr", "report",
                                                          "retention", "audit"}
    assert all(command in cli.COMMANDS for command in ADMIN_COMMANDS)


def test_a_subcommand_lands_its_handler_and_its_group_name():
    args = cli._parser().parse_args(["import", "meetings", "möten.ics", "--forum", "operativa-bra"])
    assert (args.command, args.import_command, args.file, args.forum) == ("import", "meetings", "möten.ics",
                                                                          "operativa-bra")
    assert args.handle.__module__ == "bot.admin_commands"
    assert cli._parser().parse_args(["db", "upgrade"]).handle is cli._db_upgrade


def test_dispatch_calls_the_chosen_rows_handler():
    called = []
    table = (Command("hello", "säg hej", handle=lambda args, settings: called.append(args.command) or 0),
             Command("group", "en grupp", subcommands=(
                 Command("inner", "inne", lambda parser: parser.add_argument("--x"),
                         lambda args, settings: called.append(args.x) or 7),)))
    parser = argparse.ArgumentParser(prog="t")
    add_commands(parser, table)
    args = parser.parse_args(["group", "inner", "--x", "1"])
    assert args.group_command == "inner" and args.handle(args, None) == 7
    args = parser.parse_args(["hello"])
    assert args.handle(args, None) == 0
    assert called == ["1", "hello"]


def test_a_row_is_a_command_or_a_group_not_both_nor_neither():
    with pytest.raises(ValueError):
        Command("empty", "inget")
    with pytest.raises(ValueError):
        Command("both", "båda", handle=lambda args, settings: 0, subcommands=(Command("x", "x", handle=print),))
