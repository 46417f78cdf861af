"""Build the mocore Python package from the source tree: `pip install ./bindings/python`.

The extension is self-contained: SWIG generates the wrapper from bindings/mocore.i into the
build directory, and the library's C sources (src/core, src/managers) are compiled into the
same extension, linked against libmariadb (pkg-config libmariadb, else mariadb_config).
mocore/managers.py is generated from bindings/managers.toml (bindings/gen-managers.py).
Needs: a C compiler, swig, libmariadb-dev, Python headers (scripts/deps.sh installs them)."""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BINDINGS = os.path.join(ROOT, "bindings")
CAPI = os.path.join(ROOT, "capi")


def _mariadb_flags():
    for cmd in (["pkg-config", "--cflags", "--libs", "libmariadb"], ["mariadb_config", "--cflags", "--libs"]):
        try:
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            return shlex.split(out)
        except (OSError, subprocess.CalledProcessError):
            continue
    raise SystemExit("mocore: libmariadb not found (install libmariadb-dev)")


class SwigBuildExt(build_ext):
    """Run SWIG on bindings/mocore.i into build_temp, then compile; the generated
    mocore_core.py goes next to the extension in the package."""

    def build_extension(self, ext):
        swig = shutil.which("swig4.0") or shutil.which("swig")
        if not swig:
            raise SystemExit("mocore: swig not found (install swig)")
        gen = os.path.join(os.path.abspath(self.build_temp), "swig")
        os.makedirs(gen, exist_ok=True)
        wrapper = os.path.join(gen, "mocore_python_wrap.c")
        subprocess.run([swig, "-python", "-threads", "-I" + CAPI, "-I" + BINDINGS, "-outdir", gen,
                        "-o", wrapper, os.path.join(BINDINGS, "mocore.i")], check=True)
        ext.sources = [wrapper] + [s for s in ext.sources if not s.endswith(".i")]
        super().build_extension(ext)
        dest = os.path.dirname(self.get_ext_fullpath(ext.name))
        os.makedirs(dest, exist_ok=True)
        shutil.copy(os.path.join(gen, "mocore_core.py"), os.path.join(dest, "mocore_core.py"))


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


flags = _mariadb_flags()
sources = sorted(glob.glob(os.path.join(ROOT, "src", "core", "*.c")) +
                 glob.glob(os.path.join(ROOT, "src", "managers", "*.c")))

setup(
    name="mocore",
    version=_version(),
    description="Python binding of mocore, a session layer for MatrixOne/MySQL/MariaDB",
    packages=["mocore"],
    python_requires=">=3.8",
    # mocore.aio awaits the managers through greenlets (mocore/_green.py)
    extras_require={"aio": ["greenlet>=1.0"]},
    ext_modules=[Extension(
        "mocore._mocore_core",
        sources=[os.path.join(BINDINGS, "mocore.i")] + sources,
        include_dirs=[CAPI, os.path.join(ROOT, "src", "core"), os.path.join(ROOT, "src")],
        define_macros=[("_GNU_SOURCE", None)],
        extra_compile_args=["-std=c11", "-fvisibility=hidden"] + [f for f in flags if f.startswith("-I")],
        extra_link_args=[f for f in flags if not f.startswith("-I")] + ["-lpthread"],
    )],
    cmdclass={"build_ext": SwigBuildExt, "build_py": GenerateManagersBuildPy},
    # create_engine("mysql+mocore://...") once installed (mocore/sqlalchemy_dialect.py)
    entry_points={"console_scripts": ["mocore = mocore.__main__:main"],  # the SQL shell
                  "sqlalchemy.dialects": [
        "mysql.mocore = mocore.sqlalchemy_dialect:MySQLDialect_mocore",
        "mariadb.mocore = mocore.sqlalchemy_dialect:MariaDBDialect_mocore",
        # create_async_engine("mysql+mocore_async://...") (mocore/sqlalchemy_async.py)
        "mysql.mocore_async = mocore.sqlalchemy_async:MySQLDialect_mocore_async",
        "mariadb.mocore_async = mocore.sqlalchemy_async:MariaDBDialect_mocore_async",
    ]},
)
