"""The site serves any issuer: its name, publisher and reference dates come from the policies or
from `policyc docs --config site.toml`, never from constants naming one city (issue 15 item 3)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.docs import DocsError, SiteConfig, load_site_config, render_docs
from policyc.compiler.pipeline import check_policy
from policyc.compiler.site.config import shared_place

REPO = Path(__file__).resolve().parent.parent
COUNTY = REPO / "tests" / "fixtures" / "county"
COUNTY_POLICY = COUNTY / "policies" / "lul-2024-3.policy"
# Words of the city whose documents the project ships; none may reach another issuer's site.
CITY_WORDS = ("天门", "Tianmen", "tianmen", "天政")


@pytest.fixture(scope="module")
def county_files() -> dict[str, str]:
    return render_docs([check_policy(COUNTY_POLICY)])


def test_county_site_is_named_after_its_issuer(county_files: dict[str, str]) -> None:
    config = county_files["mkdocs.yml"]
    assert 'site_name: "鹭岭县政策条款"' in config
    assert 'site_author: "鹭岭县人民政府"' in config
    assert 'copyright: "发布：鹭岭县人民政府"' in config
    index = county_files["docs/index.md"]
    assert index.startswith("# 鹭岭县政策条款\n\n发布：鹭岭县人民政府\n")


def test_county_reference_dates_are_its_own(county_files: dict[str, str]) -> None:
    index = county_files["docs/index.md"]
    # Issued 2024-02-20, in force from 2024-03-01 for 2 years: last day 2026-02-28.
    assert "| 文件 | 有效期 | 2024-02-20 | 2024-03-01 | 2026-02-28 | 2026-03-01 |" in index
    assert "- 2024-02-20：鹭政发〔2024〕3号发布\n" in index
    assert "- 2024-03-01：鹭政发〔2024〕3号施行\n" in index
    assert "| 尚未施行 | 有效 | 有效 | 已失效 |" in index
    assert "2023-03-31" not in index


def test_no_city_word_in_any_generated_file(county_files: dict[str, str]) -> None:
    found = {
        path: word for path, text in county_files.items() for word in CITY_WORDS if word in text
    }
    assert found == {}


def test_no_city_word_in_any_built_page(tmp_path: Path) -> None:
    """Built with mkdocs, the county's site shows no Tianmen word on any page (nor in the search
    index or the assets)."""
    out, site = tmp_path / "out", tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "policyc", "docs", str(COUNTY / "policies"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".js", ".css", ".xml")]
    assert len([p for p in pages if p.suffix == ".html"]) >= 8
    offending = [
        str(p.relative_to(site))
        for p in pages
        if any(word in p.read_text(encoding="utf-8", errors="replace") for word in CITY_WORDS)
    ]
    assert offending == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>鹭岭县政策条款</title>" in home


def test_shipped_site_name_is_derived_from_its_issuers() -> None:
    # 天门市人民政府 and 天门市人民政府办公室 share the place 天门市.
    assert shared_place(["天门市人民政府", "天门市人民政府办公室"]) == "天门市"
    assert shared_place(["湖北省天门市人民政府"]) == "湖北省天门市"
    assert shared_place(["鹭岭县人民政府", "鹭岭县农业农村局"]) == "鹭岭县"
    # Two places share no administrative word: no place.
    assert shared_place(["鹭岭县人民政府", "鹭山县人民政府"]) == ""
    assert shared_place(["某某协会"]) == ""
    assert shared_place([]) == ""


def test_issuers_sharing_no_place(tmp_path: Path) -> None:
    text = COUNTY_POLICY.read_text(encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "lul-2024-3.txt").write_bytes(
        (COUNTY / "sources" / "lul-2024-3.txt").read_bytes()
    )
    (folder / "units.policy").write_text(
        (COUNTY / "policies" / "units.policy").read_text(encoding="utf-8")
        + 'unit 某某茶叶协会 "某某茶叶协会"\n',
        encoding="utf-8",
    )
    (folder / "a.policy").write_text(text, encoding="utf-8")
    (folder / "b.policy").write_text(
        text.replace("鹭政发〔2024〕3号", "协会〔2024〕1号").replace(
            "issuer 鹭岭县人民政府", "issuer 某某茶叶协会"
        ),
        encoding="utf-8",
    )
    files = render_docs([check_policy(folder / "a.policy"), check_policy(folder / "b.policy")])
    assert 'site_name: "政策条款"' in files["mkdocs.yml"]
    assert 'site_author: "鹭岭县人民政府、某某茶叶协会"' in files["mkdocs.yml"]


# ---- the configuration file ----


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_sets_name_publisher_and_dates(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        'name = "鹭岭县惠企政策"\npublisher = "鹭岭县政务服务中心"\n\n'
        '[[reference_dates]]\ndate = 2024-06-30\nlabel = "年中"\n',
    )
    config = load_site_config(path)
    assert config == SiteConfig(
        name="鹭岭县惠企政策",
        publisher="鹭岭县政务服务中心",
        reference_dates=((datetime.date(2024, 6, 30), "年中"),),
    )
    files = render_docs([check_policy(COUNTY_POLICY)], config)
    assert 'site_name: "鹭岭县惠企政策"' in files["mkdocs.yml"]
    assert 'copyright: "发布：鹭岭县政务服务中心"' in files["mkdocs.yml"]
    index = files["docs/index.md"]
    # The configured dates replace the headers' dates; the period's end stays.
    assert "| 文件 | 有效期 | 2024-06-30 | 2026-02-28 | 2026-03-01 |" in index
    assert "- 2024-06-30：年中\n" in index


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\ntitle = "y"\n', r"site.toml:2: unknown key `title`; expected one of name"),
        ("name = 12\n", r"site.toml:1: `name`: expected text in quotes, got a number"),
        ('name = ""\n', r"site.toml:1: `name`: expected one line of 1–60 characters"),
        ('publisher = "' + "县" * 61 + '"\n', r"site.toml:1: `publisher`: expected one line"),
        ('name = "x"\nname = "y"\n', r"site.toml:2:\d+: not valid TOML: Cannot overwrite"),
        ('name = "x\n', r"site.toml:1:\d+: not valid TOML"),
        (
            "reference_dates = 3\n",
            r"site.toml:1: `reference_dates`: expected \[\[reference_dates\]\]",
        ),
        (
            '[[reference_dates]]\ndate = "2024-06-30"\nlabel = "年中"\n',
            r"site.toml:2: `reference_dates\[1\].date`: expected a date written 2023-03-31",
        ),
        (
            '[[reference_dates]]\ndate = 2024-06-30T10:00:00\nlabel = "年中"\n',
            r"site.toml:2: `reference_dates\[1\].date`: expected a date",
        ),
        (
            '[[reference_dates]]\ndate = 2024-06-30\nlabel = "a"\n\n[[reference_dates]]\n'
            'date = 2024-07-01\nwhy = "b"\n',
            r"site.toml:7: unknown key `reference_dates\[2\].why`",
        ),
        (
            "[[reference_dates]]\ndate = 2024-06-30\n",
            r"site.toml:1: `reference_dates\[1\]`: `label` is missing",
        ),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(DocsError, match=message):
        load_site_config(path)


def test_config_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b'name = "\xb2\xe2"\n')
    with pytest.raises(DocsError, match="not UTF-8"):
        load_site_config(path)
    with pytest.raises(DocsError, match="cannot read the site configuration"):
        load_site_config(tmp_path / "absent.toml")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_cli_config_used_and_refused(tmp_path: Path) -> None:
    good = write_config(tmp_path, 'name = "鹭岭县惠企政策"\n')
    out = tmp_path / "out"
    ok = run_cli(
        "docs", str(COUNTY / "policies"), "--out", str(out), "--config", str(good), cwd=tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    assert 'site_name: "鹭岭县惠企政策"' in (out / "mkdocs.yml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ncolour = "red"\n', encoding="utf-8")
    refused = run_cli(
        "docs", str(COUNTY / "policies"), "--out", str(out), "--config", str(bad), cwd=tmp_path
    )
    assert refused.returncode == 2
    assert f"{bad}:2: unknown key `colour`" in refused.stderr
    assert "Traceback" not in refused.stderr
    # Nothing half-written: the earlier generation stays.
    assert 'site_name: "鹭岭县惠企政策"' in (out / "mkdocs.yml").read_text(encoding="utf-8")
