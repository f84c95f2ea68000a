"""Loading user code from disk: `pb_hooks/*.py` at `serve` start (and the import helper that
`pb_migrations/*.py` share).

User files are never frozen into the binary: each is imported from its path at run time with
importlib, under a private package named after its folder (`pb_hooks.<stem>`,
`pb_migrations.<stem>`) whose `__path__` is that folder. So a hook file can import the standard
library, palapy and its own helpers (`from pb_hooks import _shared`); files whose name starts
with `_` are such helpers and are not loaded by themselves.

A hook file registers its handlers in `setup(app)`:

    from palapy.tools.errors import ApiError

    def setup(app):
        def stamp(e):
            e.record["title"] = e.record["title"].strip()
            return e.next()
        app.hooks.on_record_create.bind_for(["posts"], stamp)

Model hooks (`on_record_create`, ...) run on the database writer thread inside the write
transaction: use `e.conn` for SQL there (`app.db.write_sync` from there joins that transaction).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import json
import re
import sys
import traceback
import types
from pathlib import Path

from palapy.tools.errors import ApiError

__all__ = [
    "HOOKS_PACKAGE",
    "UserCodeError",
    "load_hooks",
    "user_files",
    "import_user_file",
    "module_name",
    "describe_error",
]

HOOKS_PACKAGE = "pb_hooks"


class UserCodeError(RuntimeError):
    """A user file failed to import or to set up; the message is one line naming the file."""


def user_files(directory: Path) -> list[Path]:
    """The `*.py` files of `directory` in file-name order, helpers (`_*.py`) left out; [] if absent."""
    if not directory.is_dir():
        return []
    found = [p for p in directory.glob("*.py") if p.is_file() and not p.name.startswith("_")]
    return sorted(found, key=lambda p: p.name)


def _bind_package(package: str, directory: Path) -> None:
    """Make `package` the folder `directory`, dropping modules imported from a previous folder."""
    location = str(directory)
    current = sys.modules.get(package)
    if current is not None and list(getattr(current, "__path__", ())) == [location]:
        return
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    spec = importlib.machinery.ModuleSpec(package, None, is_package=True)
    spec.submodule_search_locations = [location]
    sys.modules[package] = importlib.util.module_from_spec(spec)


def module_name(package: str, path: Path) -> str:
    """The private name a user file is imported under: `<package>.<stem>`, non-word chars as `_`."""
    return package + "." + re.sub(r"\W", "_", path.stem)


def import_user_file(package: str, path: Path) -> types.ModuleType:
    """Import `path` as `<package>.<stem>` (run anew on every call); exceptions propagate."""
    _bind_package(package, path.parent.absolute())
    name = module_name(package, path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, as a normal import does (dataclasses and pickling look it up).
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def describe_error(label: str, path: Path, exc: BaseException) -> str:
    """`{label}, line N: Type: message` on one line; N is the deepest line of `path` involved."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    if isinstance(exc, SyntaxError):  # its own text spans lines (the source and a caret)
        text = f"{type(exc).__name__}: {exc.msg}"
        if exc.filename == str(path):
            lines.append(exc.lineno)
        else:  # in a helper the file imports
            text += f" ({exc.filename}, line {exc.lineno})"
    else:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if isinstance(exc, ApiError) and exc.data:  # the per-field errors say what was wrong
            text += " " + json.dumps(exc.data, ensure_ascii=False)
    text = " ".join(text.split())  # one line, whatever the message holds
    return f"{label}, line {lines[-1]}: {text}" if lines and lines[-1] else f"{label}: {text}"


def load_hooks(app: object, directory: Path) -> list[str]:
    """Import every `directory/*.py` and call its `setup(app)`; returns the file names loaded.

    Raises UserCodeError for the first file that fails to import or whose `setup` raises, so
    `serve` can refuse to start half-configured.
    """
    loaded: list[str] = []
    for path in user_files(directory):
        try:
            module = import_user_file(HOOKS_PACKAGE, path)
            setup = getattr(module, "setup", None)
            if setup is not None:
                if not callable(setup):
                    raise TypeError("setup is not a function")
                if inspect.isawaitable(outcome := setup(app)):
                    if isinstance(outcome, types.CoroutineType):
                        outcome.close()
                    raise TypeError("setup(app) must be a plain function, not async")
        except Exception as exc:  # noqa: BLE001 - any failure of user code names its file
            sys.modules.pop(module_name(HOOKS_PACKAGE, path), None)
            raise UserCodeError(describe_error(f"failed to load hook {path}", path, exc)) from exc
        loaded.append(path.name)
    return loaded
