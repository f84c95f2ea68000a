"""`load_hooks`: pb_hooks/*.py imported from disk in file-name order, `setup(app)` called, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from palapy.app import Palapy
from palapy.hooks.events import RecordEvent
from palapy.hooks.loader import HOOKS_PACKAGE, UserCodeError, import_user_file, load_hooks, user_files


@pytest.fixture(autouse=True)
def _forget_user_modules() -> Iterator[None]:
    """Each test imports its own pb_hooks; leave sys.modules as it was found."""
    yield
    for name in [n for n in sys.modules if n == HOOKS_PACKAGE or n.startswith(HOOKS_PACKAGE + ".")]:
        del sys.modules[name]


def write(directory: Path, name: str, source: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(dedent(source))
    return path


def make_app(tmp_path: Path, **kwargs: str) -> Palapy:
    """An Palapy that is never bootstrapped: loading hooks needs no database."""
    return Palapy(tmp_path / "pb_data", **kwargs)  # type: ignore[arg-type]


def _load(app: Palapy) -> list[str]:
    return load_hooks(app, app.hooks_dir)


def test_hooks_dir_defaults_to_a_sibling_of_the_data_dir_and_can_be_overridden(tmp_path: Path) -> None:
    assert make_app(tmp_path).hooks_dir == tmp_path / "pb_hooks"
    assert make_app(tmp_path).migrations_dir == tmp_path / "pb_migrations"
    custom = make_app(tmp_path, hooks_dir=str(tmp_path / "h"), migrations_dir=str(tmp_path / "m"))
    assert (custom.hooks_dir, custom.migrations_dir) == (tmp_path / "h", tmp_path / "m")


def test_a_missing_hooks_dir_loads_nothing(tmp_path: Path) -> None:
    assert _load(make_app(tmp_path)) == []


def test_files_load_in_name_order_and_setup_binds_handlers(tmp_path: Path) -> None:
    hooks = tmp_path / "pb_hooks"
    write(hooks, "_order.py", "IMPORTED = []\n")
    for name, tag in (("b_second.py", "b"), ("a_first.py", "a"), ("c_third.py", "c")):
        write(
            hooks,
            name,
            f"""
            import json, statistics
            from pb_hooks import _order

            _order.IMPORTED.append({tag!r})

            def setup(app):
                def handler(e):
                    e.record.setdefault("seen", []).append({tag!r})
                    return e.next()
                app.hooks.on_record_create.bind_for(["posts"], handler)
            """,
        )
    write(hooks, "notes.txt", "not python")
    app = make_app(tmp_path)
    assert load_hooks(app, app.hooks_dir) == ["a_first.py", "b_second.py", "c_third.py"]
    assert sys.modules["pb_hooks._order"].IMPORTED == ["a", "b", "c"]
    record: dict[str, object] = {}
    app.hooks.on_record_create.trigger(RecordEvent(collection=None, record=record), tags=["posts"])  # type: ignore[arg-type]
    assert record["seen"] == ["a", "b", "c"]
    other: dict[str, object] = {}
    app.hooks.on_record_create.trigger(RecordEvent(collection=None, record=other), tags=["users"])  # type: ignore[arg-type]
    assert other == {}


def test_a_file_without_setup_is_imported_and_helpers_are_importable_but_not_loaded(tmp_path: Path) -> None:
    hooks = tmp_path / "pb_hooks"
    write(hooks, "_shared.py", "VALUE = 41\nLOADED_DIRECTLY = False\n")
    write(
        hooks,
        "main.py",
        """
        from pb_hooks import _shared
        from . import _shared as again
        from palapy.tools.errors import ApiError

        assert again is _shared
        ANSWER = _shared.VALUE + 1
        """,
    )
    assert _load(make_app(tmp_path)) == ["main.py"]
    assert sys.modules["pb_hooks.main"].ANSWER == 42


def test_module_names_are_private_and_follow_the_hooks_dir(tmp_path: Path) -> None:
    first = write(tmp_path / "one", "main.py", "WHERE = 'one'\n")
    second = write(tmp_path / "two", "main.py", "WHERE = 'two'\n")
    module = import_user_file(HOOKS_PACKAGE, first)
    assert module.__name__ == "pb_hooks.main" and module.WHERE == "one"
    # Another folder replaces the package (a reload, or another Palapy in the same process).
    assert import_user_file(HOOKS_PACKAGE, second).WHERE == "two"
    assert list(sys.modules[HOOKS_PACKAGE].__path__) == [str(tmp_path / "two")]


def test_user_files_skip_helpers_and_other_extensions(tmp_path: Path) -> None:
    for name in ("b.py", "a.py", "_helper.py", "__init__.py", "x.pb.js", "c.pyc"):
        write(tmp_path, name, "")
    (tmp_path / "dir.py").mkdir()
    assert [p.name for p in user_files(tmp_path)] == ["a.py", "b.py"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def setup(app:\n    pass\n", ", line 1: SyntaxError: "),
        (
            "import no_such_module_xyz\n",
            ", line 1: ModuleNotFoundError: No module named 'no_such_module_xyz'",
        ),
        (
            "X = 1\n\ndef setup(app):\n    raise RuntimeError('bad\\nconfig')\n",
            ", line 4: RuntimeError: bad config",
        ),
        ("async def setup(app):\n    pass\n", ": TypeError: setup(app) must be a plain function, not async"),
        ("setup = 3\n", ": TypeError: setup is not a function"),
        ("X = 1\nfrom pb_hooks import _bad_helper\n", ", line 2: SyntaxError: invalid syntax ("),
    ],
    ids=["syntax", "import", "setup-raises", "async-setup", "setup-not-callable", "syntax-in-helper"],
)
def test_a_failing_file_raises_one_line_naming_it(tmp_path: Path, source: str, expected: str) -> None:
    hooks = tmp_path / "pb_hooks"
    write(hooks, "a_ok.py", "def setup(app):\n    app.hooks.on_serve.bind(lambda e: e.next())\n")
    path = write(hooks, "b_broken.py", source)
    write(hooks, "c_never.py", "raise AssertionError('files after a broken one are not loaded')\n")
    write(hooks, "_bad_helper.py", "def f(:\n    pass\n")
    with pytest.raises(UserCodeError) as info:
        _load(make_app(tmp_path))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"failed to load hook {path}")
    assert expected in message
    assert "pb_hooks.b_broken" not in sys.modules
