"""Run HIPS autograd's own examples twice, with autograd and with ndgrad.autograd (imports
rewritten), and compare every number they print.

    AUTOGRAD_DIR=<checkout of github.com/HIPS/autograd> python compat/autograd_examples/run.py \
        [--timeout 240] [--save DIR] [example ...]

The examples are copied to a temporary folder (nothing of autograd's is kept here);
matplotlib is replaced by a stub that accepts every call, and NumPy's global stream is
seeded with 0 in both runs. Examples that download data (MNIST) or use autograd's tracer
internals are listed in SKIP with the reason. A run cut off by the timeout is compared on
the lines both printed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = {
    "convnet": "downloads MNIST", "neural_net": "downloads MNIST",
    "variational_autoencoder": "downloads MNIST", "generative_adversarial_net": "downloads MNIST",
    "dot_graph": "autograd.tracer internals", "print_trace": "autograd.tracer internals",
    "rkhs": "a user-defined Box/VSpace for a non-array type (README: not provided)",
    "data": "a helper module", "data_mnist": "a helper module", "__init__": "package file",
}

STUB = '''class _Any:
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k): return _Any()
    def __getattr__(self, n): return _Any()
    def __iter__(self): return iter([_Any(), _Any(), _Any()])
    def __getitem__(self, k): return _Any()
def __getattr__(n): return _Any()
'''
IMREAD = '''
def imread(path):  # matplotlib's PNG reading: float32 in [0, 1]
    import numpy
    from PIL import Image
    return numpy.asarray(Image.open(path)).astype(numpy.float32) / 255
'''
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def prepare(src, dst, ndgrad):
    shutil.copytree(os.path.join(src, "examples"), os.path.join(dst, "examples"))
    stub = os.path.join(dst, "stub", "matplotlib")
    os.makedirs(stub)
    with open(os.path.join(stub, "__init__.py"), "w") as f:
        f.write(STUB)
    for m in ("pyplot", "image", "cm"):
        with open(os.path.join(stub, m + ".py"), "w") as f:
            f.write("from matplotlib import _Any, __getattr__  # noqa\n")
            f.write(IMREAD)
    with open(os.path.join(dst, "stub", "sitecustomize.py"), "w") as f:
        f.write("import numpy\nnumpy.random.seed(0)\n")
    if not ndgrad:
        return
    ex = os.path.join(dst, "examples")
    for root, _, files in os.walk(ex):
        for name in files:
            if not name.endswith(".py"):
                continue
            p = os.path.join(root, name)
            text = open(p).read()
            text = re.sub(r"^(\s*)import autograd", r"\1import ndgrad.autograd", text, flags=re.M)
            text = re.sub(r"^(\s*)from autograd", r"\1from ndgrad.autograd", text, flags=re.M)
            text = text.replace(" autograd.scipy.", " ndgrad.autograd.scipy.")
            # examples that read their own source as training text read autograd's copy
            here = os.path.join(src, os.path.relpath(root, dst))
            text = re.sub(r"(?:os\.path\.)?dirname\(__file__\)", lambda m: repr(here), text)
            open(p, "w").write(text)


def run(dst, name, timeout, repo):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0",
               PYTHONPATH=os.pathsep.join([os.path.join(dst, "stub"), repo,
                                           os.path.join(dst, "examples")]))
    try:
        folder, script = os.path.split(name)  # fluidsim/wing runs in examples/fluidsim
        p = subprocess.run([sys.executable, script + ".py"],
                           cwd=os.path.join(dst, "examples", folder),
                           env=env, capture_output=True, text=True, timeout=timeout)
        return p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return out, "", "timeout"


def compare(a, b):
    la, lb = a.splitlines(), b.splitlines()
    worst, bad = 0.0, 0
    for x, y in zip(la, lb):
        nx, ny = NUMBER.findall(x), NUMBER.findall(y)
        if len(nx) != len(ny):
            bad += 1
            continue
        for u, v in zip(nx, ny):
            u, v = float(u), float(v)
            worst = max(worst, abs(u - v) / max(abs(u), abs(v), 1e-8))
    return min(len(la), len(lb)), worst, bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", nargs="*")
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--save", metavar="DIR",
                    help="write each run's stdout and stderr to DIR/<example>.{ag,nd}.{out,err}")
    args = ap.parse_args()
    src = os.environ.get("AUTOGRAD_DIR")
    if not src or not os.path.isdir(os.path.join(src, "examples")):
        sys.exit("set AUTOGRAD_DIR to a checkout of github.com/HIPS/autograd (with examples/)")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ex = os.path.join(src, "examples")
    names = args.examples or sorted(
        os.path.relpath(os.path.join(root, n), ex)[:-3] for root, _, files in os.walk(ex)
        for n in files if n.endswith(".py"))
    with tempfile.TemporaryDirectory() as tmp:
        ag, nd = os.path.join(tmp, "ag"), os.path.join(tmp, "nd")
        prepare(src, ag, ndgrad=False)
        prepare(src, nd, ndgrad=True)
        for name in names:
            if name in SKIP:
                print(f"{name}: skipped ({SKIP[name]})")
                continue
            oa, ea, ra = run(ag, name, args.timeout, repo)
            ob, eb, rb = run(nd, name, args.timeout, repo)
            if args.save:
                os.makedirs(args.save, exist_ok=True)
                for tag, text in (("ag.out", oa), ("ag.err", ea), ("nd.out", ob), ("nd.err", eb)):
                    out = os.path.join(args.save, f"{name.replace(os.sep, '_')}.{tag}")
                    with open(out, "w") as f:
                        f.write(text)
            n, worst, bad = compare(oa, ob)
            err = (eb.strip().splitlines() or [""])[-1] if rb not in (0, "timeout") else ""
            print(f"{name}: autograd exit {ra}, ndgrad exit {rb}; {n} common lines, largest "
                  f"relative difference {worst:.2g}, {bad} lines differ in shape"
                  + (f"; ndgrad's error: {err}" if err else ""))


if __name__ == "__main__":
    main()
