"""Build the mocore Python package: `pip install ./bindings/python`, or `python -m build
bindings/python` for an sdist and a wheel (the wheel is built from the unpacked sdist).

The extension is self-contained: the library's C sources (src/core, src/managers) are
compiled into the same extension as the SWIG wrapper of bindings/mocore.i, linked against
libmariadb (pkg-config libmariadb, else mariadb_config). mocore/managers.py is generated from
bindings/managers.toml by bindings/gen-managers.py.

The package lives two levels below the sources it needs, which an sdist cannot reach: the
sdist step copies them into csrc/ with the repository's layout (capi/, src/, abi/,
bindings/), plus the SWIG wrapper generated once so that installing needs no SWIG. The build
reads the sources from csrc/ when it is there (an sdist), else from the repository.
Needs: a C compiler, libmariadb-dev, Python headers; from the repository also swig."""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "csrc")
ROOT = SHIPPED if os.path.isdir(SHIPPED) else os.path.normpath(os.path.join(HERE, "..", ".."))
BINDINGS = os.path.join(ROOT, "bindings")
CAPI = os.path.join(ROOT, "capi")
# The SWIG output of an sdist: mocore_python_wrap.c and mocore_core.py.
SHIPPED_SWIG = os.path.join(SHIPPED, "swig")

# What the extension and the generated managers are made of, relative to the repository root
# (all of it goes into the sdist's csrc/).
C_SOURCES = ["capi/mocore/*.h", "capi/mocore/*.def", "capi/*.h", "src/core/*.[ch]",
             "src/managers/*.[ch]",
             "bindings/mocore.i", "bindings/python/mocore_python.i",
             "bindings/gen-managers.py", "bindings/managers.toml", "bindings/managers/*.py",
             "bindings/managers/*.[ch]",
             "abi/mocore.manifest"]


def _mariadb_flags():
    for cmd in (["pkg-config", "--cflags", "--libs", "libmariadb"], ["mariadb_config", "--cflags", "--libs"]):
        try:
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            return shlex.split(out)
        except (OSError, subprocess.CalledProcessError):
            continue
    raise SystemExit("mocore: libmariadb not found (install libmariadb-dev)")


def _swig(outdir):
    """Run SWIG on bindings/mocore.i into outdir: mocore_python_wrap.c and mocore_core.py."""
    swig = shutil.which("swig4.0") or shutil.which("swig")
    if not swig:
        raise SystemExit("mocore: swig not found (install swig)")
    os.makedirs(outdir, exist_ok=True)
    subprocess.run([swig, "-python", "-threads", "-I" + CAPI, "-I" + BINDINGS, "-outdir", outdir,
                    "-o", os.path.join(outdir, "mocore_python_wrap.c"),
                    os.path.join(BINDINGS, "mocore.i")], check=True)


class SwigBuildExt(build_ext):
    """Compile the SWIG wrapper (the sdist's, else generated into build_temp) with the C
    sources; the wrapper's mocore_core.py goes next to the extension in the package."""

    def build_extension(self, ext):
        gen = SHIPPED_SWIG
        if not os.path.isfile(os.path.join(gen, "mocore_python_wrap.c")):
            gen = os.path.join(os.path.abspath(self.build_temp), "swig")
            _swig(gen)
        # the manager calls' method table (bindings/managers/call.h), generated like managers.py
        table = os.path.join(os.path.abspath(self.build_temp), "managers_table.c")
        os.makedirs(os.path.dirname(table), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(BINDINGS, "gen-managers.py"), "--lang", "c",
                        "--out", table], check=True)
        ext.sources = [os.path.join(gen, "mocore_python_wrap.c"), table] + \
            [s for s in ext.sources if not s.endswith(".i")]
        flags = _mariadb_flags()
        ext.extra_compile_args += [f for f in flags if f.startswith("-I")]
        ext.extra_link_args += [f for f in flags if not f.startswith("-I")]
        super().build_extension(ext)
        dest = os.path.dirname(self.get_ext_fullpath(ext.name))
        os.makedirs(dest, exist_ok=True)
        shutil.copy(os.path.join(gen, "mocore_core.py"), os.path.join(dest, "mocore_core.py"))


class SourcesSdist(sdist):
    """Put the C sources, the manager description and its generator, and the SWIG output
    into the sdist's csrc/ (see the module docstring)."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        if ROOT == SHIPPED:  # an sdist made from an sdist: csrc/ is in the MANIFEST already
            return
        dest = os.path.join(base_dir, "csrc")
        for pattern in C_SOURCES:
            matched = sorted(glob.glob(os.path.join(ROOT, pattern)))
            if not matched:
                raise SystemExit(f"mocore: no {pattern} in {ROOT}")
            for path in matched:
                rel = os.path.relpath(path, ROOT)
                os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
                shutil.copy(path, os.path.join(dest, rel))
        _swig(os.path.join(dest, "swig"))


class GenerateManagersBuildPy(build_py):
    """Copy the package, then generate mocore/managers.py from bindings/managers.toml."""

    def run(self):
        super().run()
        out = os.path.join(self.build_lib, "mocore", "managers.py")
        subprocess.run([sys.executable, os.path.join(BINDINGS, "gen-managers.py"), "--lang", "python",
                        "--out", out], check=True)


def _version():
    """The version written once in capi/mocore/common.h."""
    with open(os.path.join(CAPI, "mocore", "common.h")) as f:
        text = f.read()
    return ".".join(re.search(r"#define MOCORE_VERSION_%s (\d+)" % part, text).group(1)
                    for part in ("MAJOR", "MINOR", "PATCH"))


sources = sorted(glob.glob(os.path.join(ROOT, "src", "core", "*.c")) +
                 glob.glob(os.path.join(ROOT, "src", "managers", "*.c")) +
                 glob.glob(os.path.join(ROOT, "bindings", "managers", "*.c")))

setup(
    name="mocore",
    version=_version(),
    description="Python binding of mocore, a session layer for MatrixOne/MySQL/MariaDB",
    license="Apache-2.0",
    license_files=["LICENSE"],
    classifiers=["License :: OSI Approved :: Apache Software License",
                 "Programming Language :: Python :: 3", "Programming Language :: C",
                 "Operating System :: POSIX :: Linux", "Topic :: Database", "Typing :: Typed"],
    # mocore, and mocore.matrixone (the MatrixOne SDK's API) with its subpackages
    packages=find_packages(include=["mocore", "mocore.*"]),
    # py.typed: the annotations and stubs are the package's (PEP 561)
    package_data={"mocore": ["py.typed", "*.pyi", "dbapi/*.pyi"]},
    python_requires=">=3.8",
    # mocore.aio awaits the managers through greenlets (mocore/_green.py)
    extras_require={"aio": ["greenlet>=1.0"]},
    ext_modules=[Extension(
        "mocore._mocore_core",
        sources=[os.path.join(BINDINGS, "mocore.i")] + sources,
        include_dirs=[CAPI, os.path.join(ROOT, "src", "core"), os.path.join(ROOT, "src", "managers"),
                      os.path.join(ROOT, "src"), BINDINGS, os.path.join(BINDINGS, "managers")],
        define_macros=[("_GNU_SOURCE", None)],
        extra_compile_args=["-std=c11", "-fvisibility=hidden"],  # + libmariadb's (build_ext)
        extra_link_args=["-lpthread"],
    )],
    cmdclass={"build_ext": SwigBuildExt, "build_py": GenerateManagersBuildPy, "sdist": SourcesSdist},
    # create_engine("mysql+mocore://...") once installed (mocore/sqlalchemy_dialect.py)
    entry_points={"console_scripts": ["mocore = mocore.__main__:main",  # the SQL shell
                                      # the MatrixOne SDK's diagnostic shell (mocore.matrixone)
                                      "mo-diag = mocore.matrixone.cli_tools:main_cli"],
                  "sqlalchemy.dialects": [
        "mysql.mocore = mocore.sqlalchemy_dialect:MySQLDialect_mocore",
        "mariadb.mocore = mocore.sqlalchemy_dialect:MariaDBDialect_mocore",
        # create_async_engine("mysql+mocore_async://...") (mocore/sqlalchemy_async.py)
        "mysql.mocore_async = mocore.sqlalchemy_async:MySQLDialect_mocore_async",
        "mariadb.mocore_async = mocore.sqlalchemy_async:MariaDBDialect_mocore_async",
    ]},
)
