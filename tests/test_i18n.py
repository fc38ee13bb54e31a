"""Messages in Chinese through the catalogue, English when the locale asks for it.

The rest of the suite runs in English (conftest sets LANGUAGE=en); this file checks the
catalogue itself, the wrapping of every message site, the language choice, and the command line
end to end in both languages.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import io
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler import i18n
from tests.message_sites import message_arguments, needs_translation

REPO = Path(__file__).parent.parent
SOURCES = sorted(
    p for folder in ("cli", "compiler", "runtime") for p in (REPO / folder).rglob("*.py")
)
LOCALE = REPO / "compiler" / "locale" / "zh_CN" / "LC_MESSAGES"

babel = pytest.importorskip("babel")


def _catalogue_tool():  # tools/catalogue.py is a script, not part of the package
    spec = importlib.util.spec_from_file_location("catalogue", REPO / "tools" / "catalogue.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogue = _catalogue_tool()


def _fields(text: str, style: str) -> set[str]:
    if style == "brace":
        return {
            f"{name}!{conversion or ''}:{spec or ''}"
            for _literal, name, spec, conversion in string.Formatter().parse(text)
            if name is not None
        }
    return set(re.findall(r"%\([a-z_]+\)[sdr]|%[sdr]", text))


# ---- (a) every msgid has a Chinese translation with the same placeholders -------------------


@pytest.mark.parametrize("domain", catalogue.DOMAINS)
def test_every_message_has_a_chinese_translation(domain: str) -> None:
    missing = catalogue.untranslated(domain)
    assert not missing, f"{len(missing)} messages lack a translation in {domain}.po:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("domain", catalogue.DOMAINS)
def test_translations_keep_the_placeholders(domain: str) -> None:
    style = "percent" if domain == "argparse" else "brace"
    differ = []
    for message in catalogue.read(domain):
        if not message.id or not message.string:
            continue
        if style == "brace" and "python-brace-format" not in message.flags:
            continue  # not formatted: braces are literal
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = _fields(ids[0], style)
        for text in strings:
            if _fields(text, style) != wanted:
                differ.append(f"{ids[0]!r}: {sorted(wanted)} vs {text!r}")
    assert not differ, "placeholders differ between msgid and msgstr:\n" + "\n".join(differ)


def test_the_catalogue_knows_nothing_the_source_no_longer_says() -> None:
    # `tools/catalogue.py update` drops vanished msgids; a stale entry would mean it was not run.
    source = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalogue.template("policyc") if m.id
    }
    held = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue.read("policyc") if m.id}
    assert held - source == set()


def test_the_glossary_heads_the_catalogue() -> None:
    head = (LOCALE / "policyc.po").read_text(encoding="utf-8").split('msgid ""', 1)[0]
    for term in ("政策文件", "案件", "输入项", "读法", "计量单位"):
        assert term in head


# ---- (b) no user-facing literal at a message site escapes _() --------------------------------


def test_message_sites_wrap_their_literals_in_gettext() -> None:
    unwrapped = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in message_arguments(tree):
            if needs_translation(node):
                unwrapped.append(
                    f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)[:80]}"
                )
    assert not unwrapped, "messages not wrapped in _():\n" + "\n".join(unwrapped)


def test_the_site_finder_sees_an_unwrapped_message() -> None:
    tree = ast.parse(
        'self.error(span, f"unknown reading `{name}`", "a declared reading")\n'
        'raise InputError(_("{path}: no such file").format(path=path))\n'
        'p.add_argument("--x", help="treat warnings as errors")\n'
        'd = Diagnostic(span, msg, code="negative-amount")\n'
    )
    found = [ast.unparse(n) for n in message_arguments(tree) if needs_translation(n)]
    assert found == [
        "f'unknown reading `{name}`'",
        "'a declared reading'",
        "'treat warnings as errors'",
    ]


# ---- (c) the shipped .mo is the .po compiled ----------------------------------------------


# Babel writes its own version into a catalogue's header (Generated-By); the rest must match.
_GENERATED_BY = re.compile(rb"Generated-By: Babel [^\\\n]*")


def _without_generator(data: bytes) -> bytes:
    return _GENERATED_BY.sub(b"Generated-By: Babel", data)


@pytest.mark.parametrize("domain", catalogue.DOMAINS)
def test_the_compiled_catalogue_is_reproducible(domain: str) -> None:
    shipped = (LOCALE / f"{domain}.mo").read_bytes()
    compiled = catalogue.mo_bytes(domain)
    if shipped == compiled:
        return
    # Another Babel version: the same messages, the header aside from the generator.
    shipped_messages = gettext.GNUTranslations(io.BytesIO(shipped))._catalog  # type: ignore[attr-defined]
    compiled_messages = gettext.GNUTranslations(io.BytesIO(compiled))._catalog  # type: ignore[attr-defined]
    header = ""
    assert {k: v for k, v in shipped_messages.items() if k != header} == {
        k: v for k, v in compiled_messages.items() if k != header
    }
    assert _without_generator(shipped_messages[header].encode()) == _without_generator(
        compiled_messages[header].encode()
    )


def test_the_po_is_written_as_the_tool_writes_it() -> None:
    # sorted, without locations: two branches adding messages merge line by line
    for domain in catalogue.DOMAINS:
        written = catalogue.po_text(catalogue.read(domain))
        assert _without_generator((LOCALE / f"{domain}.po").read_bytes()) == _without_generator(
            written
        )


# ---- the language chosen ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "zh_CN"),
        ({"LANG": "C"}, "zh_CN"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "POSIX"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_CN", "LC_ALL": "en_US.UTF-8"}, "zh_CN"),
        ({"LANGUAGE": "fr:en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "zh_CN"),
    ],
)
def test_the_language_follows_gettexts_order(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_environment(environ) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        ("fr-FR, en;q=0.5, zh;q=0.7", "zh_CN"),
        ("fr-FR", None),
        ("en;q=0", None),
        ("", None),
    ],
)
def test_accept_language_picks_one_of_ours(header: str, expected: str | None) -> None:
    assert i18n.language_from_header(header) == expected


def test_use_language_switches_and_restores() -> None:
    message = "the header has no `title`"
    assert i18n._(message) == message  # the suite runs in English
    with i18n.use_language("zh_CN"):
        assert i18n._(message) == "文件头没有 `title`"
        assert i18n.ngettext("{n} more error", "{n} more errors", 3).format(n=3) == "3 个错误"
    assert i18n._(message) == message
    with pytest.raises(ValueError, match="unknown language"), i18n.use_language("fr"):
        pass


def test_the_chinese_catalogue_loads_through_stdlib_gettext() -> None:
    with (LOCALE / "policyc.mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("treat warnings as errors") == "把警告当作错误"


# ---- (d) end to end: the command line in both languages --------------------------------------


def _policyc(args: list[str], language: str | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    env["POLICYC_CACHE_DIR"] = str(cwd / "cache")
    if language is not None:
        env["LANGUAGE"] = language
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


BROKEN = 'policy "测试〔2023〕1号" {\n  title "t"\n'


def test_check_speaks_chinese_by_default_and_english_when_asked(tmp_path: Path) -> None:
    (tmp_path / "bad.policy").write_text(BROKEN, encoding="utf-8")
    chinese = _policyc(["check", "bad.policy"], None, tmp_path)
    english = _policyc(["check", "bad.policy"], "en", tmp_path)
    assert chinese.returncode == english.returncode == 2
    assert "bad.policy:2:9: 声明尚未写完，文件就结束了（是否少了 `}`？）" in chinese.stderr
    assert "  应为 以下之一: " in chinese.stderr
    assert (
        "bad.policy:2:9: the file ends before the declaration is complete (is a `}` missing?)"
        in english.stderr
    )
    assert "  expected one of " in english.stderr


def test_run_with_a_bad_case_speaks_chinese_by_default_and_english_when_asked(
    tmp_path: Path,
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("inputs:\n  申请人类型: 服装电商企业\n  年发货量: 多\n", encoding="utf-8")
    policy = str(REPO / "policies" / "tzf-2023-1.policy")
    chinese = _policyc(["run", policy, "--case", str(case)], None, tmp_path)
    english = _policyc(["run", policy, "--case", str(case)], "en", tmp_path)
    assert chinese.returncode == english.returncode == 2
    assert "输入项 `年发货量`: `多` 不是以数字开头，例如 `12单`" in chinese.stderr
    assert "input `年发货量`: `多` does not start with a number, as in `12单`" in english.stderr


def test_argparse_speaks_chinese_too(tmp_path: Path) -> None:
    chinese = _policyc(["run", "p.policy"], None, tmp_path)
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("用法: policyc run [-h]")  # the program's name kept whole
    assert "policyc: 错误: 参数 --case --cases 须给出其一" in chinese.stderr
    helped = _policyc(["check", "--help"], "zh_CN", tmp_path)
    assert "把警告当作错误" in helped.stdout and "显示本帮助信息并退出" in helped.stdout
    english = _policyc(["run", "p.policy"], "en", tmp_path)
    assert english.stderr.startswith("usage: policyc run [-h]")
    assert "one of the arguments --case --cases is required" in english.stderr


def test_a_language_switch_does_not_reuse_cached_messages(tmp_path: Path) -> None:
    # The compile cache keeps the checker's warnings; an entry made in Chinese must not answer
    # an English run.
    policy = tmp_path / "p.policy"
    source = (REPO / "policies" / "tzbh-2023-5.policy").read_text(encoding="utf-8")
    policy.write_text(source, encoding="utf-8")
    key_zh = _cache_key(policy, "zh_CN")
    key_en = _cache_key(policy, "en")
    assert key_zh != key_en


def _cache_key(path: Path, language: str) -> str:
    from policyc.compiler.cache import cache_key

    with i18n.use_language(language):
        return cache_key(path, path.read_text(encoding="utf-8"))


def test_errors_render_their_frame_in_the_language() -> None:
    from policyc.compiler.errors import Diagnostic, Severity, Span, not_shown

    warning = Diagnostic(
        Span("p.policy", 3, 1), "x", severity=Severity.WARNING, code="unused-input"
    )
    with i18n.use_language("zh_CN"):
        assert warning.render() == "p.policy:3:1: 警告[unused-input]: x"
        assert not_shown(2, 1) == "… 另有 2 个错误、1 个警告未显示"
    assert not_shown(1, 2) == "… and 1 more error and 2 more warnings not shown"


def test_serve_answers_in_the_language_the_request_accepts() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from tests.serve_helpers import request, running_server

    body = json.dumps(
        {"on": "2023-12-31", "inputs": {"年发货量": "多"}}, ensure_ascii=False
    ).encode()
    path = "/v1/policies/tzf-2023-1/evaluate"
    with running_server("policies") as base:  # the server itself runs in English (conftest)
        answers = {
            accepted: json.loads(
                request(base, "POST", path, body, headers={"Accept-Language": accepted})[2]
            )
            for accepted in ("zh-CN,zh;q=0.9", "en-US,en;q=0.9", "fr-FR")
        }
    messages = {accepted: [p["message"] for p in a["problems"]] for accepted, a in answers.items()}
    assert "`多` 不是以数字开头，例如 `12单`" in " ".join(messages["zh-CN,zh;q=0.9"])
    assert "`多` does not start with a number, as in `12单`" in " ".join(messages["en-US,en;q=0.9"])
    assert messages["fr-FR"] == messages["en-US,en;q=0.9"]


def test_why_a_rule_runs_case_by_case_is_said_in_the_language_asked():
    """`run --cases` lists the rules the batch query cannot hold with the reason; the reason was
    English inside the Chinese summary ("逐案计算 (it is paid each member of `机具`)")."""
    from policyc.compiler.batch import generate_batch
    from policyc.compiler.i18n import use_language
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(REPO / "tests" / "fixtures" / "farm" / "farm.policy")
    for language, words in (("zh_CN", "按 `机具` 的每个成员分别发放"),
                            ("en", "it is paid each member of `机具`")):  # fmt: skip
        with use_language(language):
            program = generate_batch(policy.checked, policy.namespace["READINGS"])
        reasons = {rule.name: rule.fallback for rule in program.rules if rule.fallback}
        assert words in reasons.values(), reasons
