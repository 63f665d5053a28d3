"""The lessons as code: every rule apytest-lint knows, one module per code.

``ls rules/`` is the catalogue: ``apt203_write_outside_tmp_path.py`` holds APT203, its
documentation and its examples (its tests), and ``apt203_write_outside_tmp_path_fix.py`` its fix
where it has one (a module of its own because fixes load libcst, which a plain lint run never
does). ``api.py`` is the contract between rules and the engine, ``fix_api.py`` the one between
fixes and the engine, ``fixes.py`` the table of fixes, and ``support/`` what several rules share.

Rule codes are a public interface: the family digit is the lesson group (0 reading files,
1 dependencies, 2 structure and isolation, 3 pinning, 4 starting pytest: plugins, markers,
options).
"""

from __future__ import annotations

from apytest.rules.api import FileRule, ParseFailureRule, ProjectRule, Rule
from apytest.rules.apt001_syntax_error import SyntaxErrorRule
from apytest.rules.apt002_exit_on_import import ExitOnImport
from apytest.rules.apt101_unguarded_optional_import import UnguardedOptionalImport
from apytest.rules.apt102_undeclared_dependency import UndeclaredDependency
from apytest.rules.apt103_unrecorded_dependency import UnrecordedDependency
from apytest.rules.apt104_undeclared_test_dependencies import UndeclaredTestDependencies
from apytest.rules.apt201_test_module_name_clash import TestModuleNameClash
from apytest.rules.apt202_fixture_name_clash import FixtureNameClash
from apytest.rules.apt203_write_outside_tmp_path import WriteOutsideTmpPath
from apytest.rules.apt204_unpatched_global_state import UnpatchedGlobalState
from apytest.rules.apt205_unguarded_external_resource import UnguardedExternalResource
from apytest.rules.apt301_unpinned_dependency import UnpinnedDependency
from apytest.rules.apt401_unregistered_plugin_marker import UnregisteredPluginMarker
from apytest.rules.apt402_undeclared_plugin_option import UndeclaredPluginOption
from apytest.rules.apt403_unimportable_warning_category import UnimportableWarningCategory
from apytest.rules.apt404_deprecated_pytest_api import DeprecatedPytestApi
from apytest.rules.apt405_undeclared_plugin_fixture import UndeclaredPluginFixture
from apytest.rules.apt406_async_test_without_plugin import AsyncTestWithoutPlugin

ALL_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    ExitOnImport,
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
    UndeclaredPluginFixture,
    AsyncTestWithoutPlugin,
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
