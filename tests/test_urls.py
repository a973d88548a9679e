"""Every URL by its name (STYLE.md convention 10): `{% url %}`, `reverse`, `redirect("app:name", pk)`.

A literal path in a template, a view or a script repeats the URLconf in a second place, and the two drift
apart unnoticed when a path changes. These checks read the files, so a literal cannot come back.
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "applicants",
    "execution",
    "funds",
    "imports",
    "mentoring",
    "program",
    "projects",
    "reports",
]

# An attribute that takes a URL, holding a site path ("/x…"): not "//host" (external) nor /static/.
# `?next=/…` inside a link counts too.
LITERAL_IN_TEMPLATE = re.compile(
    r"""(?:\b(?:href|action|formaction|src|hx-(?:get|post|put|patch|delete)|data-[\w-]+)\s*=\s*["']"""
    r"""|[?&]next=)/(?!/|static/)"""
)
# A site path as the value of a string in Python: "/apply/", f"/my/applications/{pk}/".
LITERAL_PATH = re.compile(r"^/[a-z]")
# A site path as a string in the project's JavaScript: the page hands the script its URLs instead.
LITERAL_IN_SCRIPT = re.compile(r"""["'`]/[a-z]""")


def template_files():
    return sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")])


def view_modules():
    """Modules that answer requests or act for them: views, APIs, services, tasks."""
    found = set()
    for app in [*APPS, "config"]:
        for pattern in ["views.py", "views/*.py", "*_views.py", "api.py", "api/*.py", "*_api.py"]:
            found.update((ROOT / app).glob(pattern))
        for pattern in ["services.py", "services/*.py", "tasks.py"]:
            found.update((ROOT / app).glob(pattern))
    return sorted(found)


def literal_paths_in_template(text: str) -> list[str]:
    """The lines that link to a site path written out."""
    return [line.strip() for line in text.splitlines() if LITERAL_IN_TEMPLATE.search(line)]


def script_files():
    return sorted((ROOT / "static" / "js").glob("*.js"))


def literal_paths_in_script(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if LITERAL_IN_SCRIPT.search(line)]


def literal_paths_in_python(source: str) -> list[str]:
    """String values that are site paths, docstrings left out (they may name a page's path)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    # An f-string's parts are judged with the f-string, not once more on their own.
    parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            first = node.values[0].value
            if isinstance(first, str) and LITERAL_PATH.match(first):
                found.append(ast.unparse(node))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | parts
        ):
            if LITERAL_PATH.match(node.value):
                found.append(repr(node.value))
    return found


def test_the_template_check_catches_a_literal_path():
    assert literal_paths_in_template('<a href="/my/">') == ['<a href="/my/">']
    assert literal_paths_in_template('<form action="/apply/{{ a.pk }}/basics/">')
    assert literal_paths_in_template('<div data-preview-url="/api/v1/cost-share/preview/">')
    assert literal_paths_in_template("<a href=\"{% url 'login' %}?next=/apply/\">")


def test_the_template_check_lets_names_and_others_through():
    allowed = [
        "<a href=\"{% url 'applicants:my-detail' application.pk %}?tab=todo\">",
        "<a href=\"{% url 'login' %}?next={% url 'applicants:apply' %}\">",
        '<a href="#main">',
        '<a href="?page=2">',
        '<a href="https://www.smart-factory.kr/">',
        '<a href="//cdn.example/x.js">',
        '<link href="/static/css/site.css">',
        '<a href="{{ back }}">',
    ]
    for line in allowed:
        assert literal_paths_in_template(line) == [], line


def test_the_script_check_catches_a_literal_path():
    assert literal_paths_in_script('fetch("/api/v1/reports/" + id + "/")')
    assert literal_paths_in_script('fetch(row.getAttribute("data-url"), {})') == []
    assert literal_paths_in_script("/* /reports/: refresh the rows */") == []


def test_the_python_check_catches_a_literal_path():
    source = 'def v(request, pk):\n    redirect("/apply/")\n    return redirect(f"/my/applications/{pk}/")\n'
    assert literal_paths_in_python(source) == ["'/apply/'", "f'/my/applications/{pk}/'"]


def test_the_python_check_lets_names_and_docstrings_through():
    source = (
        '"""`/apply/`: the way in."""\n'
        "def v(request, pk):\n"
        '    """Answers `/my/`."""\n'
        '    name = upload.name.rsplit("/", 1)[-1]\n'
        '    return redirect("applicants:my-detail", pk)\n'
    )
    assert literal_paths_in_python(source) == []


def test_the_checks_read_the_project_files():
    files = [*template_files(), *view_modules(), *script_files()]
    names = {path.relative_to(ROOT).as_posix() for path in files}
    assert "templates/base.html" in names
    assert "applicants/templates/applicants/staff/detail.html" in names
    assert "applicants/views/apply.py" in names
    assert "reports/outcome_views.py" in names
    assert "funds/views.py" in names
    assert "static/js/reports.js" in names


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_templates_link_by_url_name(path):
    assert literal_paths_in_template(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", view_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_views_redirect_by_url_name(path):
    assert literal_paths_in_python(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", script_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_scripts_take_their_urls_from_the_page(path):
    assert literal_paths_in_script(path.read_text(encoding="utf-8")) == []


def test_every_page_has_a_name_in_its_app():
    """A page without a name cannot be reversed, and its app's URLs without `app_name` share one
    namespace with every other app's."""
    app_urlconfs = {f"{app}.urls" for app in APPS}
    checked, unnamed = [], []
    for resolver in get_resolver().url_patterns:
        module = getattr(getattr(resolver, "urlconf_module", None), "__name__", None)
        if not isinstance(resolver, URLResolver) or module not in app_urlconfs:
            continue
        assert resolver.app_name, module
        checked.append(module)
        unnamed += [str(p.pattern) for p in resolver.url_patterns if isinstance(p, URLPattern) and not p.name]
    assert sorted(checked) == [
        "accounts.urls",
        "applicants.urls",
        "execution.urls",
        "funds.urls",
        "imports.urls",
        "mentoring.urls",
        "program.urls",
        "projects.urls",
        "reports.urls",
    ]
    assert unnamed == []


# URL patterns the access matrix (tests/test_access_matrix.py) does not open, each with its reason.
# Every other named pattern must be opened by at least one matrix case.
NOT_IN_MATRIX = {
    # Django's admin: its own permission system, superusers only; the matrix opens a sample of
    # its pages (/admin/, a changelist, a change page) to show the gate, not each of its patterns.
    "admin:*",
}


def _url_names(patterns, namespace=""):
    """Every named pattern under `patterns`, recursively, as "namespace:name"."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def _excluded(name: str) -> bool:
    return any(name.startswith(rule[:-1]) if rule.endswith("*") else name == rule for rule in NOT_IN_MATRIX)


def project_url_names() -> set[str]:
    """The names of every page and `api/v1/` pattern of the project, the exclusions left out."""
    return {name for name in _url_names(get_resolver().url_patterns) if not _excluded(name)}


def test_the_walk_finds_pages_and_api_patterns_in_their_namespaces():
    names = project_url_names()
    assert {"applicants:staff-detail", "reports:sponsor-dashboard", "program-detail", "login"} <= names
    assert not any(name.startswith("admin:") for name in names)


def test_every_url_pattern_is_in_the_access_matrix():
    """A new page or endpoint joins the access matrix (STYLE.md convention 4), or this fails with
    its name; a pattern the matrix should not cover goes to NOT_IN_MATRIX with its reason."""
    from tests.test_access_matrix import CASES

    missing = uncovered(project_url_names(), CASES)
    assert not missing, "URL patterns missing from tests/test_access_matrix.py: " + ", ".join(missing)


def uncovered(names: set[str], cases) -> list[str]:
    """The pattern names no matrix case opens, sorted."""
    return sorted(names - {case.url_name for case in cases})


def test_the_coverage_check_names_the_pattern_no_case_opens():
    from tests.test_access_matrix import Case

    cases = [
        Case("GET", "/staff/programs/{program_a}/", "staff", 200),
        Case("GET", "/nowhere/", "staff", 404),
    ]
    names = {"program:staff-program-edit", "program:staff-audit"}
    assert uncovered(names, cases) == ["program:staff-audit"]


# The roles SPEC §14 adds: staff of another agency and the ministry. Each pattern says what they get.
AGENCY_ROLES = ("staff-other", "ministry")
# Placeholders that stand for objects under agency A (tests/test_access_matrix.py's world): a pattern
# opened on one of them is walked as staff of the other agency, which must answer 404 (SPEC §14).
# The shared registers (sponsors, companies, suppliers, mentors, agencies) are not among them.
AGENCY_A_OBJECTS = {
    "program_a",
    "program_b",
    "program_draft",
    "app_a",
    "app_b",
    "app_c",
    "attachment",
    "assignment",
    "session",
    "outcome",
    "report",
}


def unnamed_for(names: set[str], cases, role: str) -> list[str]:
    """The pattern names no matrix case names `role`'s answer for (a default does not count), sorted."""
    return sorted(names - {case.url_name for case in cases if case.role == role and case.explicit})


def unwalked(names: set[str], cases) -> list[str]:
    """The patterns opened on an agency A object for which no case has staff-other answer 404, sorted."""
    placeholders = re.compile(r"\{(\w+)\}")
    about_a = {case.url_name for case in cases if AGENCY_A_OBJECTS & set(placeholders.findall(case.url))}
    walked = {case.url_name for case in cases if case.role == "staff-other" and case.expected == 404}
    return sorted((names & about_a) - walked)


@pytest.mark.parametrize("role", AGENCY_ROLES)
def test_every_url_pattern_says_what_another_agency_and_the_ministry_get(role):
    """Every page and endpoint has a matrix case that names this role's answer (SPEC §14), or this
    fails with the names of the patterns that leave it to a default."""
    from tests.test_access_matrix import CASES

    missing = unnamed_for(project_url_names(), CASES, role)
    assert not missing, f"URL patterns with no {role} case in tests/test_access_matrix.py: " + ", ".join(
        missing
    )


def test_every_url_pattern_is_walked_as_staff_of_another_agency():
    """Every pattern opened on an object of agency A is opened by agency B's staff too, answering 404
    (SPEC §14): staff of one agency walking every URL against another agency's objects."""
    from tests.test_access_matrix import CASES

    missing = unwalked(project_url_names(), CASES)
    assert not missing, "URL patterns not walked by staff-other on agency A's objects: " + ", ".join(missing)


def test_the_agency_checks_name_what_is_missing():
    from tests.test_access_matrix import Case

    cases = [
        Case("GET", "/staff/programs/{program_a}/", "staff-other", 404),
        Case("GET", "/staff/programs/{program_a}/", "ministry", 200, explicit=False),
        Case("GET", "/staff/programs/{program_a}/outcomes/", "staff-other", 200),
    ]
    names = {"program:staff-program-edit", "reports:program-outcomes"}
    assert unnamed_for(names, cases, "ministry") == ["program:staff-program-edit", "reports:program-outcomes"]
    assert unnamed_for(names, cases, "staff-other") == []
    assert unwalked(names, cases) == ["reports:program-outcomes"]
