"""How ``foi`` reads on the command line: metavars, usage lines and global options.

:class:`FoiGroup` is the Typer group class of the ``foi`` app. When Typer builds it, it
walks every command once and

- gives each parameter a metavar a person understands (``FILE``, ``PATH``, ``N``, ``DATE``)
  unless the command chose one, and none at all on flags (Typer shows ``<bool>``);
- writes arguments plainly in the usage line (``foi check [OPTIONS] FILE``, not
  ``{claims_file}``);
- accepts the group's options (``--verbose``, ``--quiet``, ``--base-url``, ``--contact``,
  ``--offline``) after the command as well as before it, listed under "Global options" in
  every command's help. A command that defines an option of the same name keeps its own.

Commands added later by anyone get the same treatment without doing anything.
"""

from __future__ import annotations

import copy
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

GLOBAL_PANEL = "Global options"
# options of the group that only make sense before the command
NOT_REPEATED = {"version", "help"}


def default_metavar(param: TyperOption) -> str:
    """A readable metavar from the parameter's annotation."""
    kind = param.type_descriptor
    if kind.is_path:
        return "PATH"
    if kind.is_datetime:
        return "DATE"
    if kind.is_choice:
        return "|".join(str(choice) for choice in kind.choices or ())
    item = param.bare_type().removeprefix("list[").removesuffix("]")
    return {"int": "N", "float": "NUMBER"}.get(item, "TEXT")


class PlainArgument(TyperArgument):
    """An argument shown as its metavar alone: ``FILE``, ``[QUERY]``, ``PATH...``."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self._plain_name()

    def _usage_display_name(self) -> str:
        name = self._plain_name()
        return name if self.required else f"[{name}]"

    def _plain_name(self) -> str:
        name = self.metavar or (self.name or "").upper()
        return f"{name}..." if self.nargs != 1 else name


def tidy_parameter(param: object) -> None:
    """Metavars for one parameter, in place."""
    if isinstance(param, TyperArgument):
        if param.metavar is None:
            param.metavar = (param.name or "").upper()
        param.__class__ = PlainArgument
    elif isinstance(param, TyperOption) and param.metavar is None:
        param.metavar = "" if (param.is_flag or param.count) else default_metavar(param)


def option_names(command: Any) -> set[str]:
    return {name for p in command.params for name in (*p.opts, *p.secondary_opts)}


class FoiGroup(TyperGroup):
    """The ``foi`` group: tidy metavars everywhere, global options on every command.

    :meth:`set_global` is called with (parameter name, value) when a global option is
    given after a command; the group's own callback handles it before the command.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for param in self.params:
            tidy_parameter(param)
        tidy_parameter(self._help(self))
        for command in self.commands.values():
            for param in command.params:
                tidy_parameter(param)
            tidy_parameter(self._help(command))
            self._repeat_global_options(command)

    def _help(self, command: Any) -> object:
        """The command's --help option, made now (click makes it on first use) to tidy it."""
        names = (self.context_settings or {}).get("help_option_names", ["--help"])
        return command.get_help_option(typer.Context(command, help_option_names=names))

    def _repeat_global_options(self, command: Any) -> None:
        taken = option_names(command)
        for param in self.params:
            if not isinstance(param, TyperOption) or param.name in NOT_REPEATED:
                continue
            if taken & {*param.opts, *param.secondary_opts}:
                continue
            command.params.append(self._repeated(param))

    def _repeated(self, param: TyperOption) -> TyperOption:
        clone = copy.copy(param)
        target = param.name or ""
        clone.name = f"global_{target}"
        clone.expose_value = False
        clone.envvar = None  # the group reads the environment once
        clone.is_eager = False
        clone.show_default = False
        clone.rich_help_panel = GLOBAL_PANEL

        def apply(ctx: Any, _param: Any, value: Any) -> Any:
            source = ctx.get_parameter_source(clone.name or "")
            if source is not None and source.name == "COMMANDLINE":
                self.set_global(target, value)
            return value

        clone.callback = apply
        return clone

    def set_global(self, name: str, value: Any) -> None:
        """Override: apply a global option given after the command."""
