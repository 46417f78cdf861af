"""ctest python.sdist: the package as a user installs it, built and run outside the tree.

    python3 sdist_smoke.py OUTDIR

1. ``python -m build --no-isolation`` makes the sdist, then the wheel from the unpacked sdist
   (so the sdist alone must be enough to build the extension); the setuptools and wheel of
   this interpreter build it, nothing is downloaded.
2. ``auditwheel repair`` (when installed) turns the wheel into a manylinux wheel, with the
   libraries outside the manylinux policy (libmariadb and what it needs) bundled.
3. A fresh venv (no system site-packages, no PYTHONPATH) installs that wheel with
   ``pip --no-index``; from a directory outside the tree, the examples/python programs run
   against the test server, and mypy --strict (when installed) checks them against the
   installed package's stubs (py.typed)."""
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
                   "csrc/capi/mocore.h", "csrc/capi/mocore/error_categories.def",
                   "csrc/src/core/client.c", "csrc/bindings/mocore.i",
                   "csrc/bindings/python/mocore_python.i", "csrc/bindings/managers.toml",
                   "csrc/bindings/gen-managers.py", "csrc/bindings/managers/emit_python.py",
                   "csrc/abi/mocore.manifest", "csrc/swig/mocore_python_wrap.c"):
        if needed not in names:
            sys.exit(f"sdist_smoke: {needed} is not in {os.path.basename(sdist)}")
    print(f"sdist {os.path.getsize(sdist)} bytes, wheel {os.path.getsize(wheel)} bytes")

    bundled = has("auditwheel")
    if bundled:
        house = os.path.join(out, "wheelhouse")
        run(sys.executable, "-m", "auditwheel", "repair", "--wheel-dir", house, wheel)
        wheel, = glob.glob(os.path.join(house, "mocore-*.whl"))
        print(f"manylinux wheel {os.path.basename(wheel)}: {os.path.getsize(wheel)} bytes")
    else:
        print("sdist_smoke: auditwheel not installed; the plain wheel is installed")

    venv = os.path.join(out, "venv")
    run(sys.executable, "-m", "venv", venv)
    py = os.path.join(venv, "bin", "python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["MOCORE_URL"] = server_url()
    run(py, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
        "--disable-pip-version-check", wheel, env=env)
    work = os.path.join(out, "work")  # not the source tree: `import mocore` is the venv's
    os.makedirs(work)
    # the venv's package, and (repaired) the libmariadb bundled in it rather than the system's
    run(py, "-c", f"""import mocore, mocore.managers, os, sys
assert mocore.__file__.startswith(sys.prefix), mocore.__file__
maps = [l.split()[-1] for l in open('/proc/self/maps') if 'libmariadb' in l]
assert maps, 'no libmariadb mapped'
assert not {bundled!r} or all(os.sep + 'mocore.libs' + os.sep in m for m in maps), maps
print('mocore', mocore.__version__, 'from', mocore.__file__, 'with', sorted(set(maps)))""",
        cwd=work, env=env)
    for example in sorted(glob.glob(os.path.join(ROOT, "examples", "python", "*.py"))):
        run(py, example, cwd=work, env=env)
    if has("mypy"):
        run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
            "--python-executable", py, *sorted(glob.glob(os.path.join(ROOT, "examples", "python", "*.py"))),
            cwd=work, env=env)
    print("sdist_smoke: ok")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
