"""The library of packages: add, list, remove; the same document twice; a bad document that
leaves the library as it was; names; the shipped package read-only; --store by name or
path; a damaged index or package store, named with its path and its cure; two adders at
once; the JSON shapes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hzpolicy.__main__ import Reader, _app_document, run
from hzpolicy.core import library as library_module
from hzpolicy.core.library import INDEX_NAME, Library, LibraryError, data_key, open_document, resolve_store
from hzpolicy.core.paths import SHIPPED_PACKAGE
from hzpolicy.core.store import StoreError
from hzpolicy.core.userdata import UserData

from .conftest import SOURCE, TODAY

ROOT = Path(__file__).resolve().parent.parent


def small_edition(year: int = 2025, title: str = "某市關於促進產業發展的若干政策", award: str = "50萬元") -> str:
    """A small package of the genre (our own sentences), quick to build."""
    return f"""\
{title}

  為推動產業發展,結合本市實際,制定以下政策。

  一、科技創新政策

  (由市科技局牽頭實施)

  {year}年,新增科技企業100家。

  (一)支持企業研發。對研發投入較大的企業給予最高{award}補助。(責任單位:市科技局)

  (二)引進高端人才。對新引進的領軍人才給予10萬元獎勵。(責任單位:市人社局、市財政局)

  二、對外開放政策

  (由市商務局牽頭實施)

  (三)穩定外貿訂單。對企業參加境外展會的費用給予補助,資助比例上限60%。(責任單位:市商務局)

  本文件明確的各項政策除標明具體實施期限外,均為{year}年全年有效。
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _folder() -> Path:
    return Library().folder


def _state(folder: Path) -> dict[str, object]:
    """What the library is: its files (with their bytes, the index's WAL included) and its
    packages as listed."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}
    return {"files": files, "packages": [(p.name, p.source_sha256) for p in Library(folder).packages()]}


# --- add, list, remove ------------------------------------------------------------------------------


def test_add_list_and_remove(capsys, tmp_path):
    src = write(tmp_path, "城市政策-2025.txt", small_edition())
    code, out, err = _run(capsys, "add", str(src), "--lang", "en")
    assert code == 0 and err == ""
    assert out == "added 城市政策-2025: 某市關於促進產業發展的若干政策 (2 domains, 3 clauses, 0 calculator rules)\n"
    code, out, _ = _run(capsys, "library", "--json")
    listed = json.loads(out)
    assert code == 0 and [p["name"] for p in listed["packages"]] == [SHIPPED_PACKAGE, "城市政策-2025"]
    shipped, added = listed["packages"]
    assert shipped["read_only"] is True and shipped["rules"] == 46 and shipped["clauses"] == 76
    assert added["read_only"] is False and added["rules"] == 0  # the 2024 rules are never another's
    assert (added["domains"], added["clauses"], added["valid_from"], added["valid_to"]) == (
        2,
        3,
        "2025-01-01",
        "2025-12-31",
    )
    assert Path(added["path"]).is_file() and Path(added["path"]).parent == _folder()
    code, out, _ = _run(capsys, "library", "--script", "simplified")
    assert code == 0 and "某市关于促进产业发展的若干政策" in out and "hangzhou-2024  [唯讀]" not in out
    code, out, _ = _run(capsys, "remove", "城市政策-2025")
    assert code == 0 and "城市政策-2025" in out
    assert not Path(added["path"]).exists()
    assert [p.name for p in Library().packages()] == [SHIPPED_PACKAGE]


def test_the_list_is_read_from_the_index_alone(tmp_path, monkeypatch):
    """Listing the packages never opens a store: ten packages cost what one does."""
    lib = Library()
    for year in (2025, 2026, 2027):
        lib.add(write(tmp_path, f"ed{year}.txt", small_edition(year)))

    def no_store(path):
        raise AssertionError(f"a store was read: {path}")

    monkeypatch.setattr(library_module, "load_store", no_store)
    packages = Library().packages()
    assert [p.name for p in packages] == [SHIPPED_PACKAGE, "ed2025", "ed2026", "ed2027"]
    assert [p.valid_from for p in packages] == ["2024-01-01", "2025-01-01", "2026-01-01", "2027-01-01"]
    assert all(p.problem is None for p in packages)


def test_an_edition_of_the_shipped_text_gets_no_rules(tmp_path):
    text = SOURCE.read_text(encoding="utf-8").replace("2024", "2025")
    package, added = Library().add(write(tmp_path, "hangzhou-2025.txt", text))
    assert added and package.clauses == 76 and package.rules == 0 and package.valid_to == "2025-12-31"
    assert package.status(TODAY) == "expired" and Library().get(SHIPPED_PACKAGE).rules == 46


def test_the_same_document_twice_changes_nothing(capsys, tmp_path):
    src = write(tmp_path, "a.txt", small_edition())
    assert _run(capsys, "add", str(src))[0] == 0
    before = _state(_folder())
    copy = write(tmp_path, "copy-of-a.txt", small_edition())
    for argv in (["add", str(src)], ["add", str(copy), "--name", "another"]):
        code, out, err = _run(capsys, *argv, "--lang", "en")
        assert code == 0 and err == ""
        assert out.endswith("is in the library already, as a; nothing changed\n")
    assert _state(_folder()) == before
    code, out, _ = _run(capsys, "add", str(SOURCE), "--lang", "en")
    assert code == 0 and out.endswith(f"as {SHIPPED_PACKAGE}; nothing changed\n")
    assert _state(_folder()) == before


# --- a bad document leaves the library as it was -------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (small_edition().replace("(一)支持", "(七)支持"), "line 11: "),  # a clause out of order
        (small_edition().encode("gb18030"), "is not valid UTF-8 text; it reads as GB18030"),
        (b"", "is empty"),
        (None, "source document not found"),
    ],
    ids=["parse-error", "not-utf8", "empty", "missing"],
)
def test_a_bad_document_leaves_the_library_as_it_was(capsys, tmp_path, content, said):
    assert _run(capsys, "add", str(write(tmp_path, "good.txt", small_edition())))[0] == 0
    before = _state(_folder())
    bad = tmp_path / "bad.txt"
    if isinstance(content, str):
        bad.write_text(content, encoding="utf-8")
    elif content is not None:
        bad.write_bytes(content)
    code, out, err = _run(capsys, "add", str(bad), "--lang", "en")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("hzpolicy-tui: error: ") and said in err and str(bad) in err
    assert _state(_folder()) == before  # no temporary file left, the index unchanged


def test_a_parse_error_is_worded_as_build_words_it(capsys, tmp_path):
    bad = write(tmp_path, "bad.txt", small_edition().replace("(一)支持", "(七)支持"))
    _, _, built = _run(capsys, "build", str(bad), "-o", str(tmp_path / "x.json"))
    _, _, added = _run(capsys, "add", str(bad))
    problem = built.split(": ", 2)[2].rsplit(";", 1)[0]  # 錯誤: FILE: PROBLEM; 未寫入資料庫
    assert problem in added and "第 11 行" in added


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a/b", "cannot hold /"),
        (".hidden", "cannot start with a dot"),
        ("tab\there", "control characters"),
        ("x" * 61, "longer than 60 characters"),
        (SHIPPED_PACKAGE, "the shipped package's name"),
        ("Hangzhou-2024", "the shipped package's name"),
        ("   ", "needs a name"),
    ],
)
def test_names_that_cannot_be_a_package_are_refused(capsys, tmp_path, name, said):
    src = write(tmp_path, "ok.txt", small_edition())
    code, out, err = _run(capsys, "add", str(src), "--name", name, "--lang", "en")
    assert code == 2 and out == "" and said in err
    assert not _folder().exists()  # nothing was made for it


def test_a_chinese_name_and_the_file_name_by_default(tmp_path):
    lib = Library()
    assert lib.add(write(tmp_path, "杭州市政策2025.txt", small_edition()))[0].name == "杭州市政策2025"
    assert lib.add(write(tmp_path, "x.txt", small_edition(2026)), name="二〇二六年版")[0].name == "二〇二六年版"
    assert (lib.folder / "二〇二六年版.json").is_file()


def test_a_name_taken_by_another_document_is_refused_with_the_way_out(capsys, tmp_path):
    assert _run(capsys, "add", str(write(tmp_path, "a.txt", small_edition())), "--name", "edition")[0] == 0
    before = _state(_folder())
    other = write(tmp_path, "b.txt", small_edition(2026))
    code, out, err = _run(capsys, "add", str(other), "--name", "edition", "--lang", "en")
    assert code == 2 and out == ""
    assert "another document named edition" in err and "--name" in err and "hzpolicy-tui remove edition" in err
    assert _state(_folder()) == before


def test_the_shipped_package_is_read_only(capsys):
    code, out, err = _run(capsys, "remove", SHIPPED_PACKAGE, "--lang", "en")
    assert code == 2 and out == "" and "read-only" in err
    code, _, err = _run(capsys, "remove", "nothing-of-that-name", "--lang", "en")
    assert code == 2 and f"packages: {SHIPPED_PACKAGE}" in err


# --- --store NAME_OR_PATH ------------------------------------------------------------------------------


def test_store_by_name_or_by_path(capsys, tmp_path):
    src = write(tmp_path, "e.txt", small_edition(title="某市二〇二五年產業政策"))
    package, _ = Library().add(src, name="某市2025")
    code, out, _ = _run(capsys, "list", "--json", "--store", "某市2025")
    assert code == 0 and json.loads(out)["title"] == "某市二〇二五年產業政策"
    code, out, _ = _run(capsys, "--store", str(package.path), "show", "2", "--json")
    assert code == 0 and json.loads(out)["units"] == ["市人社局", "市財政局"]
    code, out, _ = _run(capsys, "list", "--json", "--store", SHIPPED_PACKAGE)
    assert code == 0 and len(json.loads(out)["domains"]) == 8
    code, out, err = _run(capsys, "list", "--store", "no-such", "--lang", "en")
    assert code == 2 and out == ""
    assert (
        err == f"hzpolicy-tui: error: no package or store file named 'no-such'; packages: {SHIPPED_PACKAGE}, 某市2025\n"
    )
    assert resolve_store("某市2025") == (package, package.path)
    assert resolve_store(str(package.path))[0] == package  # a library file by its path is the package
    assert open_document(None)[0].name == SHIPPED_PACKAGE  # type: ignore[union-attr]


def test_bookmarks_and_notes_belong_to_the_package(capsys, tmp_path):
    Library().add(write(tmp_path, "e.txt", small_edition()), name="ed")
    assert _run(capsys, "bookmarks", "add", "2", "--store", "ed")[0] == 0
    assert _run(capsys, "notes", "set", "3", "外貿", "--store", "ed")[0] == 0
    assert _run(capsys, "bookmarks", "add", "14")[0] == 0
    code, out, _ = _run(capsys, "bookmarks", "--json", "--store", "ed")
    assert code == 0 and [b["clause"] for b in json.loads(out)["bookmarks"]] == [2]
    code, out, _ = _run(capsys, "bookmarks", "--json")
    assert [b["clause"] for b in json.loads(out)["bookmarks"]] == [14]
    code, out, _ = _run(capsys, "notes", "--json")
    assert json.loads(out)["notes"] == []
    # A store file outside the library: its own, by its path.
    outside = tmp_path / "outside.json"
    assert _run(capsys, "build", str(write(tmp_path, "o.txt", small_edition(2030))), "-o", str(outside))[0] == 0
    assert _run(capsys, "bookmarks", "add", "1", "--store", str(outside))[0] == 0
    user = UserData()
    assert user.bookmarks(package=data_key(None, outside)) == [1] and data_key(None, outside).startswith("path:")
    key = data_key(Library().get("ed"))
    assert key.startswith("ed@") and user.bookmarks(package="ed") == []  # kept under the document, not the name
    assert user.bookmarks() == [14] and user.bookmarks(package=key) == [2] and user.notes(package=key) == {3: "外貿"}


# --- damage ---------------------------------------------------------------------------------------------


def test_a_damaged_index_is_named_with_its_cure_and_repaired(capsys, tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="甲")
    lib.add(write(tmp_path, "b.txt", small_edition(2026)), name="乙")
    garbage = b"not a database, not at all" * 40
    (lib.folder / INDEX_NAME).write_bytes(garbage)
    for f in lib.folder.glob(INDEX_NAME + "-*"):
        f.unlink()
    code, out, err = _run(capsys, "library", "--lang", "en")
    assert code == 2 and out == ""
    assert f"the library index {lib.folder / INDEX_NAME} is damaged" in err
    assert f"run `hzpolicy-tui library --repair` to rebuild it from the packages in {lib.folder}" in err
    assert _run(capsys, "list", "--store", "甲")[0] == 2
    assert _run(capsys, "list")[0] == 0  # the shipped package needs no index
    code, out, err = _run(capsys, "library", "--repair", "--json", "--lang", "en")
    assert code == 0
    aside = lib.folder / f"{INDEX_NAME}.damaged-1"
    assert f"moved to {aside}" in err and "2 packages" in err
    assert aside.read_bytes() == garbage  # kept, never deleted
    assert [p["name"] for p in json.loads(out)["packages"]] == [SHIPPED_PACKAGE, "乙", "甲"]
    assert json.loads(_run(capsys, "list", "--json", "--store", "乙")[1])["valid_from"] == "2026-01-01"


def test_an_index_of_another_shape_is_damage(capsys, tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="甲")
    index = lib.folder / INDEX_NAME
    with sqlite3.connect(index) as db:
        db.execute("DROP TABLE packages")
        db.execute("CREATE TABLE packages (name TEXT)")
    with pytest.raises(LibraryError) as err:
        Library().packages()
    assert str(index) in str(err.value) and "--repair" in str(err.value)
    assert Library().repair().packages == ("甲",)
    assert [p.name for p in Library().packages()] == [SHIPPED_PACKAGE, "甲"]


def test_a_lost_index_is_not_an_empty_library(tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="甲")
    for f in lib.folder.glob(INDEX_NAME + "*"):
        f.unlink()
    with pytest.raises(LibraryError, match="is missing; run `hzpolicy-tui library --repair`"):
        lib.packages()
    repaired = lib.repair()
    assert repaired.aside is None and repaired.packages == ("甲",)


def test_a_damaged_package_is_marked_and_the_others_stay_usable(capsys, tmp_path):
    lib = Library()
    bad, _ = lib.add(write(tmp_path, "a.txt", small_edition()), name="壞")
    lib.add(write(tmp_path, "b.txt", small_edition(2026)), name="好")
    bad.path.write_bytes(bad.path.read_bytes()[:500])
    code, out, _ = _run(capsys, "library", "--json", "--lang", "en")
    rows = {p["name"]: p for p in json.loads(out)["packages"]}
    assert code == 0 and set(rows) == {SHIPPED_PACKAGE, "壞", "好"}
    assert rows["壞"]["problem"] and str(bad.path) in rows["壞"]["problem"] and rows["好"]["problem"] is None
    code, out, _ = _run(capsys, "library", "--lang", "en")
    assert "[damaged]" in out
    code, out, err = _run(capsys, "list", "--store", "壞", "--lang", "en")
    assert code == 2 and out == "" and str(bad.path) in err
    assert "add its source again" in err and "hzpolicy-tui remove 壞" in err
    assert _run(capsys, "list", "--store", "好")[0] == 0
    with pytest.raises(StoreError):
        lib.load("壞")
    # The app opened it last: it starts on the shipped package, and says why.
    UserData().set("package", "壞")
    package, doc, warnings = _app_document(None, Reader([]))
    assert package is not None and package.name == SHIPPED_PACKAGE and len(doc.clauses) == 76
    assert len(warnings) == 1 and "壞" in warnings[0] and str(bad.path) in warnings[0]
    UserData().set("package", "好")
    package, doc, warnings = _app_document(None, Reader([]))
    assert package is not None and package.name == "好" and warnings == []
    package, doc, _ = _app_document(SHIPPED_PACKAGE, Reader([]))  # --store NAME opens the app on it
    assert package is not None and package.shipped and len(doc.clauses) == 76
    with pytest.raises(StoreError):
        _app_document("壞", Reader([]))  # asked for by name: said (exit 2), never replaced
    # --repair keeps the damaged file and marks it; remove takes it away.
    assert lib.repair().damaged[0][0] == "壞" and bad.path.is_file()
    assert _run(capsys, "remove", "壞")[0] == 0 and not bad.path.exists()


def test_a_missing_package_store_is_named(tmp_path):
    lib = Library()
    package, _ = lib.add(write(tmp_path, "a.txt", small_edition()), name="gone")
    package.path.unlink()
    listed = lib.get("gone")
    assert listed.problem is not None and "is missing" in listed.problem
    with pytest.raises(StoreError, match="add its source again"):
        lib.load("gone")


# --- two adders at once -----------------------------------------------------------------------------------


def test_two_adders_at_once_do_not_corrupt_the_index(tmp_path):
    sources = [write(tmp_path, f"e{year}.txt", small_edition(year)) for year in (2025, 2026)]
    sources.append(sources[0])  # the same document at the same time: added once
    env = {**os.environ, "HZPOLICY_DATA_DIR": str(tmp_path / "userdata"), "PYTHONPATH": str(ROOT / "tui")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "hzpolicy", "add", str(src), "--lang", "en"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for src in sources
    ]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert [code for code, _, _ in results] == [0, 0, 0], results
    assert sum("added e2025" in out for _, out, _ in results) == 1
    lib = Library()
    assert [p.name for p in lib.packages()] == [SHIPPED_PACKAGE, "e2025", "e2026"]
    assert sorted(p.name for p in lib.folder.iterdir() if p.suffix == ".json") == ["e2025.json", "e2026.json"]
    with sqlite3.connect(lib.folder / INDEX_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- JSON shapes -----------------------------------------------------------------------------------------


def test_library_json_shape(capsys):
    code, out, _ = _run(capsys, "library", "--json", "--script", "simplified")
    data = json.loads(out)
    assert code == 0 and data["folder"] == str(_folder())
    (shipped,) = data["packages"]
    assert shipped == {
        "name": SHIPPED_PACKAGE,
        "title": "关于进一步推动经济高质量发展的若干政策",
        "issuer": "杭州市人民政府",
        "number": shipped["number"],  # the parser may learn to read it
        "valid_from": "2024-01-01",
        "valid_to": "2024-12-31",
        "status": shipped["status"],  # by today's date
        "domains": 8,
        "clauses": 76,
        "rules": 46,
        "source_sha256": shipped["source_sha256"],
        "source_script": "traditional",
        "read_only": True,
        "path": shipped["path"],
        "problem": None,
    }
    assert len(shipped["source_sha256"]) == 64 and Path(shipped["path"]).is_file()
    assert not _folder().exists()  # listing made nothing


def test_list_json_gives_each_domain_its_leads_budget_and_clauses(capsys):
    code, out, _ = _run(capsys, "list", "--json")
    data = json.loads(out)
    assert code == 0 and data["issuer"] == "杭州市人民政府"
    assert (data["valid_from"], data["valid_to"]) == ("2024-01-01", "2024-12-31") and "number" in data
    first = data["domains"][0]
    assert first["number"] == 1 and first["leads"] and isinstance(first["partners"], list)
    assert first["clause_numbers"] == [c["number"] for c in first["clauses"]]
    budgets = [d["budget"] for d in data["domains"] if d["budget"]]
    assert budgets and set(budgets[0]) == {"text", "yuan", "year"} and budgets[0]["yuan"].isdigit()
    assert sum(len(d["clause_numbers"]) for d in data["domains"]) == 76


# --- the corpus of layouts ------------------------------------------------------------------------------

CORPUS = ROOT / "tests" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus yet")
def test_every_layout_of_the_corpus_is_added_and_indexed_as_its_store_says(tmp_path):
    """What the index says of each package is what its store holds (the list reads no store)."""
    import tomllib

    from hzpolicy.core.store import load_store

    lib = Library()
    sources = sorted(CORPUS.glob("*.txt"))
    for src in sources:
        package, added = lib.add(src)
        assert added and package.name == src.stem
    for package in lib.packages()[1:]:
        doc = load_store(package.path)
        assert (package.title, package.title_simplified, package.issuer, package.number) == (
            doc.title,
            doc.title_simplified,
            doc.issuer,
            doc.number,
        )
        assert (package.valid_from, package.valid_to, package.source_script) == (
            doc.valid_from,
            doc.valid_to,
            doc.source_script,
        )
        assert (package.domains, package.clauses, package.rules) == (len(doc.domains), len(doc.clauses), 0)
        expected = tomllib.loads((CORPUS / f"{package.name}.txt").with_suffix(".expected.toml").read_text("utf-8"))
        assert package.title_in(expected["source_script"]) == expected["title"]
    before = _state(lib.folder)
    for broken in sorted((CORPUS / "broken").glob("*.txt")):
        expected = tomllib.loads(broken.with_suffix(".expected.toml").read_text("utf-8"))
        with pytest.raises(LibraryError) as refused:
            lib.add(broken)
        assert str(broken) in str(refused.value) and f"line {expected['line']}:" in str(refused.value)
    assert _state(lib.folder) == before


@pytest.mark.skipif(not (CORPUS / "partners_nested.txt").is_file(), reason="no corpus yet")
def test_list_json_of_a_corpus_package_gives_its_partners(capsys):
    import tomllib

    Library().add(CORPUS / "partners_nested.txt")
    expected = tomllib.loads((CORPUS / "partners_nested.expected.toml").read_text("utf-8"))
    code, out, _ = _run(capsys, "list", "--json", "--store", "partners_nested")
    data = json.loads(out)
    assert code == 0 and (data["valid_from"], data["valid_to"]) == (expected["valid_from"], expected["valid_to"])
    assert [(d["title"], d["leads"], d["partners"], d["clause_numbers"]) for d in data["domains"]] == [
        (d["title"], d["leads"], d["partners"], d["clauses"]) for d in expected["domains"]
    ]


# --- repairing a package by adding its source again -----------------------------------------------------


def test_adding_the_source_again_rebuilds_a_missing_or_damaged_store(capsys, tmp_path):
    """The cure every message gives (add its source again) works, whatever happened to the
    store: gone, cut short, replaced by another document's, or unreadable after --repair."""
    src = write(tmp_path, "ed.txt", small_edition())
    other = write(tmp_path, "other.txt", small_edition(2026, title="某市另一份政策"))
    lib = Library()
    package, _ = lib.add(src, name="ed")
    lib.add(other, name="other")
    good = package.path.read_bytes()
    damages = {
        "missing": lambda: package.path.unlink(),
        "truncated": lambda: package.path.write_bytes(good[:300]),
        "another's": lambda: package.path.write_bytes((lib.folder / "other.json").read_bytes()),
    }
    for what, damage in damages.items():
        damage()
        code, _, err = _run(capsys, "list", "--store", "ed", "--lang", "en")
        assert code == 2 and "add its source again" in err, what
        code, out, err = _run(capsys, "add", str(src), "--lang", "en")  # no --name: found by its SHA-256
        assert (code, out, err) == (0, f"rebuilt ed from {src}\n", ""), what
        assert package.path.read_bytes() == good and Library().load("ed").title == "某市關於促進產業發展的若干政策"
    # --repair keeps an unreadable store listed, with what the index knew of it: adding its
    # source again rebuilds it, and so does adding it by the name --repair gave it.
    for index_too in (False, True):
        package.path.write_bytes(good[:300])
        if index_too:
            (lib.folder / INDEX_NAME).write_bytes(b"garbage" * 100)
        assert _run(capsys, "library", "--repair")[0] == 0
        listed = Library().get("ed")
        assert listed.problem is not None and (listed.source_sha256 == package.source_sha256) is not index_too
        code, out, err = _run(capsys, "library", "--lang", "en")
        assert "[damaged]" in out and "hzpolicy-tui add SOURCE --name ed" in out
        code, out, err = _run(capsys, "add", str(src), "--name", "ed", "--lang", "en")
        assert (code, out) == (0, f"rebuilt ed from {src}\n"), err
        assert Library().get("ed").problem is None and Library().get("ed").source_sha256 == package.source_sha256
    code, out, _ = _run(capsys, "add", str(src), "--lang", "en")
    assert code == 0 and out.endswith("nothing changed\n")
    kept = f"{INDEX_NAME}.damaged-1"  # the damaged index, kept
    assert sorted(p.name for p in lib.folder.iterdir()) == [".lock", "ed.json", INDEX_NAME, kept, "other.json"]


def test_a_store_replaced_by_another_documents_is_refused_by_name(tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="a")
    b, _ = lib.add(write(tmp_path, "b.txt", small_edition(2026, title="某市另一份政策")), name="b")
    a = lib.get("a")
    a.path.write_bytes(b.path.read_bytes())
    with pytest.raises(StoreError) as err:
        lib.load("a")
    said = str(err.value.notice)
    assert (
        str(a.path) in said
        and "another document (某市另一份政策)" in said
        and "hzpolicy-tui add SOURCE --name a" in said
    )
    with pytest.raises(StoreError):
        open_document("a")


# --- bookmarks and notes follow the document -------------------------------------------------------------


def test_bookmarks_and_notes_follow_the_document_not_the_name(capsys, tmp_path):
    first = write(tmp_path, "first.txt", small_edition())
    second = write(tmp_path, "second.txt", small_edition(2026, title="某市另一份政策"))
    Library().add(first, name="reuse")
    assert _run(capsys, "bookmarks", "add", "2", "--store", "reuse")[0] == 0
    assert _run(capsys, "notes", "set", "2", "演出市场奖励100万", "--store", "reuse")[0] == 0
    code, out, _ = _run(capsys, "remove", "reuse", "--lang", "en")
    assert code == 0 and out.splitlines()[1] == (
        "its 1 bookmark and 1 note are kept: they come back if the same document is added again"
    )
    Library().add(second, name="reuse")  # another document under the name: none of them
    code, out, _ = _run(capsys, "notes", "--store", "reuse", "--lang", "en")
    assert (code, out) == (0, "no notes in this package\n")
    code, out, _ = _run(capsys, "bookmarks", "--store", "reuse", "--json")
    assert json.loads(out) == {"bookmarks": []}
    code, out, _ = _run(capsys, "remove", "reuse", "--lang", "en")
    assert code == 0 and len(out.splitlines()) == 1  # it had none: nothing more said
    Library().add(first, name="reuse")  # the same document again: they are back
    code, out, _ = _run(capsys, "notes", "--store", "reuse")
    assert code == 0 and "演出市场奖励100万" in out
    assert json.loads(_run(capsys, "bookmarks", "--json", "--store", "reuse")[1])["bookmarks"][0]["clause"] == 2
    assert data_key(Library().get(SHIPPED_PACKAGE)) == SHIPPED_PACKAGE  # the shipped one's key is as it was


def test_an_empty_list_says_so(capsys):
    for command, said in (("bookmarks", "no bookmarks in this package\n"), ("notes", "no notes in this package\n")):
        assert _run(capsys, command, "--lang", "en") == (0, said, "")
        code, out, _ = _run(capsys, command, "--json")
        assert code == 0 and json.loads(out) == {command: []}
    code, out, _ = _run(capsys, "bookmarks")
    assert code == 0 and out == "這個政策包沒有書籤\n"


# --- names ------------------------------------------------------------------------------------------------


def test_names_match_exactly_after_nfc_and_a_case_twin_is_refused(capsys, tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name=" Web ")
    assert lib.get("Web").name == "Web" and lib.get(" Web").name == "Web"
    for name in ("web", "WEB"):
        with pytest.raises(LibraryError, match="another document named Web"):
            lib.add(write(tmp_path, "b.txt", small_edition(2026)), name=name)
    with pytest.raises(LibraryError, match="no package named 'web'"):
        lib.get("web")
    code, _, err = _run(capsys, "add", str(write(tmp_path, "c.txt", small_edition(2027))), "--name", "x.JSON")
    assert code == 2 and "x.JSON" in err
    code, _, err = _run(
        capsys, "add", str(write(tmp_path, "c.txt", small_edition(2027))), "--name", "x.json", "--lang", "en"
    )
    assert code == 2 and "cannot end in .json" in err
    for argv in (["list", "--store", ""], ["compare", "", "Web"]):
        code, out, err = _run(capsys, *argv, "--lang", "en")
        assert code == 2 and out == "" and "the package name is empty" in err, argv


def test_a_file_name_that_is_not_utf8_is_added_with_a_name(capsys, tmp_path):
    gbk = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xd5\xfe\xb2\xdf2025.txt")  # 政策 in GBK
    Path(gbk).write_text(small_edition(), encoding="utf-8")
    code, out, err = _run(capsys, "add", gbk, "--lang", "en")
    assert code == 2 and out == "" and "is not UTF-8 text" in err and "--name NAME" in err and "terminal" not in err
    assert "\\xd5\\xfe" in err
    code, out, err = _run(capsys, "add", gbk, "--name", "政策2025", "--lang", "en")
    assert code == 0 and out.startswith("added 政策2025: ") and err == ""
    code, out, _ = _run(capsys, "add", gbk, "--lang", "en")
    assert code == 0 and "\\xd5\\xfe\\xb2\\xdf2025.txt is in the library already, as 政策2025" in out
    assert (
        json.loads(Library().get("政策2025").path.read_bytes())["meta"]["1"]["source_name"]
        == "\\xd5\\xfe\\xb2\\xdf2025.txt"
    )
    code, _, err = _run(capsys, "list", "--store", gbk, "--lang", "en")  # elsewhere such an argument is still refused
    assert code == 2 and "not valid UTF-8" in err


def test_a_default_name_that_cannot_be_one_says_to_give_one(capsys, tmp_path):
    code, _, err = _run(capsys, "add", str(write(tmp_path, "x" * 80 + ".txt", small_edition())), "--lang", "en")
    assert code == 2 and "longer than 60 characters" in err and "--name NAME" in err and "x" * 30 not in err


# --- storage that cannot be written ---------------------------------------------------------------------


IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _unprivileged(tmp_path, *argv):
    """The command line as a user without the rights to override permissions (root without
    its capabilities, through setpriv)."""
    import shutil

    prefix = []
    if IS_ROOT:
        if shutil.which("setpriv") is None:
            pytest.skip("root, and no setpriv to drop its rights")
        prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tui")}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "hzpolicy", *argv, "--lang", "en"], env=env, capture_output=True, text=True
    )
    return done.returncode, done.stdout, done.stderr


def test_a_read_only_library_is_read_and_a_change_says_the_folder_cannot_be_written(capsys, tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="ed")
    assert _run(capsys, "bookmarks", "add", "2", "--store", "ed")[0] == 0
    data = lib.folder.parent
    lib.folder.chmod(0o555)
    data.chmod(0o555)
    try:
        code, out, err = _unprivileged(tmp_path, "library")
        assert (code, err) == (0, "") and "\ned  " in out
        code, out, err = _unprivileged(tmp_path, "bookmarks", "--store", "ed")
        assert (code, err) == (0, "") and out.startswith("  2 ")  # read-only, never an empty list
        code, out, err = _unprivileged(tmp_path, "remove", "ed")
        assert code == 2 and f"cannot change the library in {lib.folder}" in err and "writable" in err
        assert "readonly database" not in err
        code, out, err = _unprivileged(tmp_path, "library", "--repair")
        assert code == 2 and f"cannot change the library in {lib.folder}" in err
        code, out, err = _unprivileged(tmp_path, "add", str(write(tmp_path, "b.txt", small_edition(2026))))
        assert code == 2 and f"cannot change the library in {lib.folder}" in err
        for user_file in data.glob("user.sqlite3*"):
            user_file.chmod(0o444)
        code, out, err = _unprivileged(tmp_path, "bookmarks", "--store", "ed")
        assert (code, err) == (0, "") and out.startswith("  2 ")
        code, out, err = _unprivileged(tmp_path, "bookmarks", "add", "3", "--store", "ed")
        assert code == 2 and err.count("\n") == 1 and "cannot be written" in err and "readonly" not in err
    finally:
        lib.folder.chmod(0o755)
        data.chmod(0o755)
        for user_file in data.glob("user.sqlite3*"):
            user_file.chmod(0o644)
    assert [p.name for p in Library().packages()] == [SHIPPED_PACKAGE, "ed"]


def test_sqlite_errors_are_said_in_the_readers_words(monkeypatch, tmp_path):
    from hzpolicy.core import userdata
    from hzpolicy.core.i18n import Locale

    def failure(code: int, text: str) -> sqlite3.Error:
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        return exc

    loc = Locale("traditional", "zh")
    said = loc.say(userdata.sqlite_reason(failure(sqlite3.SQLITE_READONLY, "attempt to write a readonly database")))
    assert "readonly" not in said and said == "無法寫入這個檔案或它所在的資料夾"
    monkeypatch.setattr(userdata, "disk_full", lambda path: True)
    assert userdata.sqlite_reason(failure(sqlite3.SQLITE_IOERR, "disk I/O error"), tmp_path) == "the disk is full"
    assert (
        userdata.sqlite_reason(failure(sqlite3.SQLITE_IOERR, "disk I/O error")) != "the disk is full"
    )  # no path: not known
    assert userdata.sqlite_reason(failure(sqlite3.SQLITE_CORRUPT, "database disk image is malformed")) == (
        "its content is damaged"
    )
    assert userdata.sqlite_reason(failure(1, "no such table: packages")) == "a table it needs is missing"


def test_a_repair_that_fails_leaves_everything_as_it_was(monkeypatch, capsys, tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="甲")

    def full(self, rows):
        raise self._cannot_write(library_module.Notice("the disk is full"))

    monkeypatch.setattr(Library, "_new_index", full)
    # A healthy index that cannot be checked (the disk): not damage, never moved aside.
    real_check = Library._check_index

    def io_error(self):
        raise LibraryError(library_module.Notice("cannot read {path}: {why}", path=self.index, why="I/O"))

    monkeypatch.setattr(Library, "_check_index", io_error)
    before = _state(lib.folder)
    code, _, err = _run(capsys, "library", "--repair", "--lang", "en")
    assert code == 2 and _state(lib.folder) == before
    monkeypatch.setattr(Library, "_check_index", real_check)
    # A damaged index and a full disk: the damaged one stays where it is until a new one is made.
    (lib.folder / INDEX_NAME).write_bytes(b"garbage" * 100)
    files = {p.name: p.read_bytes() for p in lib.folder.iterdir()}
    code, _, err = _run(capsys, "library", "--repair", "--lang", "en")
    assert code == 2 and "the disk is full" in err and {p.name: p.read_bytes() for p in lib.folder.iterdir()} == files


def test_repairs_beside_adds_never_show_a_half_made_index(tmp_path):
    sources = [write(tmp_path, f"k{i}.txt", small_edition(2030 + i)) for i in range(4)]
    env = {**os.environ, "HZPOLICY_DATA_DIR": str(tmp_path / "userdata"), "PYTHONPATH": str(ROOT / "tui")}
    Library(tmp_path / "userdata" / "library").add(write(tmp_path, "first.txt", small_edition()), name="first")
    runs = [argv for src in sources for argv in (["add", str(src)], ["library", "--repair"])]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "hzpolicy", *argv, "--lang", "en"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in runs
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert all(code == 0 for code, _ in results), results
    names = [p.name for p in Library(tmp_path / "userdata" / "library").packages()]
    assert names == [SHIPPED_PACKAGE, "first", "k0", "k1", "k2", "k3"]


def test_temporary_files_of_killed_adds_are_cleaned_up(tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="a")
    dead = 2**22 + 12345  # above any pid_max in use: no such process
    left = [
        lib.folder / f".adding-{dead}-d013dd2732de9ddc.json",
        lib.folder / f"..adding-{dead}-d013dd2732de9ddc.json.s896jocr.tmp",
        lib.folder / f".index-new-{dead}-ab12.sqlite3",
    ]
    running = lib.folder / f".adding-{os.getpid()}-0000000000000000.json"  # a process at work: kept
    old = lib.folder / f".adding-{os.getpid()}-1111111111111111.json"  # but not for more than an hour
    for path in [*left, running, old]:
        path.write_bytes(b"x" * 1000)
    os.utime(old, (0, 0))
    assert [p.name for p in Library().packages()] == [SHIPPED_PACKAGE, "a"]  # never listed
    lib.add(write(tmp_path, "b.txt", small_edition(2026)), name="b")
    assert not any(p.exists() for p in [*left, old]) and running.exists()


def test_an_index_of_earlier_versions_in_wal_mode_is_read_and_converted(tmp_path):
    lib = Library()
    lib.add(write(tmp_path, "a.txt", small_edition()), name="a")
    with sqlite3.connect(lib.folder / INDEX_NAME) as db:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    assert [p.name for p in Library().packages()] == [SHIPPED_PACKAGE, "a"]
    lib.add(write(tmp_path, "b.txt", small_edition(2026)), name="b")
    with sqlite3.connect(lib.folder / INDEX_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
