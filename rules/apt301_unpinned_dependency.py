"""APT301: a requirement without a version bound (off unless selected)."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterator, Mapping
from typing import ClassVar

from packaging.markers import Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from apytest.rules.api import (
    DeclaredDependency,
    Example,
    Finding,
    Option,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.dependency_index import pins_one_release, project_index

PIN_POLICIES = ("any-bound", "pinned")


def is_bounded(specifier: str, policy: str) -> bool:
    """Whether a specifier meets the policy: any bound (``!=`` alone is none), or ``==``."""
    specs = list(SpecifierSet(specifier))
    if policy == "pinned":
        return len(specs) == 1 and pins_one_release(specifier)
    return any(spec.operator != "!=" for spec in specs)


PYTHON_MINORS = (*(f"2.{minor}" for minor in range(8)), *(f"3.{minor}" for minor in range(31)))
"""The Python versions a project's ``requires-python`` may allow (2.0 to 2.7, 3.0 to 3.30)."""
PATCHES = range(100)
"""The patch releases of a minor version looked at: ``>3.7`` allows 3.7.1 and later, whose
``python_version`` is ``3.7``."""
PLATFORMS: tuple[Mapping[str, str], ...] = tuple(
    {
        "sys_platform": sys_platform,
        "platform_system": system,
        "os_name": os_name,
        "platform_machine": machine,
        "implementation_name": implementation.lower(),
        "platform_python_implementation": implementation,
    }
    for sys_platform, system, os_name in (
        ("linux", "Linux", "posix"),
        ("win32", "Windows", "nt"),
        ("darwin", "Darwin", "posix"),
        ("cygwin", "CYGWIN_NT", "posix"),
    )
    for machine in ("x86_64", "AMD64", "arm64", "aarch64")
    for implementation in ("CPython", "PyPy")
)
"""Platforms a suite may run on, for markers that also test one."""


@functools.lru_cache(maxsize=64)
def supported_pythons(python_requires: str) -> tuple[tuple[str, str, str], ...]:
    """The versions the project's ``requires-python`` allows, as ``(minor, its first allowed
    patch release, its last)`` (``">=3.8"``: 3.8 to 3.30; ``">3.7"`` also 3.7.1 to 3.7.99);
    none when it says nothing or cannot be read, so that nothing is decided."""
    try:
        allowed = SpecifierSet(python_requires)
    except InvalidSpecifier:
        return ()
    if not python_requires.strip():
        return ()
    found = []
    for minor in PYTHON_MINORS:
        patches = [f"{minor}.{p}" for p in PATCHES if allowed.contains(f"{minor}.{p}", True)]
        if patches:
            found.append((minor, patches[0], patches[-1]))
    return tuple(found)


def never_installed(requirement: str, python_requires: str) -> bool:
    """Whether a requirement's marker is false on every Python the project supports, on every
    platform (BK3: ``importlib_metadata; python_version < '3.8'`` of a project whose
    ``python_requires`` is ``>=3.8``): pip never installs it, so no release of it can break
    the suite. A marker naming an extra, or one that cannot be evaluated, is not decided; a
    full version is tried at the first and the last patch release each minor allows."""
    try:
        marker = Requirement(requirement).marker
    except InvalidRequirement:
        return False
    pythons = supported_pythons(python_requires)
    text = str(marker)
    if marker is None or not pythons or "extra" in text:
        return False
    # only what the marker names tells environments apart: one platform and one patch release
    # each where it names none (a thousand evaluations fewer for ``python_version < "3.8"``)
    platforms = PLATFORMS if any(name in text for name in PLATFORMS[0]) else PLATFORMS[:1]
    full_versions = "python_full_version" in text
    return not any(
        _holds(marker, {**platform, "python_version": minor, "python_full_version": full})
        for minor, first, last in pythons
        for full in ((first, last) if full_versions else (first,))
        for platform in platforms
    )


def _holds(marker: Marker, environment: Mapping[str, str]) -> bool:
    """The marker's value in ``environment``; true when it cannot be evaluated there."""
    try:
        return marker.evaluate(dict(environment))
    except (UndefinedComparison, UndefinedEnvironmentName, ValueError):
        return True


UV_SECTIONS = ("dependencies", "extra:", "group:")
"""The sections of ``pyproject.toml`` that ``[tool.uv.sources]`` applies to: ``[project]``
dependencies, its extras and the dependency groups (uv's ``dev-dependencies`` among them)."""


def uv_fixes(declared: DeclaredDependency, fixed: frozenset[str]) -> bool:
    """Whether ``[tool.uv.sources]`` takes this requirement from the checkout, a file or a git
    commit (AW1): a name it fixes, written in a section of ``pyproject.toml`` that uv installs
    from (a requirements file or a tox environment of the same name is installed by pip, from
    an index)."""
    return (
        declared.name in fixed
        and declared.path.rpartition("/")[2] == "pyproject.toml"
        and declared.section.startswith(UV_SECTIONS)
    )


def uv_constraint_bounds(constraints: tuple[str, ...], policy: str) -> frozenset[str]:
    """The names (canonical) that an unmarked ``[tool.uv] constraint-dependencies`` or
    ``override-dependencies`` requirement bounds as the policy asks (DV1: datarobot-genai's
    ``"pytest>=9.0.3"``); one under a marker leaves the bare line alone elsewhere."""
    names: set[str] = set()
    for text in constraints:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        if requirement.marker is None and (
            requirement.url or is_bounded(str(requirement.specifier), policy)
        ):
            names.add(canonicalize_name(requirement.name))
    return frozenset(names)


def uv_constrains(declared: DeclaredDependency, bounds: frozenset[str]) -> bool:
    """Whether a ``[tool.uv]`` constraint or override of the root ``pyproject.toml`` bounds
    this requirement (DV1): a name it bounds, written in a section of that file which uv
    resolves (a requirements file, a tox or hatch environment is installed by another tool,
    which never reads ``[tool.uv]``)."""
    return (
        declared.name in bounds
        and declared.path == "pyproject.toml"
        and declared.section.startswith(UV_SECTIONS)
    )


def without_marker(requirement: str) -> str:
    """A requirement as a finding quotes it: its name, extras and specifier, not its marker,
    whose own quotes made the message unreadable (``'pytest; python_version >= '3.7''``); the
    finding's line shows the marker."""
    return requirement.partition(";")[0].strip()


def always_applies(requirement: str) -> bool:
    """Whether a requirement string holds on every platform and Python: no environment marker
    (a text of a tool's own syntax that PEP 508 cannot read is not known to, BA1)."""
    try:
        return Requirement(requirement).marker is None
    except InvalidRequirement:
        return False


def bounded_together(
    declared: tuple[DeclaredDependency, ...],
    policy: str,
    includes: Mapping[str, tuple[str, ...]] | None = None,
    installs_project: frozenset[str] = frozenset(),
    test_extras: frozenset[str] = frozenset(),
) -> frozenset[tuple[str, str, str]]:
    """The (path, section, name) of the requirements that one place also bounds (BA1): pip
    (and uv, conda) merge the lines of one requirements file or one list into one install, so
    ``sphinx-copybutton`` above ``sphinx-copybutton==0.5.2`` installs 0.5.2. The bound counts
    only where it always applies: under a marker, the bare line alone holds elsewhere, and so
    in tox, whose factor-conditional lines (``py39: pytest==7``) are read without their
    factors (BD6: pytest-flakefighters' bare ``pytest`` holds on py312 and later). An extra's
    bare line is bounded by the runtime's bound in the same file (CP4), a dependency group's by
    the bound of a group it includes (DN3: ``dev = [{include-group = "test"},
    "validate-pyproject[all]"]`` beside ``test``'s ``validate-pyproject >=0.24.1``), and a
    tox environment's that installs the project by the bound of the project's own runtime
    requirements (DT1), and a runtime line by the bound of an extra the tests install
    (``test_extras``) in the same file (FN3)."""
    places = {
        (d.path, d.section, d.name)
        for d in declared
        if (d.url or is_bounded(d.specifier, policy))
        and always_applies(d.requirement)
        and not d.section.startswith("tox:")
    }
    runtime = {(path, name) for path, section, name in places if section == "dependencies"}
    # CP4: an extra installs only with the project, so with the runtime's bound on the same
    # distribution (sentence-transformers' ``image = ["transformers[vision]"]`` beside
    # ``transformers>=5.0.0,<6.0.0``); a dependency group may be installed alone
    # (``pip install --group``), so the bare line alone holds there
    places |= {
        (d.path, d.section, d.name)
        for d in declared
        if d.section.startswith("extra:") and (d.path, d.name) in runtime
    }
    # FN3: the tests install the project with its test extra, as one install: vit-pytorch's
    # bare runtime ``torchvision`` ends up within the ``test`` extra's ``torchvision==0.20.0``
    tested = {(path, name) for path, section, name in places if section in test_extras}
    places |= {
        (d.path, d.section, d.name)
        for d in declared
        if d.section == "dependencies" and (d.path, d.name) in tested
    }
    # DT1: tox installs the project's runtime requirements after an environment's ``deps``,
    # so check-jsonschema's bare ``click`` there ends up within ``click>=8.5,<9``
    own = {
        name
        for path, section, name in places
        if section == "dependencies" and path in ("pyproject.toml", "setup.py", "setup.cfg")
    }
    places |= {
        (d.path, d.section, d.name)
        for d in declared
        if d.section in installs_project and d.name in own
    }
    # DN3: ``pip install --group dev`` installs the lines of the groups ``dev`` includes with
    # its own, as one list
    places |= {
        (d.path, d.section, d.name)
        for d in declared
        if d.section.startswith("group:")
        and any(
            (d.path, group, d.name) in places
            for group in _included_groups(d.section, includes or {})
        )
    }
    return frozenset(places)


def _included_groups(section: str, includes: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The dependency groups ``section`` includes, directly or through another group."""
    found: set[str] = set()
    todo = [section]
    while todo:
        for target in includes.get(todo.pop(), ()):
            if target.startswith("group:") and target not in found and target != section:
                found.add(target)
                todo.append(target)
    return found


def compiled_pins(
    declared: tuple[DeclaredDependency, ...], policy: str
) -> frozenset[tuple[str, str]]:
    """The (folder, name) of the requirements a ``.txt`` requirements file bounds (BO5): the
    output of ``pip-compile``/``uv pip compile``, which pins every name of the ``.in`` file it
    was compiled from. That ``.in`` lies in the same folder (``requirements-dev.in`` beside
    ``requirements-dev.txt``), or below the root whose ``requirements.txt`` it compiles to
    (aider's ``requirements/requirements.in``)."""
    return frozenset(
        (posixpath.dirname(d.path), d.name)
        for d in declared
        if d.path.endswith(".txt")
        and (d.url or is_bounded(d.specifier, policy))
        and always_applies(d.requirement)
    )


def pinned_by_compilation(declared: DeclaredDependency, pins: frozenset[tuple[str, str]]) -> bool:
    """Whether ``declared`` is a line of a pip-tools input (``.in``) whose name a compiled
    ``.txt`` of its folder or of the root bounds: what the suite installs is the compiled
    file; the input is loose by design, and a new release reaches the tests only when the
    project compiles again, a change of its own."""
    if not declared.path.endswith(".in"):
        return False
    folder = posixpath.dirname(declared.path)
    return (folder, declared.name) in pins or ("", declared.name) in pins


def compiled_inputs(
    declared: tuple[DeclaredDependency, ...], pins: frozenset[tuple[str, str]]
) -> frozenset[str]:
    """CK2: the pip-tools inputs (``.in``) a compiled ``.txt`` of their folder or of the root
    pins an unmarked line of: files the project compiles, whose compiled output is what the
    suite installs."""
    return frozenset(
        d.path for d in declared if always_applies(d.requirement) and pinned_by_compilation(d, pins)
    )


def left_out_by_compilation(declared: DeclaredDependency, compiled: frozenset[str]) -> bool:
    """CK2: whether ``declared`` is a marked line of a compiled input (django-lang's
    ``tzdata; sys_platform == "win32"`` in ``requirements/runtime.in``) that the compiled
    file leaves out, its marker not holding where it was compiled: nothing of the line
    reaches the install until the project compiles again, a change of its own."""
    return declared.path in compiled and not always_applies(declared.requirement)


DT1_TOX = "[testenv:mypy]\n{skip}deps =\n    mypy>=1\n    click\ncommands = mypy src/\n"
"""DT1 (check-jsonschema): a tox environment's bare ``click``; ``{skip}`` may skip installing
the project."""
EZ1_TOX = (
    "[testenv]\n{base}\n[testenv:docs]\n{docs}deps = sphinx>=7\ncommands = sphinx-build docs out\n"
    "\n[testenv:mypy]\ndeps =\n    {{[testenv]deps}}\n    mypy\ncommands = mypy src/\n"
)
"""EZ1 (neutron): a bare ``mypy`` of an environment that shares ``[testenv]``'s constraints."""
EZ1_URL = "{env:TOX_CONSTRAINTS_FILE:https://releases.openstack.org/constraints/upper/master}"
"""EZ1: OpenStack's upper constraints, pinning every requirement, read only by tox."""
FN3_PYPROJECT = (
    "[project]\nname = 'demo'\ndependencies = [\n    'torchvision',\n]\n\n"
    "[project.optional-dependencies]\n{extra} = ['torchvision==0.20.0']\n"
    "\n[dependency-groups]\ndev = ['pytest>=8']\n"
)
"""FN3 (vit-pytorch): a bare runtime ``torchvision``, pinned by the extra ``{extra}``."""
FN4_BASE = "# core requirements\n-c constraints.txt\n\ndjango\nattrs\n"
"""FN4 (openedx-events): a requirements file under a local constraints file."""
FN4_URL = "https://raw.githubusercontent.com/org/lint/master/common_constraints.txt"
"""FN4: the organisation's common constraints, which the lint cannot read."""
DT1_FILES = {"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['click>=8.5,<9']\n"}
"""DT1: the project's runtime requirements, which bound ``click``."""

DV1_PYPROJECT = """
[project]
name = 'demo'

[dependency-groups]
dev = ['pytest']

[tool.uv]
constraint-dependencies = ["{constraint}"]
"""

DN3_PYPROJECT = """
[project]
name = 'demo'

[dependency-groups]
test = ['{test}']
dev = [{{include-group = 'test'}}, 'validate-pyproject[all]']
"""
"""DN3 (validate-pyproject-schema-store): a dev group including the test group, with a bare
line of its own."""
AW1_SOURCED = """
[project]
name = 'demo'
dependencies = ['demo-core']

[tool.uv.sources]
demo-core = SOURCE
"""
"""A project taking its one requirement from the ``[tool.uv.sources]`` entry given as SOURCE."""


class UnpinnedDependency(ProjectRule):
    """A requirement without a version bound.

    With ``pin-policy = "any-bound"`` any bound satisfies the rule (``x>=1.2,<2``); with
    ``"pinned"`` only an exact ``==`` pin or a direct reference does, as applications with
    lock-style requirement files want. Off unless selected. A requirement whose marker holds on
    no Python the project supports (``requires-python``, ``python_requires``) on any platform is
    not reported: pip never installs it. Nor is one of a requirements file holding a line that
    is no requirement, option, URL or path (a pasted script): pip rejects the whole file.

    ## Why is this bad?
    An unbounded requirement installs whatever was released last: a new major version can break
    the suite overnight with no change in the project.
    """

    code = "APT301"
    name = "unpinned-dependency"
    lesson = "version-pinning"
    summary = "a requirement with no version bound"
    default_enabled = False
    options: ClassVar[Mapping[str, Option]] = {
        "pin-policy": Option(
            str,
            "any-bound",
            "'any-bound' (any version bound) or 'pinned' (exact == pins)",
            choices=PIN_POLICIES,
        ),
    }
    VALID = (
        Example(  # EZ1: tox's constraints setting, inherited from [testenv], names a URL the
            # lint cannot read: the bare mypy may be pinned there (neutron's mypy environment)
            EZ1_TOX.format(base=f"constraints = {EZ1_URL}\ndeps = pytest>=8\n", docs=""),
            path="tox.ini",
        ),
        Example(  # EZ1: the same constraints as a -c line of the [testenv] deps it references
            EZ1_TOX.format(base=f"deps =\n    -c{EZ1_URL}\n    pytest>=8\n", docs=""),
            path="tox.ini",
        ),
        Example(  # FN4: a requirements file's local constraints file names more by URL
            FN4_BASE,
            path="requirements/base.in",
            files={"requirements/constraints.txt": f"# common constraints\n-c {FN4_URL}\n"},
        ),
        Example(  # EG1: the metadata folder of a distribution named for requirements lists
            # files, not requirements (to-requirements-txt's sdist)
            "LICENSE.md\nsetup.py\n",
            path="to_requirements.txt.egg-info/SOURCES.txt",
        ),
        Example(  # FN3: the tests install the project with its test extra, which pins it
            FN3_PYPROJECT.format(extra="test"),
            path="pyproject.toml",
        ),
        Example(  # DT1: tox installs the project, and so its runtime's bound on click, after the
            # environment's deps (check-jsonschema's mypy environment)
            DT1_TOX.format(skip=""),
            path="tox.ini",
            files=DT1_FILES,
        ),
        Example(  # DT1: a skip_install that a substitution sets may not skip: not sure, silent
            DT1_TOX.format(skip="skip_install = {env:SKIP_INSTALL:false}\n"),
            path="tox.ini",
            files=DT1_FILES,
        ),
        Example(  # DN3: the group installs with the group it includes, which bounds the name
            # (validate-pyproject-schema-store's dev group)
            DN3_PYPROJECT.format(test="validate-pyproject>=0.24"),
            path="pyproject.toml",
        ),
        Example(  # CP4: the extra installs only with the runtime, which bounds transformers
            # (sentence-transformers' image extra)
            """
            [project]
            name = 'demo'
            dependencies = ['transformers>=5.0.0,<6.0.0']

            [project.optional-dependencies]
            image = ['transformers[vision]']
            """,
            path="pyproject.toml",
        ),
        Example(
            """
            [project]
            name = 'demo'
            dependencies = ['requests>=2,<3', 'idna @ https://x/i.whl']
            """,
            path="pyproject.toml",
        ),
        Example(
            """
            -r base.txt
            requests==2.32.3
            """,
            path="requirements.txt",
            files={"base.txt": ""},
        ),
        # BK3: the marker holds on no Python the project supports: pip never installs it
        Example(
            """
            [metadata]
            name = demo
            python_requires = >=3.8

            [options]
            install_requires =
                importlib_metadata; python_version < "3.8"
            """,
            path="setup.cfg",
        ),
        Example(  # BK3: requires-python of [project], and a marker on the platform too
            """
            [project]
            name = 'demo'
            requires-python = '>=3.10'
            dependencies = [
                'tomli; python_version < "3.8" and sys_platform == "win32"',
            ]
            """,
            path="pyproject.toml",
        ),
        # DW1: a marker-only extras_require key is the requirements' marker (bravado)
        Example(
            """
            from setuptools import setup

            setup(
                name="demo",
                install_requires=["requests>=2"],
                extras_require={':python_version<"3.5"': ["typing"]},
                python_requires=">=3.8",
            )
            """,
            path="setup.py",
        ),
        # AW1: [tool.uv.sources] takes them from the checkout (a workspace member, a folder) or
        # a git tag: no release of an index reaches them (apprc-core, khocr-gen)
        Example(
            """
            [project]
            name = 'demo'
            dependencies = ['demo-core']

            [project.optional-dependencies]
            rust = ['demo-native']

            [dependency-groups]
            dev = ['demo-examples', 'demo-theme']

            [tool.uv.sources]
            demo-core = { workspace = true }
            demo-native = { path = "rust", editable = true }
            demo-examples = { path = "examples/apps", editable = true }
            demo-theme = { git = "https://example.org/theme.git", tag = "v1.2" }
            """,
            path="pyproject.toml",
        ),
        Example(  # BO5: pip-compile's output beside the input pins what the input leaves loose
            "pytest\npytest-mock\n",
            path="requirements/requirements-dev.in",
            files={
                "requirements/requirements-dev.txt": (
                    "# autogenerated by pip-compile\npytest==8.2.2\npytest-mock==3.14.0\n"
                )
            },
        ),
        Example(  # CK2: a marked line of a compiled input, which the compiled file (made
            # where its marker is false) leaves out: the install never reads the input's line
            "django\ntzdata; sys_platform == 'win32'\n",
            path="requirements/runtime.in",
            files={"requirements/py312-django52.txt": "django==5.2.8\n"},
        ),
        Example(  # DB1: the value of a pip option in cibuildwheel's before-test is no requirement
            "[project]\nname = 'demo'\n\n[tool.cibuildwheel]\n"
            'before-test = "pip install --platform x86_64 --only-binary :all: numpy>=1"\n',
            path="pyproject.toml",
        ),
        Example(  # DC1: a constraints file that a requirements file names with -c: its bare
            # line bounds nothing and installs nothing (edx-api-doc-tools' constraints.txt)
            "backports.zoneinfo; python_version < '3.9'\n",
            path="requirements/constraints.txt",
            files={"requirements/base.in": "-c constraints.txt\nDjango>=4.2\n"},
        ),
        Example(  # BO5: an input below the root compiled to the root's requirements.txt
            "rich\ngrep-ast\n",
            path="requirements/requirements.in",
            files={"requirements.txt": "rich==13.7.1\ngrep-ast==0.3.3\n"},
        ),
        # BA1: the same requirements file bounds the name on another line, and pip merges the
        # two into one install (a hand-appended docs block repeating a name, pinned)
        Example(
            """
            sphinx-copybutton
            sphinx-rtd-theme>=2

            sphinx-copybutton==0.5.2
            """,
            path="requirements.txt",
        ),
        # BY3: a "requirements" file that is a pasted script: pip stops at its first line (no
        # requirement) and installs nothing of it, so no line of it is an unbounded requirement
        # (molecular-simulations' tests/requirements.txt, with a Makefile's commands)
        Example(
            '''
            """
            Requirements file for running the unit tests
            """
            pytest>=7.0.0

            test-all:
                python -m pytest test_autocluster.py -v
            ''',
            path="tests/requirements.txt",
        ),
        # BY3, through an include: pip reads every ``-r`` file before it installs anything, so a
        # file that includes a rejected one installs nothing either
        Example(
            "-r requirements.txt\nrich\n",
            path="tests/requirements-dev.txt",
            files={"tests/requirements.txt": '"""\nRequirements for the tests\n"""\npytest>=7\n'},
        ),
        # BY1: a requirements file saved as UTF-16 with a byte order mark, which pip decodes
        # (pyorcai2c's); it was an error that stopped the whole lint
        Example(b"\xff\xfe" + "ftd2xx==1.3.8\n".encode("utf-16-le"), path="requirements.txt"),
        Example(  # DV1: uv adds [tool.uv] constraint-dependencies to every resolution
            # (datarobot-genai's "pytest>=9.0.3" bounds its dev group's bare pytest)
            DV1_PYPROJECT.format(constraint="pytest>=9.0.3"),
            path="pyproject.toml",
        ),
    )
    INVALID = (
        Example(  # FN4's near miss: the local constraints file bounds django alone, and
            # names nothing it cannot read: attrs is unbounded
            FN4_BASE,
            path="requirements/base.in",
            files={"requirements/constraints.txt": "django<5\n"},
            line=5,
        ),
        Example(  # FN3's near miss: only the docs extra pins it, which the tests do not install
            FN3_PYPROJECT.format(extra="docs"),
            path="pyproject.toml",
            line=4,
        ),
        Example(  # EZ1's near miss: the unreadable constraints belong to another environment,
            # which mypy's neither inherits nor references
            EZ1_TOX.format(base="deps = pytest>=8\n", docs=f"constraints = {EZ1_URL}\n"),
            path="tox.ini",
        ),
        Example(  # EG1's near miss: a root folder named for requirements holds them
            "LICENSE.md\nsetup.py\n",
            path="to_requirements.txt/SOURCES.txt",
            line=1,
        ),
        Example(  # DV1's near miss: a constraint under a marker bounds nothing elsewhere
            DV1_PYPROJECT.format(constraint="pytest>=9.0.3; sys_platform == 'win32'"),
            path="pyproject.toml",
            line=5,
        ),
        Example(  # DN3's near miss: the included group bounds another name
            DN3_PYPROJECT.format(test="pytest>=8"),
            path="pyproject.toml",
            line=6,
        ),
        Example(  # CX2: cibuildwheel installs its test-requires, one space-separated string,
            # for the suite (ansible-pylibssh); reported at the key's line
            """
            [project]
            name = 'demo'

            [tool.cibuildwheel]
            build-verbosity = 1
            test-requires = "pytest>=8 numpy"
            """,
            path="pyproject.toml",
            line=6,
        ),
        Example(  # CP4's near miss: pip installs a dependency group without the project
            """
            [project]
            name = 'demo'
            dependencies = ['transformers>=5.0.0,<6.0.0']

            [dependency-groups]
            test = ['transformers[vision]']
            """,
            path="pyproject.toml",
            line=6,
        ),
        # BY3's near miss: pip expands ${VAR} before reading the line, so the file may install,
        # and its bare requirement is reported
        Example("${DEMO_WHEEL}\nrich\n", path="tests/requirements.txt", line=2),
        # BY3's include near miss: the included file is one pip reads, so the includer installs
        Example(
            "-r requirements.txt\nrich\n",
            path="tests/requirements-dev.txt",
            files={"tests/requirements.txt": "pytest>=7\n"},
            line=2,
        ),
        Example(  # DC1's near miss: a plain requirements.txt that a -c names is installed too
            # (aider's root requirements.txt, the constraints of its requirements-dev.in)
            "rich\n",
            path="requirements.txt",
            files={"requirements/requirements-dev.in": "-c ../requirements.txt\npytest>=8\n"},
            line=1,
        ),
        # DC1's near miss: the constraints file is also included with -r, so it installs
        Example(
            "rich\n",
            path="requirements/constraints.txt",
            files={"requirements/base.in": "-c constraints.txt\n-r constraints.txt\n"},
            line=1,
        ),
        # BY1's near miss: the UTF-16 file is read, so its unbounded requirement is reported
        Example(b"\xff\xfe" + "ftd2xx\n".encode("utf-16-le"), path="requirements.txt", line=1),
        Example(  # CK2's near miss: no line of this input is pinned by a compiled file, so
            # nothing says the project compiles it: its marked line is what pip installs
            "tzdata; sys_platform == 'win32'\n",
            path="requirements/windows.in",
            files={"requirements/py312-django52.txt": "django==5.2.8\n"},
            line=1,
        ),
        Example(  # BO5's near miss: the compiled file pins another name, not this one
            "rich\ngrep-ast\n",
            path="requirements/requirements.in",
            files={"requirements.txt": "rich==13.7.1\n"},
            line=2,
        ),
        # BD6: tox's bound holds for one factor only (py39); the other environments install
        # the newest pytest
        Example(
            """
            [testenv]
            deps =
                pytest
                py39: pytest==7
            commands = pytest
            """,
            path="tox.ini",
            line=3,
        ),
        Example(  # DT1's near miss: an environment that skips installing the project gets no
            # bound from its runtime requirements
            DT1_TOX.format(skip="skip_install = true\n"),
            path="tox.ini",
            files=DT1_FILES,
            line=5,
        ),
        # BK3's near miss: Python 3.7 is among those the project supports
        Example(
            """
            [project]
            name = 'demo'
            requires-python = '>=3.7'
            dependencies = ['importlib_metadata; python_version < "3.8"']
            """,
            path="pyproject.toml",
            line=4,
        ),
        # BN5: '>3.7' allows 3.7.1 and later, whose python_version is 3.7; so does '>=2.7'
        # Python 2.7, where a marker on Python 2 holds
        Example(
            """
            [project]
            name = 'demo'
            requires-python = '>3.7'
            dependencies = ['importlib_metadata; python_version < "3.8"']
            """,
            path="pyproject.toml",
            line=4,
        ),
        Example(
            """
            [options]
            python_requires = >=2.7
            install_requires =
                typing; python_version < "3"
            """,
            path="setup.cfg",
            line=4,
        ),
        # BK3's near miss: the marker also holds on Windows, with any Python
        Example(
            """
            [project]
            name = 'demo'
            requires-python = '>=3.10'
            dependencies = ['tomli; python_version < "3.8" or sys_platform == "win32"']
            """,
            path="pyproject.toml",
            line=4,
        ),
        # DW1's near miss: the key's marker holds on Python 3.8, which the project supports
        Example(
            """
            from setuptools import setup

            setup(
                name="demo",
                extras_require={':python_version<"3.9"': ["typing"]},
                python_requires=">=3.8",
            )
            """,
            path="setup.py",
            line=5,
        ),
        # BK3's near miss: the project says nothing of the Pythons it supports
        Example(
            """
            [options]
            install_requires =
                importlib_metadata; python_version < "3.8"
            """,
            path="setup.cfg",
            line=3,
        ),
        # BA1's near miss: the bound holds only under a marker; elsewhere the bare line installs
        # the newest release
        Example(
            """
            sphinx-copybutton
            sphinx-copybutton==0.5.2; python_version < "3.9"
            """,
            path="requirements.txt",
            line=1,
        ),
        Example(
            """
            [project]
            name = 'demo'
            dependencies = [
                'requests',
            ]
            """,
            path="pyproject.toml",
            line=4,
        ),
        Example(
            """
            pytest>=8
            hypothesis
            """,
            path="requirements-dev.txt",
            line=2,
        ),
        Example(
            """
            [dependency-groups]
            test = ['pytest!=8.0']
            """,
            path="pyproject.toml",
            line=2,
        ),
        # AP1: a tuple that two extras unpack is one requirement where it is written, reported
        # once there (tests/rules/test_dependencies_rules.py counts the findings)
        Example(
            """
            from setuptools import setup

            extra_test = (
                "pytest",
            )

            setup(
                name="demo",
                extras_require={"dev": [*extra_test], "ci": [*extra_test, "coveralls>=3"]},
            )
            """,
            path="setup.py",
            line=4,
        ),
        # AP1's near miss: the same name written twice, once in each extra, is two lines to fix
        Example(
            """
            from setuptools import setup

            setup(
                name="demo",
                extras_require={"dev": ["pytest>=8"], "ci": [
                    "pytest",
                ]},
            )
            """,
            path="setup.py",
            line=6,
        ),
        Example(  # AS3: the name also in [project] keywords, above dependencies: its own line
            """
            [project]
            name = 'demo'
            keywords = ['prefect', 'submitit']
            dependencies = [
                'prefect>=3.6,<4.0',
                'submitit',
            ]
            """,
            path="pyproject.toml",
            line=6,
        ),
        Example(  # AS3's near miss: dependencies written above keywords keep their line
            """
            [project]
            name = 'demo'
            dependencies = ['submitit']
            keywords = ['submitit']
            """,
            path="pyproject.toml",
            line=3,
        ),
        Example(  # AX1: tox's allowlist_externals above deps names the same tool: deps' line
            """
            [tool.tox.env_run_base]
            allowlist_externals = ["pytest"]
            commands = [["pytest", "{posargs:tests}"]]
            deps = ["pytest"]
            """,
            path="pyproject.toml",
            line=4,
        ),
        Example(  # AX1's near miss: deps written above allowlist_externals keep their line
            """
            [tool.tox.env_run_base]
            deps = ["pytest"]
            allowlist_externals = ["pytest"]
            """,
            path="pyproject.toml",
            line=2,
        ),
        # AR1: an optional dependency two Poetry extras name is one requirement, reported once
        # (tests/rules/test_dependencies_rules.py counts the findings)
        Example(
            """
            [tool.poetry.dependencies]
            python = "^3.8"
            sphinx = { version = "*", optional = true }

            [tool.poetry.extras]
            dev = ["sphinx"]
            docs = ["sphinx"]
            """,
            path="pyproject.toml",
            line=3,
        ),
        # AR1's near miss: the same name written twice, at two places, is two requirements
        Example(
            """
            [project]
            name = 'demo'

            [project.optional-dependencies]
            dev = ['sphinx']
            docs = ['sphinx']
            """,
            path="pyproject.toml",
            line=6,
        ),
        # AW1's near miss: a source that only picks the index still installs its newest release
        Example(
            AW1_SOURCED.replace("SOURCE", '{ index = "internal" }'), path="pyproject.toml", line=3
        ),
        # AW1's near miss, from the merge's regression: a git revision naming a branch
        Example(
            AW1_SOURCED.replace("SOURCE", '{ git = "https://example.org/core.git", rev = "main" }'),
            path="pyproject.toml",
            line=3,
        ),
        # AW1's near miss: so does a git branch, and a name only one marker's entry fixes
        Example(
            """
            [project]
            name = 'demo'
            dependencies = ['demo-core', 'demo-gpu']

            [tool.uv.sources]
            demo-core = { git = "https://example.org/core.git", branch = "main" }
            demo-gpu = [
                { path = "gpu", marker = "sys_platform == 'linux'" },
                { index = "internal", marker = "sys_platform != 'linux'" },
            ]
            """,
            path="pyproject.toml",
            line=3,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        """Each unbounded requirement once where it is written.

        AP1, AR1: one string can belong to several sections (a ``setup.py`` tuple unpacked into
        two extras, a list bound to a name that two extras use, a Poetry optional dependency
        that two ``[tool.poetry.extras]`` name): it is one line to fix, so one finding, whatever
        the number of sections it reaches.
        """
        policy = str(ctx.options["pin-policy"])
        fixed = ctx.model.dependencies.uv_fixed
        bounded = bounded_together(
            ctx.model.dependencies.declared,
            policy,
            ctx.model.dependencies.includes,
            ctx.model.dependencies.installs_project,
            frozenset(s for s in project_index(ctx).required_sections if s.startswith("extra:")),
        )
        pins = compiled_pins(ctx.model.dependencies.declared, policy)
        compiled = compiled_inputs(ctx.model.dependencies.declared, pins)
        constrained = uv_constraint_bounds(ctx.model.dependencies.uv_constraints, policy)
        reported: set[tuple[str, int, int, str]] = set()
        for declared in ctx.model.dependencies.declared:
            if declared.url or is_bounded(declared.specifier, policy):
                continue
            if never_installed(declared.requirement, ctx.model.dependencies.python_requires):
                continue  # BK3: its marker holds on no Python the project supports
            if uv_fixes(declared, fixed):
                continue
            if uv_constrains(declared, constrained):
                continue  # DV1: [tool.uv] constraint-dependencies bounds it in every resolution
            if (declared.path, declared.section, declared.name) in bounded:
                continue  # BA1: the same file or list bounds it on another line
            if pinned_by_compilation(declared, pins):
                continue  # BO5: the .txt compiled from this .in pins it
            if left_out_by_compilation(declared, compiled):
                continue  # CK2: a marked line the .txt compiled from this .in leaves out
            if declared.path in ctx.model.dependencies.constraint_files:
                continue  # DC1: a constraints file (-c) bounds others' requirements, installs none
            if declared.section in ctx.model.dependencies.unknown_constraints:
                continue  # EZ1: tox installs it under constraints no one can read here
            if declared.path in ctx.model.dependencies.rejected_files:
                continue  # BY3: pip stops at a line it rejects and installs nothing of the file
            # with its text: one place may hold several (``session.install("a", "b")``)
            where = (declared.path, declared.line, declared.col, declared.requirement)
            if where in reported:
                continue
            reported.add(where)
            need = "exact == pin" if policy == "pinned" else "version bound"
            yield Finding(
                declared.path,
                declared.line,
                declared.col,
                cls.code,
                f"'{without_marker(declared.requirement)}' has no {need}: a new release can "
                "break the suite without any change here",
            )
