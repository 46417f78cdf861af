"""ctest python.sdist: the package as a user installs it, built and run outside the tree.

    python3 sdist_smoke.py OUTDIR

1. ``python -m build --no-isolation`` makes the sdist, then the wheel from the unpacked sdist
   (so the sdist alone must be enough to build the extension); the setuptools and wheel of
   this interpreter build it.
2. A fresh venv (no system site-packages, no PYTHONPATH) runs ``pip install <the sdist>``: pip
   builds the extension from the .tar.gz in its own isolated build environment. The build
   requirements (pyproject.toml: setuptools, wheel) come from a local wheelhouse that
   ``pip download`` fills first, and the install itself is ``--no-index``: the one network step
   is that download, and it fails on its own, before the build. From a directory outside the
   tree, the examples/python programs run against the test server, and mypy --strict (when
   installed) checks them against the installed package's stubs (py.typed).
3. ``auditwheel repair`` (when installed) turns the wheel of step 1 into a manylinux wheel,
   with the libraries outside the manylinux policy (libmariadb and what it needs) bundled; a
   second fresh venv installs it and loads the bundled libmariadb, not the system's."""
import glob
import os
import shutil
import subprocess
import sys
import tarfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PACKAGE = os.path.join(ROOT, "bindings", "python")


def run(*cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def has(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode == 0


def venv(path):
    """A fresh venv at path (no system site-packages); its python."""
    run(sys.executable, "-m", "venv", path)
    return os.path.join(path, "bin", "python")


def server_url():
    url = os.environ.get("MOCORE_TEST_URL")
    if url:
        return url
    with open(os.path.join(os.environ["MOCORE_TEST_SERVER_DIR"], "url")) as f:
        return f.read().strip()


def main(out):
    shutil.rmtree(out, ignore_errors=True)
    dist = os.path.join(out, "dist")
    # setuptools writes mocore.egg-info next to setup.py, in the source tree: removed after
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, PACKAGE)
    shutil.rmtree(os.path.join(PACKAGE, "mocore.egg-info"), ignore_errors=True)
    sdist, = glob.glob(os.path.join(dist, "mocore-*.tar.gz"))
    wheel, = glob.glob(os.path.join(dist, "mocore-*.whl"))
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for needed in ("LICENSE", "setup.py", "pyproject.toml", "mocore/py.typed", "mocore/__init__.pyi",
                   "mocore/dbapi/__init__.pyi", "mocore/dbapi/cursors.pyi",
                   "mocore/matrixone/__init__.py", "mocore/matrixone/client.py",
                   "csrc/capi/mocore.h", "csrc/capi/mocore/error_categories.def",
                   "csrc/src/core/client.c", "csrc/bindings/mocore.i",
                   "csrc/bindings/python/mocore_python.i", "csrc/bindings/managers.toml",
                   "csrc/bindings/gen-managers.py", "csrc/bindings/managers/emit_python.py",
                   "csrc/abi/mocore.manifest", "csrc/swig/mocore_python_wrap.c"):
        if needed not in names:
            sys.exit(f"sdist_smoke: {needed} is not in {os.path.basename(sdist)}")
    print(f"sdist {os.path.getsize(sdist)} bytes, wheel {os.path.getsize(wheel)} bytes")

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["MOCORE_URL"] = server_url()
    work = os.path.join(out, "work")  # not the source tree: `import mocore` is the venv's
    os.makedirs(work)

    # pip install <the sdist>, its build requirements from a local wheelhouse
    house = os.path.join(out, "build-requirements")
    run(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--dest", house, "setuptools>=61", "wheel", "tomli; python_version < '3.11'")
    py = venv(os.path.join(out, "venv"))
    run(py, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", house,
        "--disable-pip-version-check", sdist, env=env)
    run(py, "-c", f"""import mocore, mocore.dbapi.cursors, mocore.managers, sys
assert mocore.__file__.startswith(sys.prefix), mocore.__file__
print('mocore', mocore.__version__, 'built from the sdist, in', mocore.__file__)""",
        cwd=work, env=env)
    examples = sorted(glob.glob(os.path.join(ROOT, "examples", "python", "*.py")))
    for example in examples:
        run(py, example, cwd=work, env=env)
    if has("mypy"):
        run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
            "--python-executable", py, *examples, cwd=work, env=env)

    if has("auditwheel"):
        repaired = os.path.join(out, "wheelhouse")
        run(sys.executable, "-m", "auditwheel", "repair", "--wheel-dir", repaired, wheel)
        wheel, = glob.glob(os.path.join(repaired, "mocore-*.whl"))
        print(f"manylinux wheel {os.path.basename(wheel)}: {os.path.getsize(wheel)} bytes")
        py = venv(os.path.join(out, "venv-wheel"))
        run(py, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
            "--disable-pip-version-check", wheel, env=env)
        # the venv's package, and the libmariadb bundled in it rather than the system's
        run(py, "-c", """import mocore, mocore.managers, os, sys
assert mocore.__file__.startswith(sys.prefix), mocore.__file__
maps = [l.split()[-1] for l in open('/proc/self/maps') if 'libmariadb' in l]
assert maps, 'no libmariadb mapped'
assert all(os.sep + 'mocore.libs' + os.sep in m for m in maps), maps
print('mocore', mocore.__version__, 'from', mocore.__file__, 'with', sorted(set(maps)))""",
            cwd=work, env=env)
        run(py, os.path.join(ROOT, "examples", "python", "quickstart.py"), cwd=work, env=env)
    else:
        print("sdist_smoke: auditwheel not installed; no manylinux wheel checked")
    print("sdist_smoke: ok")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
