"""Every fix ``apytest-lint --fix`` knows, by the code of the rule whose findings it rewrites.

Imported only when fixing (it loads libcst). A fix is listed only while its rule exists, so the
table never offers to rewrite findings no rule reports.
"""

from __future__ import annotations

from apytest.rules import RULES_BY_CODE
from apytest.rules.apt101_unguarded_optional_import_fix import ImportOrSkip
from apytest.rules.apt203_write_outside_tmp_path_fix import TmpPathForWrites
from apytest.rules.apt204_unpatched_global_state_fix import MonkeypatchGlobalState
from apytest.rules.apt404_deprecated_pytest_api_fix import ReplacementForDeprecatedApi
from apytest.rules.fix_api import Fix

ALL_FIXES: tuple[type[Fix], ...] = (
    ImportOrSkip,
    TmpPathForWrites,
    MonkeypatchGlobalState,
    ReplacementForDeprecatedApi,
)

FIXES: dict[str, type[Fix]] = {fix.code: fix for fix in ALL_FIXES if fix.code in RULES_BY_CODE}
