"""The lessons as code: every rule apytest-lint knows, with its examples.

Rule codes are a public interface: the family digit is the lesson group (0 reading files,
1 dependencies, 2 structure and isolation, 3 pinning, 4 starting pytest: plugins, markers,
options).
"""

from __future__ import annotations

from apytest.rules.api import FileRule, ParseFailureRule, ProjectRule, Rule
from apytest.rules.dependencies import (
    UndeclaredDependency,
    UnguardedOptionalImport,
    UnpinnedDependency,
    UnrecordedDependency,
)
from apytest.rules.external import UnguardedExternalResource
from apytest.rules.fixtures import FixtureNameClash
from apytest.rules.isolation import UnpatchedGlobalState, WriteOutsideTmpPath
from apytest.rules.module_names import TestModuleNameClash
from apytest.rules.startup import (
    DeprecatedPytestApi,
    UndeclaredPluginOption,
    UnimportableWarningCategory,
    UnregisteredPluginMarker,
)
from apytest.rules.syntax import SyntaxErrorRule
from apytest.rules.undeclared_tests import UndeclaredTestDependencies

ALL_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    UnguardedOptionalImport,
    UndeclaredDependency,
    UnrecordedDependency,
    UndeclaredTestDependencies,
    TestModuleNameClash,
    FixtureNameClash,
    WriteOutsideTmpPath,
    UnpatchedGlobalState,
    UnguardedExternalResource,
    UnpinnedDependency,
    UnregisteredPluginMarker,
    UndeclaredPluginOption,
    UnimportableWarningCategory,
    DeprecatedPytestApi,
)

RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}

__all__ = [
    "ALL_RULES",
    "RULES_BY_CODE",
    "FileRule",
    "ParseFailureRule",
    "ProjectRule",
    "Rule",
]
