"""A team's settings: `filings.toml` in the folder the command runs in."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from filings.errors import DataError, Location

CONFIG_FILE = "filings.toml"


def project_config(folder: Path | None = None) -> tuple[dict, Path]:
    """The parsed filings.toml (empty when there is none) and the folder it lives in."""
    folder = folder or Path.cwd()
    path = folder / CONFIG_FILE
    if not path.is_file():
        return {}, folder
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = Location(CONFIG_FILE, int(line[1]) if line else None)
        raise DataError(where, f"not valid TOML: {exc}") from None
    _check_settings(config)
    return config, folder


# Each table of filings.toml and the settings it holds; None: any value (`[limits]` checks its
# own names, `[roster.columns]` holds a team's headers).
SETTINGS = {
    "templates": {"folders": None},
    "roster": {"columns": None},
    "render": {"scheduler": None},
    "limits": None,
}


def _check_settings(config: dict, known: dict = SETTINGS, prefix: str = "") -> None:
    """A setting filings does not know is an error, not ignored: a misspelt `folders` would
    otherwise render with the built-in templates instead of the team's, without a word."""
    for name, value in config.items():
        where = Location(CONFIG_FILE, field=prefix + name)
        if name not in known:
            have = ", ".join(_names(known, prefix))
            raise DataError(where, f"filings knows no such setting; the settings are: {have}")
        inner = known[name]
        if inner is None:
            continue
        if not isinstance(value, dict):
            raise DataError(where, f"should be a table, [{prefix + name}]")
        _check_settings(value, inner, f"{prefix}{name}.")


def _names(known: dict, prefix: str) -> list[str]:
    names = []
    for name, inner in known.items():
        names += [prefix + name] if inner is None else _names(inner, f"{prefix}{name}.")
    return names


def template_folders(folder: Path | None = None) -> tuple[Path, ...]:
    """`[templates] folders = ["…"]`: a team's own templates folders, relative to filings.toml."""
    config, base = project_config(folder)
    section = config.get("templates", {})
    folders = section.get("folders", []) if isinstance(section, dict) else None
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        raise DataError(
            Location(CONFIG_FILE, field="templates.folders"),
            'should be a list of folder names, like ["templates"]',
        )
    paths = tuple((base / f).resolve() for f in folders)
    missing = [f for f, p in zip(folders, paths, strict=True) if not p.is_dir()]
    if missing:
        raise DataError(
            Location(CONFIG_FILE, field="templates.folders"), f"{missing[0]!r} is not a folder"
        )
    return paths


def render_scheduler(folder: Path | None = None) -> str | None:
    """`[render] scheduler = "tcp://host:8786"`: the Dask scheduler documents render on."""
    config, _ = project_config(folder)
    section = config.get("render", {})
    value = section.get("scheduler") if isinstance(section, dict) else None
    if value is not None and (not isinstance(value, str) or "://" not in value):
        raise DataError(
            Location(CONFIG_FILE, field="render.scheduler"),
            'should be a scheduler address, like "tcp://host:8786"',
        )
    return value
