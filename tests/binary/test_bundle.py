"""Every module palapy loads when run from source is inside the binary (collected only with PALAPY_BIN).

A source server runs with a `sitecustomize` that writes the names and files of its loaded
modules at exit; it is driven through `_exercise` and stopped by SIGTERM (the superuser command
is traced too). Each pure-Python module must be in the binary's PYZ archive or base library,
each extension module among its binaries. This names the module an `EXCLUDES` entry or a new
dependency took away, instead of a failure deep in a black-box suite.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.binary._exercise import exercise
from tests.binary._programs import REPO_ROOT, binary_path
from tests.harness.servers import start_server, upsert_superuser

_TRACER = """
import atexit, json, os, sys

def _dump():
    found = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None)
        if getattr(module, "__name__", None) == name and origin not in (None, "built-in", "frozen"):
            found[name] = origin
    with open(os.path.join(os.environ["PALAPY_MODULE_TRACE"], f"{os.getpid()}.json"), "w") as out:
        json.dump(found, out)

if os.environ.get("PALAPY_MODULE_TRACE"):
    atexit.register(_dump)
"""
# Loaded only because of the tracing itself or the interpreter's start-up from a venv.
_NOT_PALAPY = ("sitecustomize", "__main__", "_distutils_hack", "__editable__", "_virtualenv")


def _traced_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    tracer = tmp_path / "tracer"
    tracer.mkdir()
    (tracer / "sitecustomize.py").write_text(_TRACER)
    out = tmp_path / "trace"
    out.mkdir()
    monkeypatch.delenv("PALAPY_BIN", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(tracer))
    monkeypatch.setenv("PALAPY_MODULE_TRACE", str(out))
    root = tmp_path / "root"
    upsert_superuser("palapy", root)
    server = start_server("palapy", root)
    try:
        exercise(server.base_url, server.data_dir)
    finally:
        server.stop()
    assert server.proc.returncode == 0, server.log_tail()
    modules: dict[str, str] = {}
    for dump in out.glob("*.json"):
        modules.update(json.loads(dump.read_text()))
    assert len(list(out.glob("*.json"))) == 2, "both the superuser command and the server should dump"
    return {n: o for n, o in modules.items() if not n.startswith(_NOT_PALAPY)}


def _bundled(binary: Path) -> tuple[set[str], set[str]]:
    """(pure-Python module names, extension module names) inside the one-file binary."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(binary))
    pure = set(archive.open_embedded_archive("PYZ.pyz").toc)
    # Modules the bootloader needs before the PYZ can be read (`struct`) sit in the archive itself.
    pure.update(name for name, entry in archive.toc.items() if entry[-1] in ("m", "M"))
    with zipfile.ZipFile(io.BytesIO(archive.extract("base_library.zip"))) as base:
        for name in base.namelist():
            if name.endswith(".pyc"):
                pure.add(name[: -len(".pyc")].replace("/", ".").removesuffix(".__init__"))
    extensions = set()
    for entry in archive.toc:
        if entry.endswith(".so") and (".cpython-" in entry or ".abi3." in entry or "/" in entry):
            path = entry.removeprefix("python3.11/lib-dynload/") if "lib-dynload/" in entry else entry
            folder, _, filename = path.rpartition("/")
            stem = filename.split(".", 1)[0]
            name = f"{folder.replace('/', '.')}.{stem}" if folder else stem
            extensions.add(name.removesuffix(".__init__"))
    return pure, extensions


def test_every_module_loaded_from_source_is_in_the_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = binary_path()
    assert binary is not None and binary.is_file(), f"PALAPY_BIN={binary} is not a file"
    modules = _traced_modules(tmp_path, monkeypatch)
    # Sanity: the trace saw the parts the binary must carry.
    for expected in (
        "palapy.web.server",
        "palapy.apis.record_crud",
        "palapy.tools.security.passwords",
        "apsw",
        "re2",
        "bcrypt",
        "granian",
        "uvloop",
    ):
        assert expected in modules, f"{expected} was not loaded by the traced source server"
    pure, extensions = _bundled(binary)
    missing = sorted(
        name
        for name, origin in modules.items()
        if name not in (extensions if origin.endswith(".so") else pure)
    )
    assert missing == [], f"loaded from source but not in {binary}: {missing}"


def test_the_binary_carries_ui_dist_and_its_build_info() -> None:
    """`ui_dist/` byte for byte, and build_info.json naming a commit (read by palapy.resources)."""
    from PyInstaller.archive.readers import CArchiveReader

    binary = binary_path()
    assert binary is not None and binary.is_file(), f"PALAPY_BIN={binary} is not a file"
    archive = CArchiveReader(str(binary))
    ui_dist = REPO_ROOT / "ui_dist"
    expected = {str(p.relative_to(REPO_ROOT)): p.read_bytes() for p in ui_dist.rglob("*") if p.is_file()}
    assert expected, "ui_dist/ is empty in the checkout"
    bundled = {name: archive.extract(name) for name in expected if name in archive.toc}
    assert bundled == expected
    info = json.loads(archive.extract("build_info.json"))
    assert info["build"] == "frozen" and info["commit"] and info["date"]
