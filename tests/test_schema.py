"""The site.yaml schema: one declaration per key drives the reader, the defaults and the docs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sitegen.read import schemadoc as schema
from sitegen.read.config import SiteConfig, load_config
from sitegen.read.schema import MAP_SETTINGS, SETTINGS, MapConfig

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"
REGENERATE = "python3 -m sitegen.read.schemadoc docs/configuration.md"


def test_docs_table_is_the_schemas() -> None:
    documented = schema.documented_table(DOCS.read_text(encoding="utf-8"))
    assert documented is not None, f"{DOCS.name} lost its table markers; restore them"
    assert documented == schema.markdown_table(), (
        f"docs/configuration.md differs from sitegen/read/schema.py; run: {REGENERATE}"
    )
    assert REGENERATE in DOCS.read_text(encoding="utf-8"), "the docs name the command"


def test_every_key_is_a_config_field() -> None:
    keys = [setting.key for setting in SETTINGS]
    assert {f.name for f in dataclasses.fields(SiteConfig)} == {"root", *keys}
    assert {f.name for f in dataclasses.fields(MapConfig)} == {s.key for s in MAP_SETTINGS}
    assert len(set(keys)) == len(keys)


def test_declarations_are_documented() -> None:
    for setting in (*SETTINGS, *MAP_SETTINGS):
        assert setting.description.strip(), setting.key
        assert "\n" not in setting.description, f"{setting.key}: one line for the docs table"
        assert not (setting.required and setting.default is not None), setting.key


@pytest.mark.parametrize("setting", [s for s in (*SETTINGS, *MAP_SETTINGS) if s.check])
def test_defaults_pass_their_own_checks(setting: schema.Setting) -> None:
    values = setting.default if isinstance(setting.default, tuple) else (setting.default,)
    assert all(setting.check(value) is None for value in values)


def test_absent_keys_take_the_declared_defaults(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://e.org\n", encoding="utf-8")
    config = load_config(tmp_path)
    for setting in SETTINGS:
        if setting.required:
            continue
        if isinstance(setting.kind, schema.Section):
            inner = {s.key: s.default for s in setting.kind.settings}
            assert getattr(config, setting.key) == setting.kind.build(**inner)
        else:
            assert getattr(config, setting.key) == setting.default, setting.key


def test_write_table_replaces_only_the_table(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        f"before\n{schema.TABLE_BEGIN}\n| stale |\n{schema.TABLE_END}\nafter\n", encoding="utf-8"
    )
    schema.write_table(page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("before\n") and text.endswith(f"{schema.TABLE_END}\nafter\n")
    assert schema.documented_table(text) == schema.markdown_table()
