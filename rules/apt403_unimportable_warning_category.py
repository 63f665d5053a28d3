"""APT403: a ``filterwarnings`` category from a package only a non-test extra declares."""

from __future__ import annotations

from collections.abc import Iterator

from apytest.rules.api import (
    Finding,
    ProjectContext,
    ProjectRule,
)
from apytest.rules.support.startup import (
    CONFIG_WARNING,
    config_example,
    config_finding,
    filter_entries,
    startup_index,
    warning_error,
)


class UnimportableWarningCategory(ProjectRule):
    """A ``filterwarnings`` entry whose warning category lives in a package the tests lack.

    Reported then, when the category's package is declared only in an extra or group the tests
    do not install. Categories of the standard library, pytest, the project itself or a test
    dependency are fine; a package declared nowhere may arrive with another dependency, so
    (precision first) it is not reported either.

    ## Why is this bad?
    pytest imports the category of every ``filterwarnings`` (and ``-W``) entry to apply it:
    ``ignore::trio.TrioDeprecationWarning`` needs trio. Where the package is not installed,
    pytest warns "Failed to import filter module 'trio'" (older releases stopped with "while
    parsing the following warning configuration"), and where ``filterwarnings`` makes warnings
    errors (``error``) that warning stops the run before a test.
    """

    code = "APT403"
    name = "unimportable-warning-category"
    lesson = "startup-plugins"
    summary = "a filterwarnings category from a package only a non-test extra declares"
    VALID = (
        config_example(
            """
            filterwarnings = [
                'error',
                'ignore::DeprecationWarning',
                'ignore::pytest.PytestUnraisableExceptionWarning',
                'ignore::hypothesis.errors.NonInteractiveExampleWarning',
            ]
            """,
            extras='test = ["pytest>=8", "hypothesis>=6"]\n',
        ),
        config_example(
            "filterwarnings = ['ignore::fancywarnings.FancyDeprecationWarning']\n",
            extras='test = ["pytest>=8"]\nasync = ["fancywarnings>=1"]\n',
        ),
    )
    INVALID = (
        config_example(
            """
            filterwarnings = [
                'error',
                'ignore::fancywarnings.FancyDeprecationWarning',
            ]
            """,
            extras='test = ["pytest>=8"]\nasync = ["fancywarnings>=1"]\n',
            line=12,
        ),
    )

    @classmethod
    def check(cls, ctx: ProjectContext) -> Iterator[Finding]:
        config = ctx.model.pytest_config
        error = warning_error(config, CONFIG_WARNING)
        if error is None:
            return  # pytest only warns "Failed to import filter module"
        index = startup_index(ctx)
        if not config.path or index is None:
            return
        for entry in filter_entries(config):
            fields = entry.split(":")
            category = fields[2].strip() if len(fields) > 2 else ""
            module = category.rpartition(".")[0]
            if not module or module.partition(".")[0] in ("pytest", "_pytest", "builtins"):
                continue
            resolution = index.resolve(module)
            if resolution.origin != "optional":
                continue
            sections = sorted({d.section for d in resolution.declarations})
            yield config_finding(
                cls.code,
                config,
                entry,
                f"filterwarnings entry {entry!r} imports {module}, from "
                f"{resolution.distribution}, which only {', '.join(sections)} declares: where "
                f"the tests run without it, pytest does not start (filterwarnings '{error}' "
                "makes its 'Failed to import filter module' an error); declare it for the "
                "tests, or drop the entry",
            )
