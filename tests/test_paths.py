"""Paths and files under content/: nothing is published unless it is checked, and every
name is portable to a USB stick.

Each case is made in a throw-away copy of the project (symbolic links, loops, dangling
links, huge files and names that differ only by case cannot live in git): ``hub check``
refuses it with file, line 1 and rule, without a traceback; ``hub build`` fails and
leaves no site/ holding what was refused; ``hub check PATH`` on the refused file says
what the full check says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, serve_folder

from knowledgehub.model.content import ContentModel
from knowledgehub.model.project import ZIP_PATH_LIMIT, ZIP_TOP, Project, max_id_length, zip_path
from knowledgehub.outputs.scaffold import ScaffoldError, new_entry
from knowledgehub.policy.files import _Files, svg_allowlist, svg_findings
from knowledgehub.policy.settings import ENV_SKIP, RULES, PolicySettings
from knowledgehub.policy.sweep import content_problems

PNG = (
    ROOT / "tests" / "fixtures" / "hostile" / "content" / "case-studies" / "files" / "pixel.png"
).read_bytes()
SECRET = "the-repository-secret-4f1c"


def run_hub(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != ENV_SKIP}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def check(project: Path, *paths: str) -> tuple[int, list[dict]]:
    done = run_hub(project, "check", "--format", "json", *paths)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else []


# -- the cases: (id, what to make in the project, the path refused, its rule, a word of the message)


def _secret_folder(project: Path) -> Path:
    secret = project / "private"
    secret.mkdir()
    (secret / "passwords.txt").write_text(SECRET)
    return secret


def link_folder_out(project: Path) -> None:
    (project / "content" / "leak").symlink_to(_secret_folder(project))


def link_to_git(project: Path) -> None:
    git = project / ".git"
    git.mkdir()
    (git / "config").write_text(SECRET)
    (project / "content" / "case-studies" / "repo").symlink_to(Path("..", "..", ".git"))


def link_into_skipped_folder(project: Path) -> None:
    hidden = project / "content" / ".private"
    hidden.mkdir()
    (hidden / "notes.txt").write_text(SECRET)
    (project / "content" / "notes").symlink_to(Path(".private"))


def link_file_out(project: Path) -> None:
    _secret_folder(project)
    (project / "private" / "photo.png").write_bytes(PNG + SECRET.encode())
    (project / "content" / "photo.png").symlink_to(project / "private" / "photo.png")


def link_loop(project: Path) -> None:
    (project / "content" / "loop-a").symlink_to("loop-b")
    (project / "content" / "loop-b").symlink_to("loop-a")


def link_to_own_folder(project: Path) -> None:
    (project / "content" / "case-studies" / "again").symlink_to(Path(".."))


def link_dangling(project: Path) -> None:
    (project / "content" / "gone.png").symlink_to("does-not-exist.png")


def page(name: str, text: str = "# A page\n"):
    def make(project: Path) -> None:
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    make.__name__ = f"page({name})"
    return make


def huge_page(project: Path) -> None:
    with open(project / "content" / "about.md", "w") as handle:
        handle.write("# About\n\n<script>alert(1)</script>\n")
        handle.truncate(6 * 1024 * 1024)  # sparse: over the 5 MB default limit


def attachment(name: str, data: bytes = PNG):
    def make(project: Path) -> None:
        path = project / "content" / "case-studies" / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    make.__name__ = f"attachment({name!r})"
    return make


def case_twins(project: Path) -> None:
    attachment("Map.png")(project)
    attachment("map.png")(project)


def long_entry_id(project: Path) -> None:
    source = sorted((project / "content" / "organisations").glob("*.md"))[0]
    (project / "content" / "organisations" / f"{LONG_ID}.md").write_text(source.read_text())


def long_attachment_path(project: Path) -> None:
    assert len(ZIP_TOP + DEEP + "/" + LONG_NAME + ".png") == ZIP_PATH_LIMIT + 1
    (project / "content" / DEEP).mkdir(parents=True)
    (project / "content" / DEEP / f"{LONG_NAME}.png").write_bytes(PNG)


DEEP = "case-studies/files/" + "/".join(["folder-of-forty-characters-long-name-xx"] * 4)
LONG_NAME = "p" * (ZIP_PATH_LIMIT + 1 - len(ZIP_TOP + DEEP + "/.png"))
LONG_ID = "a" * (ZIP_PATH_LIMIT - len(f"{ZIP_TOP}organisations/.html") + 1)
CASES = [
    (link_folder_out, "content/leak", "policy-file-outside", "outside content/"),
    (link_to_git, "content/case-studies/repo", "policy-file-outside", "outside content/"),
    (link_into_skipped_folder, "content/notes", "policy-file-outside", "not checked"),
    (link_file_out, "content/photo.png", "policy-file-outside", "outside content/"),
    (link_loop, "content/loop-a", "policy-file-missing", "loops"),
    (link_to_own_folder, "content/case-studies/again", "policy-file-missing", "loops"),
    (link_dangling, "content/gone.png", "policy-file-missing", "leads nowhere"),
    (
        page("case-studies/report.MD"),
        "content/case-studies/report.MD",
        "policy-file-name",
        "rename it to report.md",
    ),
    (
        page("case-studies/.draft.md"),
        "content/case-studies/.draft.md",
        "policy-file-name",
        "not published and not checked",
    ),
    (
        page("case-studies/..md"),
        "content/case-studies/..md",
        "policy-file-name",
        "not published and not checked",
    ),
    (page("case-studies/_draft.md"), "content/case-studies/_draft.md", "policy-file-name", "not checked"),
    (huge_page, "content/about.md", "policy-file-size", "the limit is 5 MB"),
    (
        attachment("notes.js", b"alert(1)"),
        "content/case-studies/files/notes.js",
        "policy-file-kind",
        "allowed",
    ),
    (case_twins, "content/case-studies/files/map.png", "policy-file-name", "differ only by case"),
    (attachment("con.png"), "content/case-studies/files/con.png", "policy-file-name", "reserves"),
    (
        attachment("LPT1.report.png"),
        "content/case-studies/files/LPT1.report.png",
        "policy-file-name",
        "reserves",
    ),
    (attachment("aux"), "content/case-studies/files/aux", "policy-file-name", "reserves"),
    (
        attachment("a:b.png"),
        "content/case-studies/files/a:b.png",
        "policy-file-name",
        "Windows does not allow",
    ),
    (
        attachment("why?.png"),
        "content/case-studies/files/why?.png",
        "policy-file-name",
        "Windows does not allow",
    ),
    (
        attachment('say"so".png'),
        'content/case-studies/files/say"so".png',
        "policy-file-name",
        "Windows does not allow",
    ),
    (attachment("bell\x07.png"), "content/case-studies/files/bell\x07.png", "policy-file-name", "U+0007"),
    (
        attachment("back\\slash.png"),
        "content/case-studies/files/back\\slash.png",
        "policy-file-name",
        "Windows",
    ),
    (attachment("dot.png."), "content/case-studies/files/dot.png.", "policy-file-name", "ends with a dot"),
    (
        attachment("space.png "),
        "content/case-studies/files/space.png ",
        "policy-file-name",
        "ends with a dot or a space",
    ),
    (long_entry_id, f"content/organisations/{LONG_ID}.md", "policy-file-name", "USB"),
    (long_attachment_path, f"content/{DEEP}/{LONG_NAME}.png", "policy-file-name", "241 characters long"),
]
IDS = [make.__name__ for make, *_ in CASES]


@pytest.fixture(scope="module")
def clean_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("clean") / "hub")


def test_the_rule_is_known():
    assert "policy-file-name" in RULES


def test_the_real_library_passes_the_sweep(clean_project):
    code, problems = check(clean_project)
    assert code == 0 and problems == [], problems


@pytest.fixture(params=CASES, ids=IDS)
def refused(request, tmp_path):
    make, path, rule, words = request.param
    project = copy_project(tmp_path / "hub")
    make(project)
    return project, path, rule, words


def test_each_case_is_refused_with_file_line_and_rule(refused):
    project, path, rule, words = refused
    code, problems = check(project)
    assert code == 1
    mine = [p for p in problems if p["path"] == path]
    assert {(p["line"], p["rule"]) for p in mine} >= {(1, rule)}, problems
    assert any(words in p["message"] or words in p.get("hint", "") for p in mine if p["rule"] == rule), mine
    # `hub check PATH` on the refused file says the same as the full check
    code, alone = check(project, path)
    assert code == 1
    assert [p for p in alone if p["path"] == path] == mine


def test_each_refused_project_builds_nothing(refused):
    project, path, rule, _ = refused
    done = run_hub(project, "build")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}:1: error:" in done.stderr
    site = project / "site"
    published = list(site.rglob("*")) if site.exists() else []
    assert not published, published[:5]


def test_a_link_to_a_folder_with_a_secret_never_lands_in_site(tmp_path):
    """A build with the policy on refuses it; even the folder MkDocs is asked to build
    into stays without the secret."""
    project = copy_project(tmp_path / "hub")
    link_folder_out(project)
    done = run_hub(project, "build")
    assert done.returncode == 1
    for folder in (project / "site", project):
        for path in folder.rglob("*.txt"):
            if "private" not in path.parts:
                assert SECRET not in path.read_text(errors="replace"), path


def test_a_link_that_stays_inside_content_is_followed_and_checked(tmp_path):
    project = copy_project(tmp_path / "hub")
    files = project / "content" / "case-studies" / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "map.png").write_bytes(PNG)
    (project / "content" / "case-studies" / "pictures").symlink_to("files")
    assert check(project) == (0, [])
    (files / "tool.exe").write_bytes(b"MZ")
    code, problems = check(project)
    assert code == 1
    assert {(p["path"], p["rule"]) for p in problems} == {
        ("content/case-studies/files/tool.exe", "policy-file-kind"),
        ("content/case-studies/pictures/tool.exe", "policy-file-kind"),
    }


def test_hidden_files_that_are_not_markdown_are_left_alone(tmp_path):
    project = copy_project(tmp_path / "hub")
    (project / "content" / "case-studies" / ".gitkeep").write_text("")
    (project / "content" / ".cache").mkdir()
    (project / "content" / ".cache" / "x.md").write_text("<script>alert(1)</script>")
    assert check(project) == (0, [])


# -- hub check PATH outside the type folders -------------------------------------------


def test_check_of_a_page_outside_the_type_folders_is_the_full_check(tmp_path):
    project = copy_project(tmp_path / "hub")
    (project / "content" / "about.md").write_text("# About\n\nWho runs the hub.\n")
    assert check(project, "content/about.md") == (0, [])
    files = project / "content" / "files"
    files.mkdir()
    (files / "drawing.svg").write_bytes(
        (ROOT / "tests/fixtures/hostile/content/case-studies/files/with-script.svg").read_bytes()
    )
    (files / "pixel.png").write_bytes(PNG)
    _, full = check(project)
    assert {(p["path"], p["rule"]) for p in full} == {("content/files/drawing.svg", "policy-svg")}
    for target in ("content/files/drawing.svg", "content/files", "content/files/"):
        code, alone = check(project, target)
        assert (code, alone) == (1, full), target
    code, alone = check(project, "content/files/pixel.png")
    assert (code, alone) == (0, [])


# -- SVG: an allow-list, and only ever shown as an image -------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 9 9">'


@pytest.mark.parametrize(
    "body, why",
    [
        ("<style>rect{fill:red}</style>", "<style>"),
        ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">x()</h:script>', "script"),
        ('<x:script xmlns:x="urn:anything">x()</x:script>', "script"),
        ("<SCRIPT>x()</SCRIPT>", "SCRIPT"),
        ('<rect onclick="x()"/>', "onclick"),
        ('<rect ONLOAD="x()"/>', "ONLOAD"),
        ('<use href="other.svg#a"/>', "outside the drawing"),
        ('<use xlink:href="  https://evil.example/a.svg#a"/>', "outside the drawing"),
        ('<use href="#a b"/>', "outside the drawing"),
        ('<rect fill="url(other.svg#g)"/>', "url()"),
        ("<rect fill=\"url( '#g' ) url(x)\"/>", "url()"),
        ('<rect style="fill:URL(https://t.example/p)"/>', "url()"),
        ("<rect style=\"fill:image-set('p.png' 1x)\"/>", "image-set"),
        ('<rect style="fill:\\75rl(p.png)"/>', "CSS escape"),
        ("<rect style=\"@import 'x.css'\"/>", "at-rule"),
        ('<rect e:x="1" xmlns:e="urn:editor"/>', "'x' attribute"),
        ('<rect data-x="1"/>', "'data-x' attribute"),
        ("<image/>", "<image>"),
        ("<a/>", "<a>"),
        ("<animate/>", "<animate>"),
        ("<feImage/>", "<feImage>"),
        ("&amp;<text>&#60;script&#62;</text>", None),  # escaped text is text: allowed
    ],
)
def test_svg_allow_list(body, why):
    found = svg_findings((SVG + body + "</svg>").encode())
    if why is None:
        assert found == []
    else:
        assert found and all(f.rule == "policy-svg" for f in found)
        assert any(why in f.message for f in found), found


@pytest.mark.parametrize(
    "data, why",
    [
        (b"<svg", "not well-formed"),
        (b'<!DOCTYPE svg SYSTEM "http://evil.example/x.dtd">' + SVG.encode() + b"</svg>", "DTD"),
        (b'<?xml-stylesheet href="x.css"?>' + SVG.encode() + b"</svg>", "processing instruction"),
        (SVG.encode() + b"<?php echo 1 ?></svg>", "processing instruction"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "root"),
        (b"<svg/>", "not in the SVG namespace"),
    ],
)
def test_svg_documents_that_are_not_plain_svg(data, why):
    found = svg_findings(data)
    assert found and any(why in f.message for f in found), found


def test_the_svg_allow_list_is_data_and_cannot_allow_script(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "allowlist.yml").write_text(
        "svg:\n  elements: [svg, script, foreignObject, circle]\n  attributes: [onload, r, viewBox]\n"
    )
    allow = svg_allowlist(model)
    assert svg_findings((SVG + '<circle r="1"/></svg>').encode(), allow) == []
    assert svg_findings((SVG + "<script>x()</script></svg>").encode(), allow)
    assert svg_findings((SVG + "<foreignObject/></svg>").encode(), allow)
    assert svg_findings((SVG.replace("<svg", '<svg onload="x()"') + "</svg>").encode(), allow)
    # rect is not listed there: the project's list is the one used
    assert svg_findings((SVG + "<rect/></svg>").encode(), allow)
    (model / "allowlist.yml").write_text("elements: [p]\n")
    assert "no 'svg:' section" in svg_findings((SVG + "</svg>").encode(), svg_allowlist(model))[0].message


def test_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    data = (
        f'<!DOCTYPE svg [<!ENTITY s SYSTEM "file://{secret}">]>' + SVG + "<text>&s;</text></svg>"
    ).encode()
    found = svg_findings(data)
    assert found and SECRET not in repr(found)


@pytest.mark.parametrize(
    "address",
    ["files/a.svg", "./files/a.svg", "files/A.SVG", "files/a.svg?x=1#top", "files/a%2Esvg", "files\\a.svg"],
)
def test_a_link_to_an_svg_is_refused_but_an_image_is_not(tmp_path, address):
    content = tmp_path / "content"
    (content / "files").mkdir(parents=True)
    (content / "files" / "a.svg").write_text(SVG + "<rect/></svg>")
    files = _Files(content, content, PolicySettings())
    link = files.check("link", address, 7)
    assert [(f.line, f.rule) for f in link] == [(7, "policy-svg")]
    assert "![" in link[0].hint
    assert files.check("image", "files/a.svg", 8) == []


# -- ids the scaffold makes fit the USB zip ---------------------------------------------


def test_zip_paths_and_the_longest_id():
    assert (
        zip_path("organisations/iwsd.md", entry=True)
        == "water-services-knowledge-hub/organisations/iwsd.html"
    )
    assert zip_path("about.md", entry=False) == "water-services-knowledge-hub/about.html"
    assert (
        zip_path("case-studies/files/a.pdf", entry=False)
        == "water-services-knowledge-hub/case-studies/files/a.pdf"
    )
    longest = max_id_length("organisations")
    assert len(zip_path(f"organisations/{'a' * longest}.md", entry=True)) == ZIP_PATH_LIMIT - 1
    assert longest >= 100  # room for the longest id the validator allows


def test_the_boundary_of_the_zip_path(tmp_path):
    model = ContentModel.load(ROOT / "model")
    content = tmp_path / "content"
    folder = content / "case-studies" / "files"
    folder.mkdir(parents=True)
    room = ZIP_PATH_LIMIT - len(ZIP_TOP + "case-studies/files/.png")
    (folder / ("a" * (room - 1) + ".png")).write_bytes(PNG)  # 239 characters in the zip
    assert content_problems(content, model, PolicySettings()) == []
    (folder / ("b" * room + ".png")).write_bytes(PNG)  # 240: over
    assert [p.rule for p in content_problems(content, model, PolicySettings())] == ["policy-file-name"]


def test_hub_new_makes_ids_that_fit(tmp_path):
    project = Project.find(config_file=copy_project(tmp_path / "hub", with_content=False) / "mkdocs.yml")
    model = ContentModel.load(project.model_dir)
    ctype = next(iter(model.types.values()))
    path = new_entry(project, ctype.name, title="Water " * 200, model=model)
    assert len(path.stem) <= max_id_length(ctype.folder)
    assert len(zip_path(path.relative_to(project.content_dir).as_posix(), entry=True)) < ZIP_PATH_LIMIT
    with pytest.raises(ScaffoldError, match="characters long"):
        new_entry(project, ctype.name, slug="a" * (max_id_length(ctype.folder) + 1), model=model)


# -- what a reader sees: an SVG that passes is shown, as an image --------------------------


def test_an_allowed_svg_shows_as_an_image_in_chromium(tmp_path, page):
    project = copy_project(tmp_path / "hub")
    files = project / "content" / "organisations" / "files"
    files.mkdir()
    (files / "chart.svg").write_bytes(
        (ROOT / "tests/fixtures/hostile/content/case-studies/files/clean-chart.svg").read_bytes()
    )
    entry = sorted((project / "content" / "organisations").glob("*.md"))[0]
    with open(entry, "a", encoding="utf-8") as handle:
        handle.write("\n\n![Non-revenue water by year](files/chart.svg)\n")
    assert check(project) == (0, [])
    done = run_hub(project, "build")
    assert done.returncode == 0, done.stderr
    url, server = serve_folder(project / "site")
    try:
        page.page.goto(f"{url}organisations/{entry.stem}/")
        page.page.wait_for_function(
            "() => { const i = document.querySelector('img[src$=\"chart.svg\"]'); return i && i.complete; }",
            timeout=15000,
        )
        width = page.page.evaluate("() => document.querySelector('img[src$=\"chart.svg\"]').naturalWidth")
        assert width > 0  # drawn, not a broken image
        assert page.page.evaluate("() => document.querySelectorAll('svg image, object, embed').length") == 0
        assert page.outside(url) == []
    finally:
        server.shutdown()
