"""Which distribution an import name comes from, the same in every environment.

``importlib.metadata.packages_distributions()`` answers only for what happens to be installed
where the linter runs; a CI image without the optional extras would then see different findings
than a developer's machine, and a project would get different findings from two machines. So
apytest-lint never asks it: the tables below, written by hand, cover the well-known cases where
the import name and the distribution name differ and what popular distributions require in every
release; after them, ``requirements_table.json`` holds what the newest wheels of PyPI's 15,000
most downloaded distributions install and require (``benchmarks/requirements_table.py``, which
also says how to regenerate it). Namespace packages resolve by their dotted names, and otherwise
the import name itself is the distribution's name. The standard library is every name standard
in some Python from 3.8 to 3.14, not only in the interpreter running the linter.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from apytest.rules.support.stdlib_names import STDLIB_MODULES

EMPTY: Mapping[str, tuple[str, ...]] = {}

KNOWN_DISTRIBUTIONS: Mapping[str, tuple[str, ...]] = {
    "_cffi_backend": ("cffi",),
    "_distutils_hack": ("setuptools",),
    "_hypothesis_pytestplugin": ("hypothesis",),
    "_pytest": ("pytest",),
    "absl": ("absl-py",),
    "algosdk": ("py-algorand-sdk",),  # YB5
    # AB2: eth-ape installs its core plugins as top-level packages beside ``ape``
    **{
        f"ape_{name}": ("eth-ape",)
        for name in (
            *("accounts", "cache", "compile", "console", "ethereum", "init", "networks"),
            *("node", "plugins", "pm", "run", "test"),
        )
    },
    "allauth": ("django-allauth",),
    # CN2: django-app-helper (3.3.5) installs app_helper and, under its old name,
    # djangocms_helper, which djangocms-helper (1.2.5) installs alone, per their wheels
    "app_helper": ("django-app-helper",),
    "apiclient": ("google-api-python-client",),
    "AppKit": ("pyobjc-framework-cocoa",),
    "argon2": ("argon2-cffi",),
    "attr": ("attrs",),
    "backports.asyncio.runner": ("backports-asyncio-runner",),
    "backports.zstd": ("backports-zstd",),
    "bayes_opt": ("bayesian-optimization",),  # ZG2
    "Bio": ("biopython",),
    "cc3d": ("connected-components-3d",),  # FN1: 4.1.1 wheel installs cc3d/ alone
    "CifFile": ("pycifrw",),
    "clr": ("pythonnet",),  # EF1: pythonnet 3.2.1 wheel installs clr.py beside pythonnet/
    # DF1: black installs its vendored parser blib2to3 beside black and blackd (24.2.0 wheel)
    "blib2to3": ("black",),
    "bluetooth": ("pybluez",),
    "bs4": ("beautifulsoup4",),
    "bson": ("pymongo",),
    "bumpversion": ("bump-my-version", "bumpversion"),  # VD2: bump-my-version keeps the name
    "cairo": ("pycairo",),
    "cassandra": ("cassandra-driver", "scylla-driver"),  # SA1: its fork installs the same package
    "cattr": ("cattrs",),  # ZB4: cattrs installs the old name beside its own
    "community": ("python-louvain",),
    "corsheaders": ("django-cors-headers",),
    "crispy_forms": ("django-crispy-forms",),
    # BU2: Hyperledger Indy's Plenum (indy-plenum and Indicio's fork indicio-indy-plenum),
    # outside the table: their wheels (1.13.1; 1.13.2rc20, 2025) install ``crypto`` (its BLS
    # signatures) beside ``plenum``, ``stp_core`` and ``stp_zmq``, per their top_level.txt
    "crypto": ("crypto", "indy-plenum", "indicio-indy-plenum"),
    "Crypto": ("pycryptodome", "pycrypto"),
    "cupy": ("cupy", "cupy-cuda11x", "cupy-cuda12x", "cupy-cuda13x"),
    "cupyx": ("cupy", "cupy-cuda11x", "cupy-cuda12x", "cupy-cuda13x"),
    "Cryptodome": ("pycryptodomex",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    "dateutil": ("python-dateutil",),
    "debug_toolbar": ("django-debug-toolbar",),
    "django_filters": ("django-filter",),
    "djangocms_helper": ("django-app-helper", "djangocms-helper"),  # CN2
    # DW2: panda3d's wheels install direct (its Python framework) and pandac beside panda3d
    "direct": ("panda3d",),
    "dict_compare": ("yadict-compare",),  # BB3: its wheels install dict_compare alone (1.2.0)
    "dns": ("dnspython",),
    "docx": ("python-docx",),
    "dotenv": ("python-dotenv",),
    # BF2: earthengine-api's wheels install the single package ``ee`` (its top_level.txt and
    # RECORD, 1.7.50); the table's rule for a row wants four letters in common, which ``ee`` lacks
    "ee": ("earthengine-api",),
    "engineio": ("python-engineio",),
    "environ": ("django-environ", "environ-config"),
    "factory": ("factory-boy",),
    "fitz": ("pymupdf",),
    "fixlib": ("fixinventorylib",),  # AM4: its wheels install fixlib alone
    "Foundation": ("pyobjc-framework-cocoa",),
    "gflags": ("python-gflags",),
    "gi": ("pygobject",),
    "git": ("gitpython",),
    "github": ("pygithub",),
    "gitlab": ("python-gitlab",),
    # ZA1: googleapis-common-protos' packages in the google namespace (every release since 1.5)
    "google.api": ("googleapis-common-protos",),
    "google.gapic": ("googleapis-common-protos",),
    "google.logging.type": ("googleapis-common-protos",),
    "google.longrunning": ("googleapis-common-protos",),
    "google.protobuf": ("protobuf",),
    "google.rpc": ("googleapis-common-protos",),
    # AV4: the GTFS Realtime bindings install google/transit (gtfs_realtime_pb2): 0.0.7's sdist,
    # 1.0.0's and 3.0.0's wheels, per their published file lists
    "google.transit": ("gtfs-realtime-bindings",),
    "google.type": ("googleapis-common-protos",),
    "googleapiclient": ("google-api-python-client",),
    "gribapi": ("eccodes",),  # DW2: eccodes' wheel (2.50.1) installs gribapi beside eccodes
    "gridfs": ("pymongo",),
    "griffe": ("griffe", "griffelib"),  # since griffe 2.0 the library ships as griffelib (VC1)
    "grpc": ("grpcio",),
    # VD2: grpcio's companion distributions, each installing a grpc_<name> package
    "grpc_channelz": ("grpcio-channelz",),
    "grpc_health": ("grpcio-health-checking",),
    "grpc_reflection": ("grpcio-reflection",),
    "grpc_status": ("grpcio-status",),
    "grpc_testing": ("grpcio-testing",),
    "grpc_tools": ("grpcio-tools",),
    "hailtop": ("hail",),  # AH2: hail's wheel installs Hail Batch (``hailtop``) beside ``hail``
    "hamcrest": ("pyhamcrest",),
    # FM1: IBM's fork of botocore ships as ibm-cos-sdk-core (sdists only; its 2.16.2 sdist's
    # top_level.txt and package folder are ``ibm_botocore``); ibm-botocore is the name extras use
    "ibm_botocore": ("ibm-botocore", "ibm-cos-sdk-core"),
    "iris": ("scitools-iris",),
    "jose": ("python-jose",),
    "jpype": ("jpype1",),
    # BP3: karabo-cpp (European XFEL's Karabo C++ core and its Python binding), outside the
    # table: the 3.1.2 wheel (2026) installs the top-level ``karabind`` beside ``karabo_cpp``
    "karabind": ("karabo-cpp",),
    "jwt": ("pyjwt",),
    "kafka": ("kafka-python",),
    "Levenshtein": ("levenshtein", "python-levenshtein"),
    # CE1: Lute v3 (Learning Using Texts) publishes as lute3, outside the table; its wheels 3.4.2
    # (2024) to 3.10.3 (2026) install the top-level ``lute`` (which every lute3-* parser plugin
    # imports), as the 2011 distribution lute installs a module of that name
    "lute": ("lute", "lute3"),
    "knox": ("django-rest-knox",),
    "magic": ("python-magic",),
    "markdown_it": ("markdown-it-py",),
    "mathics": ("mathics3",),  # ZF5: Mathics3's package, which every Mathics3-Module-* imports
    "memcache": ("python-memcached",),
    "mpl_toolkits": ("matplotlib",),
    "multipart": ("python-multipart",),
    "MySQLdb": ("mysqlclient",),
    "objc": ("pyobjc-core",),
    "odf": ("odfpy",),
    "OpenGL": ("pyopengl",),
    "OpenSSL": ("pyopenssl",),
    "oauth2_provider": ("django-oauth-toolkit",),
    "osgeo": ("gdal",),
    "pandac": ("panda3d",),  # DW2
    # EU1: future (1.0.0 wheel) installs past and libpasteurize beside future and libfuturize
    "past": ("future",),
    "libpasteurize": ("future",),
    "phonenumbers": ("phonenumbers", "phonenumberslite"),
    "PIL": ("pillow",),
    "pinocchio": ("pin",),  # ZH2: the robot dynamics library's wheels on PyPI
    "plenum": ("indy-plenum", "indicio-indy-plenum"),  # BU2
    "pkg_resources": ("setuptools",),
    "playhouse": ("peewee",),  # SA1: peewee's extensions
    "pook": ("pook", "pookx"),  # ZB11: its fork pookx installs the same package
    "pptx": ("python-pptx",),
    "pwem": ("scipion-em",),  # ZA4: Scipion's cryo-EM layer, imported by every scipion-em-* plugin
    "progressbar": ("progressbar2", "progressbar"),  # ZG2: progressbar2 keeps the name
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "puz": ("puzpy",),  # BN4: its wheels install the single module puz.py (0.7.0)
    "py": ("py", "pytest"),
    "pylab": ("matplotlib",),
    # CA2: pyspark-client (Spark Connect's pure-Python client, sdists only) installs the same
    # ``pyspark`` package, ``pyspark.sql`` with it, per its setup.py's packages (4.0 to 4.2)
    "pyspark": ("pyspark", "pyspark-client"),
    "pytest_lazyfixture": ("pytest-lazy-fixture",),
    "pytestqt": ("pytest-qt",),
    "pythoncom": ("pywin32",),
    "pywintypes": ("pywin32",),
    # BP2: scipion-pyworkflow (Scipion's workflow engine), outside the table: its wheels install
    # ``pyworkflow`` (3.11.7, 2025), which every scipion-em-* plugin's tests import
    "pyworkflow": ("scipion-pyworkflow",),
    "pywt": ("pywavelets",),  # ZB4
    # CJ1: ratatui (Python bindings for the Ratatui C ABI), outside the table: 0.4.2 (2025),
    # published as an sdist only, installs ``ratatui_py`` beside ``ratatui`` (its setuptools
    # packages.find includes both); ratatui-py keeps the module under its own name
    "ratatui_py": ("ratatui", "ratatui-py"),
    "pyximport": ("cython",),
    "Quartz": ("pyobjc-framework-quartz",),
    "rest_framework": ("djangorestframework",),
    "rest_framework_dataclasses": ("djangorestframework-dataclasses",),
    "rest_framework_gis": ("djangorestframework-gis",),
    "rest_framework_jwt": ("drf-jwt", "djangorestframework-jwt"),
    "rest_framework_nested": ("drf-nested-routers",),
    "rest_framework_simplejwt": ("djangorestframework-simplejwt",),
    "rest_polymorphic": ("django-rest-polymorphic",),
    # BB5: Robot Framework's wheels install the package ``robot`` alone (7.0); the published
    # table has robotframework's requirements but no row for ``robot``
    "robot": ("robotframework",),
    "RPi": ("rpi-gpio",),
    "serial": ("pyserial",),
    # AW2: pyshp's wheels install the single module shapefile.py (1.x to 3.1, per their file
    # lists); pyshp is among the 15,000 most downloaded, but the published table lacks it
    "shapefile": ("pyshp",),
    "skbase": ("scikit-base",),
    "skbuild": ("scikit-build",),
    "skimage": ("scikit-image",),
    "sklearn": ("scikit-learn",),
    "slack": ("slackclient",),
    "slugify": ("python-slugify",),
    "smartcard": ("pyscard",),
    "snappy": ("python-snappy",),
    "socketio": ("python-socketio",),
    "socks": ("pysocks",),
    "storages": ("django-storages",),
    "stp_core": ("indy-plenum", "indicio-indy-plenum"),  # BU2
    "stp_zmq": ("indy-plenum", "indicio-indy-plenum"),  # BU2
    "telegram": ("python-telegram-bot",),
    "test_utils": ("google-cloud-testutils",),
    "tlz": ("toolz", "cytoolz"),
    "usb": ("pyusb",),
    "vcr": ("vcrpy",),
    "websocket": ("websocket-client",),
    "whois": ("python-whois",),
    "servicemanager": ("pywin32",),
    "win32api": ("pywin32",),
    "win32clipboard": ("pywin32",),
    "win32com": ("pywin32",),
    "win32con": ("pywin32",),
    "win32console": ("pywin32",),
    "win32crypt": ("pywin32",),
    "win32ctypes": ("pywin32-ctypes",),
    "win32event": ("pywin32",),
    "win32file": ("pywin32",),
    "win32gui": ("pywin32",),
    "win32job": ("pywin32",),
    "win32pipe": ("pywin32",),
    "win32process": ("pywin32",),
    "win32security": ("pywin32",),
    "win32service": ("pywin32",),
    "win32serviceutil": ("pywin32",),
    "win32timezone": ("pywin32",),
    "winerror": ("pywin32",),
    "wsgiadapter": ("requests-wsgi-adapter",),
    "wx": ("wxpython",),
    "xdist": ("pytest-xdist",),
    "Xlib": ("python-xlib",),
    "yaml": ("pyyaml",),
    "zmq": ("pyzmq",),
}
"""Import names (or dotted prefixes) whose distributions are named otherwise.

Compiled by hand from the top-level names that each distribution's wheels on PyPI install, for
popular packages; an import name not here is looked for under its own name, its dotted prefixes
(``backports.zstd`` -> ``backports-zstd``) and loosely in the project's declarations.
"""

HARD_DEPENDENCIES: Mapping[str, frozenset[str]] = {
    name: frozenset(requires.split())
    for name, requires in {
        "adbc-driver-postgresql": "adbc-driver-manager",
        "adbc-driver-sqlite": "adbc-driver-manager",
        "adc-streaming": "certifi confluent-kafka tqdm",  # ZG2: 2.0 (2020) to 2.7
        # BH5: agento11y (Grafana's agent observability SDK), outside the table; 0.21.0's
        # published metadata requires these two among its OpenTelemetry exporters and grpcio
        "agento11y": "opentelemetry-api opentelemetry-sdk",
        "aioboto3": "aiobotocore aiofiles boto3",  # aiobotocore[boto3]
        "aiohttp": "aiosignal attrs frozenlist multidict yarl",
        "aiormq": "pamqp yarl",  # built on pamqp since its first release (YB1)
        # AQ2: anaconda-cli-base 0.4.0 (2024) to 0.9.1, Anaconda's CLI base, outside the table:
        # its wheels' Requires-Dist name click itself, beside typer (which no longer does)
        "anaconda-cli-base": "click pydantic-settings readchar rich typer",
        "anthropic": "anyio pydantic sniffio typing-extensions",
        "anyio": "idna",
        "arrow": "python-dateutil",
        # AR2: ast-pluckit (an AST query layer on duckdb), outside the table; duckdb in every
        # release from 0.7 (2026) to 0.15, per their published metadata
        "ast-pluckit": "duckdb",
        # astroquery: these since 0.4 (2020); pyvo only since 0.4.7, so left out
        "astroquery": "astropy beautifulsoup4 html5lib keyring numpy requests",
        "attrs": "",
        # BV2: bazis (a Django and FastAPI framework), outside the table; 2.16.0's and 2.24.0's
        # published metadata both require these (bazis-notify's conftest imports django)
        "bazis": (
            "anyascii django django-admin-autocomplete-filter django-admin-rangefilter "
            "django-clone django-constance django-pgtrigger django-redis django-sequences "
            "django-translated-fields email-validator fastapi gunicorn itsdangerous jsonref "
            "polib psutil psycopg pydantic pydantic-settings python-dotenv starlette uvicorn "
            "websockets wsproto"
        ),
        # BV2: bazis-test-utils (bazis' pytest helpers), outside the table; 2.3.0 and 2.5.2
        "bazis-test-utils": (
            "django factory-boy fastapi httpx httpx2 pytest pytest-django pytest-mock starlette "
            "uvicorn"
        ),
        "black": "click mypy-extensions packaging pathspec platformdirs",
        # AL2: bob.io.base 5.x (2024), the Idiap bob toolkit's I/O, outside the table
        "bob-io-base": "bob h5py imageio numpy pillow",
        # AV3: boileroom (protein structure prediction served on Modal), outside the table;
        # every release on the index, 0.1.2 to 0.2.2, requires these, per its published metadata
        "boileroom": "biotite deprecated modal numpy torch",
        "bokeh": "contourpy jinja2 numpy packaging pillow pyyaml tornado",
        "boto3": "botocore jmespath s3transfer",
        "botocore": "jmespath python-dateutil urllib3",
        "bottle": "",
        "btrees": "persistent zope-interface",
        # BQ3: bw2io (Brightway LCA's import/export), outside the table; its wheels 0.9.3 to
        # 0.9.17 require these, per their published metadata (openpyxl, xlrd and xlsxwriter
        # for its Excel formats)
        "bw2io": (
            "bw-migrations bw-processing bw2calc bw2data bw2parameters lxml mrio-common-metadata "
            "numpy openpyxl platformdirs pydantic pyecospold randonneur randonneur-data requests "
            "scipy sparqlwrapper stats-arrays tqdm voluptuous xlrd xlsxwriter"
        ),
        "build": "packaging pyproject-hooks",
        # causal-learn since 0.1.3 (2022), the releases dowhy requires; graphviz, joblib and
        # momentchi2 only in recent ones
        # BK1: carculator-utils (the shared core of the carculator vehicle LCA models), outside
        # the table: these four in 1.0.0 (2023) and 1.3.7 (2026), per their wheels' metadata
        "carculator-utils": "numpy pandas pyyaml xarray",
        "causal-learn": (
            "matplotlib networkx numpy pandas pydot scikit-learn scipy statsmodels tqdm"
        ),
        "celery": "billiard click kombu vine",
        "certifi": "",
        "cftime": "numpy",
        "charset-normalizer": "",
        # BO4: chinook (tight-binding band structures), outside the table: 1.1.3's published
        # metadata requires these three
        "chinook": "matplotlib numpy scipy",
        "click": "",
        # AW3: coherence-cli (an agent CLI keeping claims fresh), outside the table: httpx and
        # numpy are the Requires-Dist of its wheels 0.5.0 (2026) to 0.6.1; 0.2 to 0.4 required
        # nothing, so a bound below 0.5 may bring neither
        "coherence-cli": "httpx numpy",
        # codecov, the uploader retired in 2023 (2.x: requests and coverage in every release)
        "codecov": "coverage requests",
        # BX1: component-contribution (the eQuilibrator's group contribution method), outside
        # the table; its wheels 0.4.4 (2021) and 0.8.0 (2025) require equilibrator-cache, per
        # their published metadata
        "component-contribution": "equilibrator-cache",
        # ZG2: contextily 1.0 (2019) to 1.7; xyzservices only since 1.2, so left out
        "contextily": "geopy joblib matplotlib mercantile pillow rasterio requests",
        # BU4: covalent (Agnostiq's workflow orchestrator) and its AWS plugins' base, outside the
        # table: covalent-aws-plugins 0.19.0 requires these two, and covalent 0.240.0 (2025)
        # these in both of its requirement files (the full install's and the SDK's), per their
        # sdists' requirements files (covalent 0.240.0 publishes no wheel)
        "covalent": (
            "aiofiles aiohttp cloudpickle dask distributed filelock furl networkx pydantic "
            "requests toml watchdog"
        ),
        "covalent-aws-plugins": "boto3 covalent",
        "coverage": "",
        # AC3: cvxpy requires its default solvers osqp and scs since 1.0 (2018)
        "cvxpy": "numpy osqp scipy scs",
        "cytoolz": "toolz",
        "dask": "click cloudpickle fsspec packaging partd pyyaml toolz",
        "datasets": (
            "dill filelock fsspec huggingface-hub multiprocess numpy packaging pandas pyarrow "
            "pyyaml tqdm xxhash"
        ),
        # BR1: db-chat-widget (a natural-language database chat widget), outside the table; its
        # releases 0.1.0 to 0.2.1 (2026) require these, per their published metadata
        "db-chat-widget": (
            "anthropic groq httpx openai psycopg2-binary pymysql sqlalchemy sqlglot"
        ),
        "distributed": (
            "click cloudpickle dask jinja2 msgpack packaging psutil pyyaml toolz tornado"
        ),
        "django": "asgiref sqlparse",
        "djangorestframework-simplejwt": "django djangorestframework pyjwt",
        # BK1: DLMUSE (a brain MRI segmentation model built on nnU-Net), outside the table:
        # these in every release from 1.0.0 (2024) to 1.0.3, per their wheels' metadata
        "dlmuse": "huggingface-hub nnunetv2 torch",
        "docutils": "",
        # edx-drf-extensions and edx-rbac, the Open edX REST helpers, from their published
        # metadata since 2019 (ZC1: openedx-ledger's tests import rest_framework through them)
        "edx-drf-extensions": "django djangorestframework",
        "edx-rbac": "django edx-drf-extensions",
        # the Ethereum libraries, from their published metadata since 2020 (eth-abi 2, eth-account
        # 0.5, py-evm 0.3, web3 5.17, whose async provider added aiohttp) to 2026 (YB1)
        # BX1: enkie (enzyme kinetics parameter estimation), outside the table; its wheels 0.1.0
        # (2023) and 0.1.3 (2024) require these, per their published metadata (pooch only in
        # recent ones, so left out)
        "enkie": "click cobra equilibrator-api platformdirs requests-cache rpy2",
        # AP2: epubkit (an EPUB parser), outside the table; its newest release, 0.1.0 (2026),
        # requires beautifulsoup4 and lxml, which it parses with (its published metadata)
        "epubkit": "beautifulsoup4 lxml",
        # BX1: equilibrator-api (the eQuilibrator's thermodynamics API), outside the table; its
        # wheels 0.4.7 (2022) and 0.8.1 (2025) require these three, per their published
        # metadata; equilibrator-cache comes through component-contribution (0.4.7 names it too)
        "equilibrator-api": "component-contribution pyparsing python-slugify",
        "eth-abi": "eth-typing eth-utils parsimonious",
        "eth-account": "bitarray eth-abi eth-keyfile eth-keys eth-rlp eth-utils hexbytes rlp",
        "eth-keys": "eth-typing eth-utils",
        # toolz: required directly on PyPy, through cytoolz on CPython, so installed on both
        "eth-utils": "eth-hash eth-typing toolz",
        "exceptiongroup": "",
        "execnet": "",
        "factory-boy": "faker",
        "fakeredis": "redis sortedcontainers",
        "fastapi": "pydantic starlette typing-extensions",
        # AN1: fastapi-amis-admin, the amis admin site for FastAPI, from its published metadata
        # (0.7): its admin modules import sqlalchemy_database and sqlmodel at module level
        "fastapi-amis-admin": "aiofiles fastapi python-multipart sqlalchemy-database sqlmodel",
        "fastembed": "huggingface-hub loguru mmh3 requests tokenizers tqdm",
        # fastmcp: mcp, pydantic and python-dotenv in every release, directly up to 3.x and
        # through fastmcp-slim's client and server extras since 4.0
        "fastmcp": "mcp pydantic python-dotenv",
        # ZA2: faster-whisper's model stack, required since its first release (2023)
        "faster-whisper": "av ctranslate2 huggingface-hub tokenizers",
        "flake8": "mccabe pycodestyle pyflakes",
        "flask": "blinker click itsdangerous jinja2 werkzeug",
        "freezegun": "python-dateutil",
        # CA1: fwl-io (the FormingWorlds data fetcher), outside the table; its wheels 26.7.19
        # to 26.10.22 (2026) require these two, per their published metadata (filelock only in
        # recent ones, so left out)
        "fwl-io": "pooch requests",
        # BU3: g4edge-testdata (the g4edge projects' test data fetcher), outside the table; its
        # one release, 0.1.0, requires GitPython, per its published metadata
        "g4edge-testdata": "gitpython",
        # CA1: BlockScience's GDS packages, outside the table: gds-analysis 0.1.0 to 0.1.2
        # (2026) requires gds-framework and gds-sim, and gds-framework 0.2.0 to 0.3.0 and
        # gds-sim 0.1.0 require pydantic, per their wheels' published metadata
        "gds-analysis": "gds-framework gds-sim",
        "gds-framework": "pydantic",
        "gds-sim": "pydantic",
        # BJ2: geometamaker (NatCap's geospatial metadata writer), outside the table; 0.3.1's
        # and 0.4.0's published metadata both require these (pandas, frictionless vary)
        "geometamaker": (
            "aiohttp click fsspec gdal numpy platformdirs pydantic pygeoprocessing pyyaml requests"
        ),
        "geopandas": "numpy packaging pandas pyproj shapely",
        # BV3: gnuhealth (the GNU Health HIS, Tryton modules), outside the table; 5.0.0's,
        # 5.0.3's and 5.0.6's published metadata all require these (its modules' tests import
        # trytond)
        "gnuhealth": (
            "gnuhealth-control pillow pytz trytond trytond-company trytond-currency "
            "trytond-party trytond-product"
        ),
        # google-api-core 2.x (2021 on); proto-plus only in recent releases
        "google-api-core": "google-auth googleapis-common-protos protobuf requests",
        # google-cloud-pubsub 2.x: grpcio through google-api-core[grpc] and
        # grpc-google-iam-v1 before it named grpcio itself
        "google-cloud-pubsub": "google-api-core grpc-google-iam-v1 grpcio proto-plus",
        "googleapis-common-protos": "protobuf",
        # ZE1: graphene builds on graphql-core and graphql-relay in every release (1.x to 3.x);
        # graphene-django on graphene and graphql-core (2.x and 3.x), with Django
        "graphene": "graphql-core graphql-relay",
        "graphene-django": "django graphene graphql-core",
        "grpc-google-iam-v1": "googleapis-common-protos grpcio",
        "grpcio": "typing-extensions",
        # grpcio-health-checking pins grpcio to its own release and needs protobuf, in every
        # release since its first (ZD2)
        "grpcio-health-checking": "grpcio protobuf",
        "h11": "",
        # AH2: hail (outside the 15,000) in 0.2.139 (2026), less what it added lately
        "hail": (
            "aiohttp avro azure-identity azure-storage-blob bokeh boto3 botocore decorator "
            "deprecated dill frozenlist google-auth humanize janus jproperties nest-asyncio "
            "numpy orjson pandas parsimonious plotly pyspark pyyaml requests scipy "
            "sortedcontainers tabulate"
        ),
        "h5netcdf": "h5py packaging",
        "h5py": "numpy",
        "hexbytes": "",
        # AB2: haystack-ai 2.0 (2024) to 3.4; posthog requires requests in every release
        "haystack-ai": (
            "jinja2 lazy-imports more-itertools networkx numpy openai posthog python-dateutil "
            "pyyaml tenacity tqdm"
        ),
        "hatchling": "packaging pathspec pluggy trove-classifiers",
        "httpcore": "certifi h11",
        "httpx": "anyio certifi httpcore idna",
        # httpx2 requires these but under ``sys_platform != 'emscripten'`` (Pyodide, where it
        # fetches through the browser): no pip-installed test environment lacks them.
        "httpx2": "anyio httpcore2 idna truststore",
        "hypothesis": "sortedcontainers",
        # AF3: ibauth (Interactive Brokers OAuth, outside the published table), its newest 0.1.6
        "ibauth": "cryptography httpx pydantic pydantic-extra-types pyjwt pyyaml tenacity",
        # BQ3: idessem (readers of the DESSEM model's files), outside the table; its wheels
        # 1.2.1 and 1.4.0 require these, per their published metadata
        "idessem": "cfinterface numpy pandas",
        "idna": "",
        "imageio": "numpy pillow",
        # BU2: indicio-indy-plenum (Indicio's fork of Hyperledger Indy's Plenum), outside the
        # table; its wheel 1.13.2rc20 (2025) requires these, per its published metadata
        "indicio-indy-plenum": (
            "base58 importlib-metadata ioflo jsonpickle leveldb libnacl msgpack orderedset "
            "packaging portalocker prompt-toolkit psutil pympler python-dateutil python-rocksdb "
            "python-ursa rlp semver sha3 six sortedcontainers ujson"
        ),
        # BU2: indy-plenum, outside the table; its wheel 1.13.1 (2024) requires these, per its
        # published metadata (msgpack-python where its fork has msgpack)
        "indy-plenum": (
            "base58 importlib-metadata ioflo jsonpickle leveldb libnacl msgpack-python "
            "orderedset packaging portalocker prompt-toolkit psutil pympler python-dateutil "
            "python-rocksdb python-ursa rlp semver sha3 six sortedcontainers ujson"
        ),
        "iniconfig": "",
        # AV3: ipydex (an IPython-based debugging helper), outside the table; ipython in its
        # releases 0.8.2, 0.10.5, 0.13.0, 0.16.2, 0.19.0 and 0.21.1, per their published metadata
        "ipydex": "ipython",
        "ipykernel": "ipython jupyter-client pyzmq tornado traitlets",
        "ipython": "decorator jedi matplotlib-inline prompt-toolkit pygments stack-data traitlets",
        # ipywidgets 7.6 to 8.x; 7.x requires ipython and jupyterlab-widgets under
        # ``python_version>="3.3"``/``>="3.6"`` markers, true on every Python a suite runs on
        "ipywidgets": "ipython jupyterlab-widgets traitlets widgetsnbextension",
        "jax": "numpy opt-einsum scipy",  # ZG2: scipy since 0.3 (2022)
        "jaraco-envs": "path tox virtualenv",
        "jedi": "parso",
        "jinja2": "markupsafe",
        "jsonschema": "attrs jsonschema-specifications referencing rpds-py",
        # the jupyter metapackage: the five its 1.0 (2015) and 1.1 releases share
        "jupyter": "ipykernel ipywidgets jupyter-console nbconvert notebook",
        # jupyter-server 1.13 to 2.x, read from their wheels
        # jupyterlab 4 requires ipykernel, 3.x ipython itself, 1.x and 2.x notebook (so
        # ipykernel): IPython comes in every release; jinja2 and tornado too (ZD2)
        "jupyterlab": "ipython jinja2 tornado",
        "jupyter-server": (
            "anyio argon2-cffi jinja2 jupyter-client jupyter-core nbconvert nbformat "
            "prometheus-client pyzmq send2trash terminado tornado traitlets websocket-client"
        ),
        # AI4: klyrek-http 0.1 (2026), the HTTP layer of the klyrek tools, outside the table
        # BP3: karabo-cpp 3.1.2 (2026), outside the table, requires karabo-native, per its wheel
        "karabo-cpp": "karabo-native",
        "klyrek-http": "httpx klyrek-core",
        "langchain": "langchain-core pydantic",
        # AL2: langchain-gigachat 0.3 (2024) to 0.5, outside the table: gigachat and langchain-core
        "langchain-gigachat": "gigachat langchain-core",
        "langchain-core": (
            "jsonpatch langsmith packaging pydantic pyyaml tenacity typing-extensions"
        ),
        "langgraph": "langchain-core langgraph-checkpoint",
        # ZA2: langsmith, which langchain-core requires: pydantic and requests in every release
        "langsmith": "pydantic requests",
        "langgraph-checkpoint": "langchain-core",
        # BD7: lazy-importer 0.1.0 (2026-10), which importlib-metadata 10.2 requires before
        # Python 3.15, requires nothing (its wheel's metadata): without this row, every
        # project whose runtime brings importlib-metadata (click's, on old Pythons) seemed to
        # bring anything
        "lazy-importer": "",
        # BZ3: the Ladybug Tools chain, outside the table: ladybug-display 0.13.3 (2024) to
        # 0.14.5 requires ladybug-core, whose wheels (0.44.6 to 0.44.62) pin ladybug-geometry
        # and click (one pin per Python), and ladybug-display-schema 1.0.1 requires
        # pydantic-openapi-helper, whose 1.0.4 and 1.0.5 require pydantic, per their metadata
        "ladybug-core": "click ladybug-geometry",
        "ladybug-display": "ladybug-core",
        "ladybug-display-schema": "pydantic-openapi-helper",
        # AC2: LFPy (neuron models) requires these since 2.2 (2021), LFPykit with them
        "lfpy": "cython h5py lfpykit neuron numpy scipy",
        # AL2: liman-openapi 0.1 (2025), the OpenAPI half of the liman agents, outside the table
        "liman-openapi": "httpx liman-core openapi-core openapi-spec-validator ruamel-yaml",
        # llm (the LLM command line): click, openai and sqlite-utils since its first release,
        # pydantic, pluggy and pyyaml since 0.5 (2023)
        "llm": "click openai pluggy pydantic pyyaml sqlite-utils",
        # AG1: loopgrid's SDK speaks httpx (0.8.0, 2026; its 0.1 releases publish no metadata)
        "loopgrid": "httpx",
        # AP2: localstack-client (boto3 sessions pointed at LocalStack), outside the table; its
        # newest release, 2.12, requires boto3 (setup.cfg install_requires), the library it wraps
        "localstack-client": "boto3",
        # BB2: luma.core (the display drivers' shared layer), outside the table, requires
        # cbor2, pillow and smbus2 in every release from 2.0.0 (2020) to 2.6.0, per its wheels'
        # Requires-Dist (pyftdi, spidev and RPi.GPIO only up to 2.4, deprecated in 2.0 alone)
        "luma-core": "cbor2 pillow smbus2",
        # CE1: lute3 (Learning Using Texts v3), outside the table; its wheels 3.4.2 (2024) and
        # 3.10.3 (2026) require these, per their published metadata (pyparsing and ahocorapy
        # only in later releases, so left out)
        "lute3": (
            "beautifulsoup4 flask-sqlalchemy flask-wtf jaconv natto-py openepub platformdirs "
            "pypdf pyyaml requests subtitle-parser toml waitress"
        ),
        "markupsafe": "",
        "matplotlib": (
            "contourpy cycler fonttools kiwisolver numpy packaging pillow pyparsing python-dateutil"
        ),
        "mccabe": "",
        "mcp": "anyio pydantic python-multipart sse-starlette starlette",
        "mediafile": "mutagen",
        # mkdocs 1.0 to 1.6 (also ghp-import, pyyaml, watchdog since 1.2); the 2.0 pre-releases
        # require only click, httpx, jinja2 and markdown
        "mkdocs": "click jinja2 markdown",
        # mf2py since 1.0 (2015)
        "mf2py": "beautifulsoup4 html5lib requests",
        # mlxtend since 0.14 (2018); joblib only in recent releases (ZC1: facmodts)
        "mlxtend": "matplotlib numpy pandas scikit-learn scipy",
        "mongoengine": "pymongo",
        # moto 1.3 onwards (jinja2 and python-dateutil were dropped in recent releases)
        "moto": "boto3 botocore cryptography requests responses werkzeug xmltodict",
        # AQ3: museval 0.4.0 and 0.4.1 (the releases since 2021), the source separation
        # evaluation kit, outside the table: its wheels' Requires-Dist
        "museval": "jsonschema musdb numpy pandas scipy simplejson soundfile",
        # typing_extensions since mypy 0.730 (2019); recent releases split it by Python
        # version (>=4.6 before 3.15, >=4.14 from it), which still requires it on every one
        "mypy": "mypy-extensions typing-extensions",
        "mypy-extensions": "",
        # ZA2: napari's Qt layer imports qtpy, a requirement of every release (numpy too)
        "napari": "numpy qtpy",
        "nbclient": "jupyter-client nbformat traitlets",  # 0.5 to 0.11
        # nbconvert 6.0 to 7.x, read from their wheels
        "nbconvert": (
            "bleach defusedxml jinja2 jupyter-core jupyterlab-pygments mistune nbclient nbformat "
            "pandocfilters pygments traitlets"
        ),
        "nbstripout": "nbformat",  # every release since 0.3 (2017): it rewrites notebooks (ZD2)
        "nbsphinx": "docutils jinja2 nbconvert nbformat sphinx traitlets",
        "netcdf4": "certifi cftime numpy",
        "nox": "argcomplete colorlog packaging",
        "numba": "llvmlite numpy",
        "numpy": "",
        # FB2: oemof.solph, outside the published table, is built on Pyomo; the published
        # metadata of 0.5.5 (wheel) and 0.6.5 (newest) both require these
        "oemof-solph": "blinker dill networkx numpy oemof-network oemof-tools pandas pyomo",
        "openai": "anyio pydantic sniffio typing-extensions",
        # oceanum (the datamesh client), read from 1.2.1's metadata
        "oceanum": (
            "aiohttp cftime click dask decorator fsspec geojson-pydantic geopandas h5netcdf "
            "msgpack netcdf4 numcodecs numpy orjson pandas platformdirs pyarrow pydantic "
            "python-jsonpath requests rioxarray shapely tabulate xarray zarr"
        ),
        "openai-agents": "openai pydantic requests typing-extensions",
        # AG1: OpenHound's collectors are dlt sources; its newest release, 0.4.2 (2026)
        "openhound": (
            "alive-progress cookiecutter dlt duckdb griffe griffe-fieldz jinja2 mkdocstrings "
            "psutil pydantic pydantic-extra-types tqdm typer types-requests"
        ),
        # an OpenFisca country package's extensions build on it: it requires openfisca-core
        "openfisca-country-template": "openfisca-core",
        "opentelemetry-instrumentation": "opentelemetry-api wrapt",
        "osqp": "numpy scipy",
        "outcome": "attrs",
        # ZA1: p4runtime's generated stubs, in every release since 1.0 (2019)
        "p4runtime": "googleapis-common-protos grpcio protobuf",
        "packaging": "",
        # AS2: Palm CLI (outside the published table), 2.4.0's and 2.6.0's metadata; its
        # plugins (palm-dbt) build their commands on its click
        "palm": "click cookiecutter deepmerge jinja2 pydantic pygit2 pyyaml",
        "pandas": "numpy python-dateutil",
        "pathspec": "",
        # PennyLane differentiates through autograd's NumPy, and solves with SciPy, in every
        # release (ZD2)
        "pennylane": "autograd numpy scipy",
        "perceval": (  # ZB6: its Weblate backends' tests parse dates with dateutil
            "beautifulsoup4 dulwich feedparser grimoirelab-toolkit pyjwt python-dateutil requests "
            "urllib3"
        ),
        # BQ3: pixell (sky maps on rectangular pixelizations), outside the table; its wheels
        # 0.29.0 and 0.32.9 require these, per their published metadata
        "pixell": "astropy ducc0 healpy matplotlib numba numpy pillow python-dateutil scipy",
        # ZF5: the Plain web framework's command line is click's, in every release
        "plain": "click",
        "platformdirs": "",
        # AP2: Plone's API and test layers, outside the table, from the published metadata of
        # their newest releases (plone.api 3.0.3, plone.app.testing 8.0.2, plone.testing 10.1.0):
        # the first two install Plone itself (Products.CMFPlone, Zope and the zope.* under them)
        "plone-api": "acquisition products-cmfcore products-cmfplone zope",
        "plone-app-testing": (
            "plone-testing products-cmfplone products-genericsetup zope zope-component "
            "zope-configuration zope-testing"
        ),
        "plone-testing": "zope-testing",
        # ZA2: plummet ("utilities for testing with pendulum") requires pendulum in every release
        "plummet": "pendulum",
        "pluggy": "",
        # poetry 2.x; the plugins that require it (poetry-plugin-export) import cleo from it
        "poetry": "cleo poetry-core requests tomlkit",
        "posthog": "backoff requests",  # AB2: 2.0 (2022) to 7.x
        "pre-commit": "cfgv identify nodeenv pyyaml virtualenv",
        # AB2: pretix 4.16 (2023) to 2026's; every release pins these
        "pretix": (
            "babel celery django django-countries django-filter django-formtools "
            "django-hierarkey django-i18nfield django-scopes djangorestframework jsonschema "
            "lxml pytz requests"
        ),
        "py-evm": (
            "cached-property eth-bloom eth-keys eth-typing eth-utils lru-dict py-ecc rlp trie"
        ),
        "pyarrow": "",
        "pycodestyle": "",
        "pydantic": "annotated-types pydantic-core typing-extensions",
        "pydantic-ai-slim": "opentelemetry-api pydantic pydantic-graph",
        "pydantic-graph": "pydantic",
        "pydantic-openapi-helper": "pydantic",  # BZ3: 1.0.4 and 1.0.5, per their metadata
        # pydata-sphinx-theme parses its pages with beautifulsoup4 in every release since 2021
        # (0.6); babel, pygments and the others only in later ones (VC2)
        "pydata-sphinx-theme": "beautifulsoup4 docutils sphinx",
        "pyflakes": "",
        # pymatgen-core, every release since its first (2026.2.24)
        "pymatgen-core": (
            "bibtexparser joblib matplotlib monty networkx numpy orjson palettable pandas plotly "
            "requests scipy spglib sympy tabulate tqdm uncertainties"
        ),
        "pymongo": "dnspython",
        # ZA2: pymdoccbor (mdoc CBOR) builds on cbor2 and pycose in every release
        "pymdoccbor": "cbor2 pycose",
        "pyopenssl": "cryptography",
        "pygments": "",
        # read from the wheels of pyhanko 0.38.0 and pyhanko-certvalidator 0.33.0
        "pyhanko": "asn1crypto cryptography pyhanko-certvalidator",
        "pyhanko-certvalidator": "asn1crypto cryptography",
        "pylint": "astroid isort mccabe platformdirs tomlkit",
        "pyramid": (
            "hupper plaster plaster-pastedeploy setuptools translationstring venusian webob "
            "zope-deprecation zope-interface"
        ),
        # pyspark drives the JVM through py4j, pinned by every release
        "pyspark": "py4j",
        "pytest": "iniconfig packaging pluggy",
        # pytest-aiohttp since 1.0 (2022); 0.3.0 (2017) was the plugin without pytest-asyncio
        "pytest-aiohttp": "aiohttp pytest pytest-asyncio",
        "pytest-asyncio": "pytest",
        # pytest-astropy, the astropy ecosystem's bundle of plugins (0.9 to 0.12; attrs until
        # 0.11 and pytest-skip-slow from 0.12 left out)
        "pytest-astropy": (
            "hypothesis pytest pytest-arraydiff pytest-astropy-header pytest-cov "
            "pytest-doctestplus pytest-filter-subpackage pytest-mock pytest-remotedata"
        ),
        "pytest-benchmark": "pytest",
        "pytest-cov": "coverage pytest",
        # pytest-clarity (1.0.1's setup.py; rich or termcolor by release: SOMETIMES_REQUIRED)
        "pytest-clarity": "pprintpp pytest",
        # pytest-coverage (its one release, 0.0) requires pytest-cover, whose last release
        # (3.0.0) is a redirect that requires pytest-cov
        "pytest-cover": "pytest-cov",
        "pytest-coverage": "pytest-cover",
        "pytest-django": "pytest",
        # pytest-dpg, Dear PyGui's test driver: clicks through pyautogui in every release (ZH3)
        "pytest-dpg": "dearpygui multiprocess pyautogui",
        "pytest-factoryboy": "factory-boy inflection pytest",
        # pytest-freezer (read from the 0.4.9 wheel): its one fixture wraps freezegun
        "pytest-freezer": "freezegun pytest",
        "pytest-html": "pytest pytest-metadata",
        "pytest-httpx": "httpx pytest",
        "pytest-mock": "pytest",
        # pytest-mpl, image comparison of matplotlib figures: both in every release
        "pytest-mpl": "matplotlib pytest",
        "pytest-recording": "pytest vcrpy",  # its cassettes are vcrpy's, in every release
        "pytest-rerunfailures": "packaging pytest",
        "pytest-timeout": "pytest",
        "pytest-xdist": "execnet pytest",
        "pytokens": "",
        "pyvo": "astropy requests",  # every release since 1.0 (2019)
        "python-dateutil": "six",
        # ZE1: python-docx parses the document's XML with lxml in every release
        "python-docx": "lxml",
        "python-magic": "",
        "pytz": "",
        "pyyaml": "",
        # qiskit 1.0 to 2.x require both; the 0.x metapackages bring them through qiskit-terra,
        # which required both in every release (ZD2); typing-extensions since 1.0 (2024; terra
        # required it only on older Pythons), as the table takes mypy's since 0.730 (ZI1:
        # qiskit-superstaq's superstaq_backend.py, on its chain since the round's deeper chains)
        "qiskit": "numpy scipy typing-extensions",
        "qdrant-client": "grpcio httpx portalocker protobuf pydantic urllib3",
        "quart": "aiofiles blinker click flask hypercorn itsdangerous jinja2 markupsafe werkzeug",
        # rasterio (read from the 1.0.28, 1.3.11 and 1.5.2 wheels): regionmask's affine
        "rasterio": "affine attrs click numpy",
        "redis": "",
        # reproject 0.11 (2023) to 0.21
        # AC3: riskfolio-lib, a portfolio optimiser built on cvxpy
        "riskfolio-lib": "cvxpy numpy pandas scipy",
        "reproject": "astropy astropy-healpix dask fsspec numpy scipy zarr",
        "requests": "certifi charset-normalizer idna urllib3",
        "requests-mock": "requests",
        "responses": "pyyaml requests urllib3",
        "rich": "markdown-it-py pygments",
        "rlp": "eth-utils",
        "rq": "click redis",
        # AQ4: sbpy 0.5.0 (2024) and 0.6.0, the small-body astronomy package, outside the
        # table: install_requires of its sdists (setup.cfg)
        "sbpy": "astropy numpy",
        # BP2: scipion-em 3.11.1 (2025, Scipion's cryo-EM layer), outside the table, requires
        # these on every Python, scipion-pyworkflow among them, per its wheel's metadata
        "scipion-em": "emtable metadata-viewer mrcfile ncempy pyxmipp3 scipion-pyworkflow",
        "scikit-image": "imageio lazy-loader networkx numpy packaging pillow scipy tifffile",
        "scikit-learn": "joblib numpy scipy threadpoolctl",
        "scipy": "numpy",
        "sd-jwt": "jwcrypto pyyaml",  # AM3: every release (0.10.0 to 0.10.4) builds on jwcrypto
        "seaborn": "matplotlib numpy pandas",
        "sentence-transformers": "huggingface-hub scikit-learn scipy torch tqdm transformers",
        "setuptools-scm": "packaging setuptools",
        "shapely": "numpy",
        # AI5: shopyo 4.19, read from its metadata (a flask framework outside the table)
        "shopyo": (
            "email-validator flask flask-admin flask-login flask-mailman flask-migrate "
            "flask-sqlalchemy flask-wtf sqlalchemy werkzeug wtforms"
        ),
        "six": "",
        "sniffio": "",
        "sortedcontainers": "",
        # BP5: starfile (a STAR-file reader for cryo-EM, outside the table) reads into pandas
        # DataFrames: 0.5.13's wheel (2025) requires numpy and pandas beside pyarrow
        "starfile": "numpy pandas",
        "starlette": "anyio",
        "sphinx": (
            "alabaster babel docutils imagesize jinja2 packaging pygments requests "
            "snowballstemmer sphinxcontrib-applehelp sphinxcontrib-devhelp "
            "sphinxcontrib-htmlhelp sphinxcontrib-jsmath sphinxcontrib-qthelp "
            "sphinxcontrib-serializinghtml"
        ),
        "sphinx-book-theme": "pydata-sphinx-theme sphinx",  # built on it since its first release
        "statsmodels": "numpy packaging pandas patsy scipy",
        # AD2: a dashboard framework on pandas and pyarrow; these since its 0.x releases
        "streamlit": "altair click numpy pandas pillow protobuf requests",
        # BJ2: syft-permissions (OpenMined's permission rules for Syft datasites), outside the
        # table; 0.1.15's published metadata requires these three
        "syft-permissions": "pydantic pyyaml wcmatch",
        "sympy": "mpmath",
        "terminado": "tornado",
        "textual": "rich",  # VD2: every release draws with rich
        "tifffile": "numpy",
        "tokenizers": "huggingface-hub",
        "tomli": "",
        "tomlkit": "",
        # BP4: tomtoolkit (the TOM Toolkit, a Django app for astronomy observatories), outside
        # the table: 3.1.0's wheel (2026) requires Django, Django REST framework and astropy
        "tomtoolkit": "astropy django djangorestframework numpy requests",
        # BB4: tomato (dgbowl's lab-instrument automation; its drivers are tomato-* packages),
        # outside the table: these from 1.0 (2024) to 3.0rc6 per its wheels' Requires-Dist
        # (h5netcdf or netcdf4 and pint vary between releases, so left out)
        "tomato": "appdirs dgbowl-schemas psutil pydantic pyyaml pyzmq toml xarray",
        # BJ2: toolfuncs (typed tool functions for MCP agents), outside the table; 2.2.0's
        # published metadata requires these (its extra hooks adds typed-agent-hooks)
        "toolfuncs": (
            "cyclopts fastmcp jsonschema packaging pydantic pydantic-core rich typing-extensions "
            "uv-launch"
        ),
        "toolz": "",
        "tox": (
            "cachetools colorama filelock packaging platformdirs pluggy pyproject-api virtualenv"
        ),
        "transaction": "zope-interface",
        "transformers": "huggingface-hub numpy packaging pyyaml regex safetensors tokenizers tqdm",
        "trio": "attrs idna outcome sniffio sortedcontainers",
        "trove-classifiers": "",
        "trustme": "cryptography idna",
        # BA3: turnkey-sdk-types (Turnkey's API type definitions, pydantic models), outside the
        # table: pydantic in every release, 0.1.0 (2026) to 0.2.1, per their wheels' metadata
        "turnkey-sdk-types": "pydantic",
        "twisted": (
            "attrs automat constantly hyperlink incremental typing-extensions zope-interface"
        ),
        "typing-extensions": "",
        "urllib3": "",
        "uvicorn": "click h11",
        # AG1: UW-RestClients-Core 1.4.4 (2026) requires mock, which its clients' tests import
        "uw-restclients-core": "commonconf mock prometheus-client python-dateutil urllib3",
        # BM2: varco-core (the varco framework's core: DI, auth, tracing), outside the table;
        # its wheels 3.0.0 (2026) to 3.2.0 require these, per their published metadata (1.x
        # not read here, so a bound below 3.0 may bring less)
        "varco-core": (
            "cryptography lark opentelemetry-api opentelemetry-exporter-otlp-proto-grpc "
            "opentelemetry-sdk providify psutil pydantic pydantic-settings pyjwt"
        ),
        "vcrpy": "pyyaml wrapt yarl",
        "virtualenv": "distlib platformdirs",
        "watchfiles": "anyio",
        "web3": (
            "aiohttp eth-abi eth-account eth-hash eth-typing eth-utils hexbytes requests websockets"
        ),
        "werkzeug": "markupsafe",
        "xarray": "numpy packaging pandas",
        # BK1: xcube-core (xcube's data cube toolkit), outside the table: these in 1.4.1 (2024)
        # and 1.14.1 (2026), per their wheels' metadata, among its geospatial stack
        "xcube-core": (
            "click dask fsspec jsonschema numpy pandas pyproj pyyaml requests shapely xarray zarr"
        ),
        "zarr": "numcodecs numpy",
        # AR2: zarrnii (NIfTI and OME-Zarr images), outside the table; these from 0.1.0a1 (2024)
        # to 0.21.6 (2026), per their published metadata (newer ones add ngff-zarr, h5py, ...)
        "zarrnii": "dask nibabel numpy ome-zarr pandas scipy zarr",
        # ZODB since 5.0 (2016); ZODB3 shipped BTrees and persistent inside itself
        "zodb": "btrees persistent transaction zc-lockfile zconfig zodbpickle zope-interface",
    }.items()
}
"""What popular distributions require in every release of the last years (no environment
markers, no extras), from their published metadata: a package they require is installed
wherever they are, and a test that imports it after them cannot fail on it alone. Test and
build tools count too: tests import ``coverage`` where ``pytest-cov`` is declared, ``pathspec``
where ``hatchling`` is. A requirement only recent releases have (black's ``pytokens``,
hatchling's ``tomlkit``) or one under an environment marker (virtualenv's ``filelock``) is
left out: an older or other install may lack it."""


SOMETIMES_REQUIRED: Mapping[str, frozenset[str]] = {
    name: frozenset(requires.split())
    for name, requires in {
        "anthropic": "distro docstring-parser httpx httpx2 jiter opentelemetry-api",
        # AS1: Airflow 2.x (2.10.5's metadata) required its Flask web server and these, which
        # 3.0 (2025) moved out to apache-airflow-core and providers; providers still pin <3
        "apache-airflow": (
            "alembic apache-airflow-providers-fab connexion croniter flask flask-appbuilder "
            "flask-caching flask-session flask-wtf gunicorn lazy-object-proxy pendulum "
            "python-daemon sqlalchemy werkzeug"
        ),
        "anyio": "exceptiongroup typing-extensions",
        "black": "pytokens tomli typing-extensions",
        "build": "colorama importlib-metadata tomli",
        # BO3: celery 5.3 to 5.5 (5.4.0's metadata) require backports.zoneinfo under
        # python_version < "3.9": a suite's fallback import of it runs only there
        "celery": "backports-zoneinfo",
        "click": "colorama importlib-metadata",
        # AC3: cvxpy's other solvers and parsers, some only in recent releases
        "cvxpy": "clarabel ecos highspy qdldl sparsediffpy",
        "datasets": "aiohttp httpx requests",
        "exceptiongroup": "typing-extensions",
        "fastembed": "numpy onnxruntime pillow py-rust-stemmers",
        "formulaic": "interface-meta narwhals typing-extensions wrapt",  # ZB12: 1.x
        "google-api-core": "opentelemetry-api proto-plus",
        # CP2: google-genai's releases up to 2.32 (2.32.0's metadata) require httpx, which its
        # newest releases replaced with httpx2; a project may pin one of those
        "google-genai": "httpx",
        "google-cloud-pubsub": (
            "google-auth grpcio-status opentelemetry-api opentelemetry-sdk protobuf"
        ),
        "hatchling": "tomli tomlkit",
        "httpx2": "typing-extensions",
        "hypothesis": "attrs exceptiongroup",
        "ipywidgets": "comm ipykernel ipython-genutils nbformat",
        "jupyter-server": (
            "ipython-genutils jupyter-events jupyter-server-terminals overrides packaging pywinpty"
        ),
        "langchain-core": "certifi httpx langchain-protocol uuid-utils",
        "langgraph": "langgraph-prebuilt langgraph-sdk pydantic xxhash",
        "langgraph-checkpoint": "msgpack ormsgpack",
        # EV1: recent releases (1.30.0's metadata) require pyjwt[crypto], whose extra installs
        # cryptography; the published row names pyjwt alone
        "mcp": (
            "cryptography httpx httpx-sse httpx2 jsonschema mcp-types opentelemetry-api "
            "pydantic-settings pyjwt pywin32 typing-extensions typing-inspection uvicorn"
        ),
        "mypy": "ast-serialize librt pathspec tomli",
        "nbclient": "jupyter-core nest-asyncio",
        "nbconvert": (
            "beautifulsoup4 entrypoints importlib-metadata lxml markupsafe packaging testpath "
            "tinycss2"
        ),
        "nox": (
            "attrs dependency-groups humanize importlib-metadata platformdirs python-discovery "
            "tomli typing-extensions virtualenv"
        ),
        "openai": "distro httpx httpx2 jiter tqdm",
        "openai-agents": (
            "griffe griffelib httpx2 mcp pyjwt python-multipart starlette types-requests "
            "urllib3 websockets"
        ),
        "osqp": "jinja2 joblib qdldl setuptools",  # AC3: jinja2 since 1.0 (2025) generates code
        "pydantic-ai-slim": (
            "anyio eval-type-backport exceptiongroup genai-prices griffe griffelib httpx "
            "httpx2 typing-inspection"
        ),
        "pydantic-graph": "anyio httpx logfire-api typing-inspection",
        "pylint": "colorama dill tomli typing-extensions",
        "pytest": "colorama exceptiongroup pygments tomli",
        "pytest-asyncio": "backports-asyncio-runner typing-extensions",
        "pytest-benchmark": "py-cpuinfo py-cpuinfo2",
        # DR1: pytest-clarity 1.0 (2021) on prints its diffs with rich (before: termcolor)
        "pytest-clarity": "rich termcolor",
        "pytest-cov": "pluggy",
        "qdrant-client": "grpcio-tools numpy",
        "riskfolio-lib": (  # AC3: some only in recent releases
            "arch astropy clarabel matplotlib networkx pybind11 scikit-learn scs statsmodels "
            "vectorbt xlsxwriter"
        ),
        "sentence-transformers": "numpy pillow typing-extensions",
        # AS2: sfn-blueprint (outside the published table) since its 0.7 releases (0.7.15's
        # metadata): langchain-classic, which requires sqlalchemy
        "sfn-blueprint": "langchain-classic",
        "setuptools-scm": "tomli typing-extensions vcs-versioning",
        # AH4: signxml before 3.0 (2023) required pyOpenSSL; a project may pin one of those
        "signxml": "pyopenssl",
        "sphinx": "colorama importlib-metadata roman-numerals roman-numerals-py tomli",
        "starlette": "typing-extensions",
        "statsmodels": "formulaic",  # ZB12: its 0.15 releases require formulaic
        "terminado": "ptyprocess pywinpty",
        "textual": "linkify-it-py markdown-it-py mdit-py-plugins platformdirs typing-extensions",
        "tox": "chardet python-discovery tomli tomli-w typing-extensions",
        "transformers": "filelock requests typer",
        "trio": "cffi exceptiongroup",
        "uvicorn": "typing-extensions",
        "virtualenv": "filelock importlib-metadata packaging python-discovery typing-extensions",
    }.items()
}
"""What some of the table's distributions require only under an environment marker (an older
Python, Windows) or only in their recent (or, AS1, their older) releases: installed in some
environments, not in all.
A project module may import it where it is there (``if sys.version_info < (3, 11): from
exceptiongroup import ...``, which pytest brings on those Pythons)."""


EXTRA_REQUIREMENTS: Mapping[str, frozenset[str]] = {
    extra: frozenset(requires.split())
    for extra, requires in {
        "coverage[toml]": "",  # tomli, on Pythons before 3.11 only
        # AY5: the published table lists what an extra requires without the extras those
        # requirements name in turn: fastapi's ``all``, ``standard`` and
        # ``standard-no-fastapi-cloud-cli`` require ``uvicorn[standard]`` (the metadata of fastapi
        # 0.112.0, 0.115.6, 0.128.0), whose packages on every platform are these (not uvloop)
        "fastapi[all]": "httptools python-dotenv pyyaml watchfiles websockets",
        "fastapi[standard]": "httptools python-dotenv pyyaml watchfiles websockets",
        "fastapi[standard-no-fastapi-cloud-cli]": (
            "httptools python-dotenv pyyaml watchfiles websockets"
        ),
        "h5netcdf[h5py]": "h5py",
        "httpx[http2]": "h2",
        "requests[socks]": "pysocks",
        "tablib[all]": "odfpy openpyxl pandas pyyaml tabulate xlrd xlwt",
        "tablib[cli]": "tabulate",
        "tablib[ods]": "odfpy",
        "tablib[pandas]": "pandas",
        "tablib[xls]": "xlrd xlwt",
        "tablib[xlsx]": "openpyxl",
        "tablib[yaml]": "pyyaml",
        # BP5: trame-rca (Kitware's remote-controlled area widget for trame), outside the table:
        # its ``vtkstreaming`` extra requires vtk and vtk-streaming (2.11.8's wheel, 2025)
        "trame-rca[vtkstreaming]": "vtk vtk-streaming",
        "twisted[tls]": "idna pyopenssl service-identity",
    }.items()
}
"""What some extras of popular distributions (``distribution[extra]``, canonical names)
install for certain, from their published metadata. An extra the table does not know may
install any package: a project declaring one is never sure to lack a package it does not
declare."""


TABLE_PATH = Path(__file__).with_name("requirements_table.json")
EXTRAS_PATH = Path(__file__).with_name("requirements_table_extras.json")


@functools.cache
def _published(path: Path = TABLE_PATH) -> Mapping[str, Mapping[str, str]]:
    """A table of ``benchmarks/requirements_table.py``: the published metadata of the newest
    release of PyPI's most downloaded distributions, for every distribution the hand-written
    tables above do not name. Those rows come first: each holds in every release, where the
    published table reads only the newest one, which is what a fresh environment installs.
    Read once per process and only when asked (7 to 8 ms here; the extras, 1.6 MB and 10 to
    12 ms, only for a project declaring an extra no row above names); its space-separated
    values are split when looked up (``_published_names``)."""
    table: Mapping[str, Mapping[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return table


@functools.cache
def _published_names(section: str, name: str) -> tuple[str, ...] | None:
    """The published table's value for ``name`` in ``section`` (``required``, ``sometimes``,
    ``extras``, ``modules``, ``namespaces``), split once; None when it has no row."""
    value = _published(EXTRAS_PATH if section == "extras" else TABLE_PATH)[section].get(name)
    return None if value is None else tuple(value.split())


def _together(
    written: frozenset[str] | None, published: tuple[str, ...] | None
) -> frozenset[str] | None:
    """A hand-written row and the published one together, or None when neither exists. A
    row written by hand names what every release requires, often only what one lint round
    needed (napari's numpy and qtpy); the published one all the newest release requires
    (napari's scipy too)."""
    if written is None and published is None:
        return None
    return (written or frozenset()).union(published or ())


def extra_requirements(distribution: str, extra: str) -> frozenset[str] | None:
    """What ``distribution[extra]`` installs for certain, or None when no table knows."""
    key = f"{canonicalize_name(distribution)}[{canonicalize_name(extra)}]"
    return _together(EXTRA_REQUIREMENTS.get(key), _published_names("extras", key))


@functools.cache
def required_by(name: str) -> frozenset[str] | None:
    """What the distribution ``name`` requires for certain, or None when no table knows."""
    return _together(HARD_DEPENDENCIES.get(name), _published_names("required", name))


def sometimes_required(name: str) -> frozenset[str]:
    """What the distribution ``name`` requires only in some environments or releases."""
    return _together(SOMETIMES_REQUIRED.get(name), _published_names("sometimes", name)) or (
        frozenset()
    )


def hard_dependencies(distributions: Iterable[str]) -> frozenset[str] | None:
    """What the distributions require for certain, or None when one of them is unknown here."""
    found: set[str] = set()
    for name in distributions:
        known = required_by(name)
        if known is None:
            return None
        found |= known
    return frozenset(found)


def with_requirements(distributions: Iterable[str]) -> frozenset[str]:
    """The distributions and, as far as :data:`HARD_DEPENDENCIES` knows, everything they
    require for certain (transitively)."""
    pending = list(distributions)
    found: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(hard_dependencies([name]) or ())
    return frozenset(found)


def brought_by(module: str, present: Iterable[str]) -> bool:
    """Whether importing ``module`` cannot fail where the modules ``present`` import: it is one
    of them or a submodule of one (``paramiko.transport`` once ``paramiko`` imported; not
    ``google.cloud.bigquery`` once ``google.cloud.storage`` did), or its distribution is one
    they require for certain (httpx brings anyio). Requirements the table does not know bring
    nothing here: an unknown package is no proof."""
    present = list(present)
    if any(module == other or module.startswith(other + ".") for other in present):
        return True
    required = with_requirements(likely_distribution(other) for other in present)
    return bool(candidate_distributions(module) & required)


RUNNER_DISTRIBUTIONS = frozenset({"pytest", "pluggy", "iniconfig", "packaging"})
"""Installed wherever a pytest suite runs: pytest, and what every pytest since 6.0 requires."""

RUNNER_REQUIRES_BEFORE: Mapping[str, tuple[int, ...]] = {
    "exceptiongroup": (3, 11),
    "tomli": (3, 11),
}
"""What every pytest of the last years (7.2 on) requires on Pythons before a version: there
an import of it cannot fail where pytest runs (``else: import tomli as tomllib`` after ``if
sys.version_info >= (3, 11)``); on later Pythons it may be missing."""


def runner_brings_before(module: str, before: tuple[int, ...] | None) -> bool:
    """Whether code that runs only on Pythons before ``before`` imports ``module`` where pytest
    requires its distribution on every such Python."""
    if before is None:
        return False
    return any(
        before <= bound
        for name in candidate_distributions(module)
        if (bound := RUNNER_REQUIRES_BEFORE.get(name)) is not None
    )


PYTHON2_STDLIB = frozenset(
    {
        "BaseHTTPServer",
        "CGIHTTPServer",
        "ConfigParser",
        "Cookie",
        "DocXMLRPCServer",
        "HTMLParser",
        "MimeWriter",
        "Queue",
        "SimpleHTTPServer",
        "SimpleXMLRPCServer",
        "SocketServer",
        "StringIO",
        "Tkinter",
        "UserDict",
        "UserList",
        "UserString",
        "__builtin__",
        "_winreg",
        "anydbm",
        "cPickle",
        "cStringIO",
        "cookielib",
        "copy_reg",
        "dbhash",
        "dumbdbm",
        "dummy_thread",
        "future_builtins",
        "htmlentitydefs",
        "htmllib",
        "httplib",
        "markupbase",
        "mimetools",
        "mimify",
        "multifile",
        "popen2",
        "rfc822",
        "robotparser",
        "sgmllib",
        "thread",
        "tkFileDialog",
        "tkMessageBox",
        "urllib2",
        "urlparse",
        "whichdb",
        "xmlrpclib",
    }
)
"""Python 2 names of standard modules (removed or renamed in Python 3, PEP 3108), still imported
by compatibility fallbacks (`if six.PY2: import mimetools`). Not the ones a project of today
may well name a module of its own (`commands`, `sets`, `md5`, `sha`): a standard name is
never the project's, nor a distribution's; their Python 2 branches are read as such
(`astutil.on_python3`)."""

STDLIB = STDLIB_MODULES | PYTHON2_STDLIB

_AFFIXES = ("python-", "py-", "py", "-python", "-py")
_VALID_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
"""A distribution name as the packaging specifications allow it."""


def is_stdlib(module: str) -> bool:
    return module.partition(".")[0] in STDLIB


NAMESPACE_PACKAGES = frozenset(
    {
        "azure",
        "azure.mgmt",
        "backports",
        "collective",
        "flufl",
        "google",
        "google.cloud",
        "jaraco",
        "plone",
        "ruamel",
        "sphinxcontrib",
        "z3c",
        "zc",
        "zest",
        "zope",
    }
)
"""Namespace packages that many distributions share: none is named after the namespace alone
(``zest.releaser`` comes from ``zest.releaser``, ``google.cloud.storage`` from
``google-cloud-storage``), so a module's distribution is named after one part more."""


def _namespace_distribution(parts: Sequence[str]) -> tuple[str, ...]:
    """The distribution named after the longest namespace prefix of ``parts`` and the part
    after it (``zest-releaser`` for ``zest.releaser.utils``), if the module is in one: one of
    :data:`NAMESPACE_PACKAGES`, or one the published table knows when a distribution of that
    name ships into it and none is named after the namespace alone (``opentelemetry-sdk`` for
    ``opentelemetry.sdk.trace``; ``testcontainers``, not testcontainers-core, ships
    ``testcontainers.core``)."""
    for end in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:end])
        named = "-".join(parts[: end + 1])
        if prefix in NAMESPACE_PACKAGES:
            return (named,)
        providers = _published_names("namespaces", prefix) or ()
        if canonicalize_name(named) in providers and canonicalize_name(prefix) not in providers:
            return (named,)  # not when a distribution is named after the namespace itself
    return ()


@functools.cache
def _shipped_below() -> Mapping[str, tuple[str, ...]]:
    """For each dotted prefix of the published table's module rows that is no row itself,
    the distributions shipping a row under it (``ansible_collections``: ansible, whose wheel
    ships ``ansible_collections/amazon/`` and the rest with no ``__init__.py`` above them).
    The table keeps a namespace only when several distributions ship into it; one only one
    distribution fills gets no row, yet importing it works wherever that one is installed."""
    rows = _published()["modules"]
    below: dict[str, dict[str, None]] = {}
    for module, value in rows.items():
        parts = module.split(".")
        for end in range(1, len(parts)):
            prefix = ".".join(parts[:end])
            if prefix not in rows:
                below.setdefault(prefix, {}).update(dict.fromkeys(value.split()))
    return {prefix: tuple(names) for prefix, names in below.items()}


def _namespace_root(module: str) -> tuple[str, ...]:
    """BH1: the distributions that ship into ``module`` when it is a namespace folder no row
    names (``import ansible_collections``): any one of them makes the import work. Only the
    folder itself: a package inside it that no row names (a collection of one's own under
    ``ansible_collections``) comes from none of them."""
    if _published_names("namespaces", module) is not None:
        return ()
    return _shipped_below().get(module, ())


def _known(parts: Sequence[str]) -> tuple[str, ...]:
    """The distributions the tables name for the longest dotted prefix of ``parts`` either
    names, the hand-written table's first."""
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        written = KNOWN_DISTRIBUTIONS.get(name, ())
        published = _published_names("modules", name) or ()
        if written or published:
            return tuple(dict.fromkeys((*written, *published)))
    return ()


def candidate_distributions(
    module: str, installed: Mapping[str, Iterable[str]] = EMPTY
) -> frozenset[str]:
    """Canonical names of the distributions that may provide ``module`` (a dotted import).

    The tables' distributions for the longest dotted prefix they name, the top-level name
    itself, each dotted prefix joined with hyphens (namespace packages: ``backports.zstd`` ->
    ``backports-zstd``, ``google.cloud.storage`` -> ``google-cloud-storage``), and for a
    namespace itself every distribution the published table knows to ship into it (``from
    opentelemetry import trace`` imports what opentelemetry-api provides). apytest-lint
    passes no ``installed`` mapping, so its answer is the same in every environment; the
    feedback loop, which reviews a run in the environment that ran it, passes what is installed.
    """
    found = _table_candidates(module)
    extra = installed.get(module.partition(".")[0], ())
    return found.union(canonicalize_name(name) for name in extra) if extra else found


@functools.cache
def _table_candidates(module: str) -> frozenset[str]:
    """``candidate_distributions`` from the names and the tables alone, worked out once per
    module (a run asks it thousands of times: 4,654 on pandas' tests)."""
    parts = module.split(".")
    names: set[str] = {"-".join(parts[:end]) for end in range(1, len(parts) + 1)}
    names.update(_known(parts))
    names.update(_published_names("namespaces", module) or ())  # from opentelemetry import
    names.update(_namespace_root(module))  # BH1: import ansible_collections
    return frozenset(canonicalize_name(name) for name in names)


def named_by_tables(module: str) -> bool:
    """Whether the tables know the distribution ``likely_distribution`` names for ``module``:
    one they map the import to, one of a known namespace, or one they hold under the import's
    own name (``astropy``, ``ddt``). Otherwise the import name is only a guess, which may as
    well be a module of the project that its sdist leaves out (``search_testapp``, a test app
    kept in the repository)."""
    parts = module.split(".")
    return bool(
        _known(parts)
        or _namespace_distribution(parts)
        or required_by(canonicalize_name(parts[0])) is not None
    )


def likely_distribution(module: str, installed: Mapping[str, Sequence[str]] = EMPTY) -> str:
    """The canonical name most likely to provide ``module``: the table, the namespace package
    it is in (:data:`NAMESPACE_PACKAGES`), what is installed, or the import name itself, in
    that order (for messages)."""
    parts = module.split(".")
    known = (
        _known(parts)
        or _namespace_distribution(parts)
        or installed.get(parts[0], ())
        or (parts[0],)
    )
    return canonicalize_name(known[0])


def affix_matches(import_name: str, distribution: str) -> bool:
    """Whether a distribution is named after the import with a usual affix (``python-magic``,
    ``pyyaml``). A bare ``py`` ends a name as a word of its own (``mypy``, ``numpy``, ``cupy``),
    not an affix: ``my`` (HPI's package) is not mypy's, AM1; ``squashed_matches`` still takes it
    as a likely provider, which reports nothing."""
    target = canonicalize_name(import_name)
    for affix in _AFFIXES:
        if distribution.startswith(affix) and distribution[len(affix) :] == target:
            return True
        if affix == "py":
            continue  # a suffix only with its separator
        if distribution.endswith(affix) and distribution[: -len(affix)] == target:
            return True
    return False


def squashed_matches(import_name: str, distribution: str) -> bool:
    """Whether the distribution is named after the import once separators are dropped, with or
    without a usual affix on either (``pywin32-ctypes`` for ``win32ctypes``, ``sqlite-vec`` for
    ``sqlitevec``, ``opencolorio`` for ``PyOpenColorIO``), or with the import's ``py`` prefix
    spelled out (``python-lsp-jsonrpc`` for ``pylsp_jsonrpc``, RZ3): likely, not certain, the
    provider of a module no table knows."""
    target = canonicalize_name(import_name).replace("-", "")
    named = distribution.replace("-", "")
    if not target or not named:
        return False
    forms = {target, f"py{target}", f"python{target}", f"{target}py", f"{target}python"}
    if target.startswith("py") and len(target) > 2:
        forms.add(f"python{target[2:]}")
    return named in forms or target in {f"py{named}", f"python{named}"}


def scikit_matches(import_name: str, distribution: str) -> bool:
    """Whether the distribution is a ``scikit-`` package whose import spells it ``sk`` and the
    start of the rest (``sksurv`` for ``scikit-survival``, ``skopt`` for ``scikit-optimize``,
    SB4): likely, not certain, the provider of a module no table knows."""
    target = canonicalize_name(import_name).replace("-", "")
    rest = distribution.removeprefix("scikit-").replace("-", "")
    return (
        distribution.startswith("scikit-")
        and target.startswith("sk")
        and len(target) > 3
        and rest.startswith(target[2:])
    )


def guessable(module: str) -> bool:
    """Whether a distribution for ``module`` can be named: the table knows it, or its top-level
    name is a valid distribution name. A private top-level name (``_watchdog_fsevents``) is a C
    extension or helper some package ships; guessing ``-watchdog-fsevents`` names nothing."""
    parts = module.split(".")
    return bool(_known(parts)) or _VALID_NAME.fullmatch(parts[0]) is not None


def _stubs(distribution: str) -> bool:
    """Whether a distribution holds type stubs (``types-requests``, ``pandas-stubs``), which
    provide no module to import."""
    return distribution.startswith("types-") or distribution.endswith("-stubs")


def word_matches(import_name: str, distribution: str) -> bool:
    """Whether the import's name is a whole word of the distribution's (``iris`` in
    ``scitools-iris``, ``psycopg2`` in ``psycopg2-binary``): likely, not certain, the provider."""
    if _stubs(distribution):
        return False
    return f"-{canonicalize_name(import_name)}-" in f"-{distribution}-"


def word_run_matches(import_name: str, distribution: str) -> bool:
    """Whether the import spells two or more consecutive words of the distribution's name run
    together (``schemadiff`` for ``graphql-schema-diff``, AC1): the name's last words are often
    the package's own, its first the ecosystem it serves. The word ``python`` may be left out
    (AQ1): a client generated for a REST API is named ``<api>-api-python-client`` and installs
    ``<api>apiclient``, as ``google-api-python-client`` installs ``googleapiclient``. Likely,
    not certain, the provider."""
    if _stubs(distribution):
        return False
    target = canonicalize_name(import_name).replace("-", "")
    named = distribution.split("-")
    unspoken = [word for word in named if word != "python"]
    return any(_runs_together(target, words) for words in (named, unspoken))


def _runs_together(target: str, words: Sequence[str]) -> bool:
    """Whether ``target`` is two or more consecutive ``words`` written without separators."""
    return any(
        "".join(words[start:end]) == target
        for start in range(len(words))
        for end in range(start + 2, len(words) + 1)
    )


def word_gap_matches(import_name: str, distribution: str) -> bool:
    """Whether the import's two or more words are the distribution's first and last words with
    words of the distribution's between them left out (``h2o_discovery`` for
    ``h2o-cloud-discovery``, DK2): the dropped middle word names the product line. Likely, not
    certain, the provider of a module no table knows."""
    if _stubs(distribution):
        return False
    words = canonicalize_name(import_name).split("-")
    named = distribution.split("-")
    if len(words) < 2 or len(named) <= len(words):
        return False
    if words[0] != named[0] or words[-1] != named[-1]:
        return False
    rest = iter(named[1:-1])
    return all(word in rest for word in words[1:-1])


def py3k_fork_matches(import_name: str, distribution: str) -> bool:
    """Whether the distribution is a Python 3 fork named after the import with ``3k`` appended
    (``scspell3k`` and ``sgmllib3k`` install ``scspell`` and ``sgmllib``, CX1): likely, not
    certain, the provider of a module no table knows. A bare ``3`` is no such suffix: boto3
    does not install ``boto``."""
    target = canonicalize_name(import_name).replace("-", "")
    return bool(target) and distribution.replace("-", "") == f"{target}3k"


def loosely_provides(top: str, distribution: str) -> bool:
    """Whether a declared distribution may provide the top-level module ``top`` though no table
    says so: its name contains the import's as a word (``scitools-iris``) or spells it with
    other separators and a usual affix (``pywin32-ctypes``), runs some of its words together
    (``schemadiff`` for ``graphql-schema-diff``), abbreviates a ``scikit-`` name
    (``sksurv``), appends ``3k`` (``scspell3k``) or leaves out middle words of it
    (``h2o_discovery`` for ``h2o-cloud-discovery``). Likely, not certain: APT102 stays silent
    on it (not sure the package is missing) without APT101 trusting it, and the review says
    "may provide"."""
    return (
        word_matches(top, distribution)
        or word_run_matches(top, distribution)
        or squashed_matches(top, distribution)
        or scikit_matches(top, distribution)
        or py3k_fork_matches(top, distribution)
        or word_gap_matches(top, distribution)
    )
