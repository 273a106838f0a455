"""The fork server's set-up (`filings.build.preload`): WeasyPrint imported without a compiler
where the system's loader finds its libraries, and as it always is where it does not."""

from __future__ import annotations

import subprocess
import sys

import pytest

# A stand-in for WeasyPrint's library loading: without ctypes.util.find_library, a library it
# needs fails the import (after WeasyPrint's advice on stdout), or its optional subsetter is None.
FAKE_FFI = """
import builtins, ctypes.util
builtins.attempts = getattr(builtins, "attempts", 0) + 1
found = ctypes.util.find_library("c") is not None  # a library found only by the search
harfbuzz_subset = object() if found else None
if not found and {needed}:
    print("WeasyPrint could not import some external libraries")
    raise OSError("cannot load library 'gobject-2.0-0'")
"""

IMPORT_PRELOAD = """
import builtins, sys
sys.path.insert(0, sys.argv[1])
from filings.build import preload
from weasyprint.text import ffi
print("attempts:", builtins.attempts, "subsetter:", ffi.harfbuzz_subset is not None)
"""


@pytest.mark.parametrize("needed", [True, False], ids=["a library", "the optional subsetter"])
def test_weasyprint_that_needs_the_library_search_is_imported_again_with_it(tmp_path, needed):
    text = tmp_path / "weasyprint" / "text"
    text.mkdir(parents=True)
    (tmp_path / "weasyprint" / "__init__.py").write_text("", encoding="utf-8")
    (text / "__init__.py").write_text("", encoding="utf-8")
    (text / "ffi.py").write_text(FAKE_FFI.format(needed=needed), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_PRELOAD, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    # the first try's installation advice is not printed: the second try loaded it
    assert done.stdout == "attempts: 2 subsetter: True\n"


def test_the_real_weasyprint_loads_without_the_library_search():
    probe = (
        "import ctypes.util; calls = []; real = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: calls.append(name) or real(name)\n"
        "import filings.build.preload, weasyprint.text.ffi; print(calls)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
