"""Run aymericdamien/TensorFlow-Examples' TF1 programs under ndgrad.tf and under the real
TensorFlow, and compare every number they print.

    EXAMPLES_DIR=<checkout or bare mirror of the repo> python compat/tf_examples/run.py \
        [--only NAME ...] [--tf-python PATH] [--xfails compat/tf_examples/xfails.txt] \
        [--keep DIR] [--timeout 600] [--float64] [-v]

Each program of ``tensorflow_v1/examples/`` (``PROGRAMS`` below) is read from
``$EXAMPLES_DIR`` (a work tree, or a bare git repository read at HEAD), shortened (its
step-count constants set by ``PROGRAMS``' substitutions, the same text on both sides;
``/tmp/`` paths made relative to the program's folder), written to a scratch folder
(each side's own; with each side's stdout and stderr kept there) and run twice
in subprocesses by ``harness.py``: once with ``import tensorflow`` answered by ndgrad.tf,
once by TensorFlow's ``compat.v1`` (``--tf-python`` or ``$NDGRAD_TF_PYTHON``: a Python
that has TensorFlow). The shims (synthetic MNIST, NumPy-drawn random values) are the same
on both sides; see harness.py.

Both standard outputs are split into lines; in each line the numbers are compared (a
number agrees when ``|a - b| <= atol + rtol * max(|a|, |b|)``, per-program tolerances in
``PROGRAMS``, default rtol 1e-4) and the text between them must be equal. The outcome of a
program is one of
  agree        both ran, the same lines, every number within tolerance;
  DIFFER       both ran, a number (or the number of lines) differs: a silent wrong result;
  text         both ran, the numbers agree, some text differs (a repr, a message);
  unsupported  TF ran, ndgrad.tf raised (its error is shown);
  tf-failed    ndgrad ran, TF did not (the harness's fault, or TF 2.21's);
  both-failed  neither ran (listed in --xfails with a reason when neither side has what
               the program needs: tf.contrib beyond its core aliases, tf.estimator).
Programs marked ``float64`` (and every program with ``--float64``) run with their float32
names rewritten to float64 and are compared with rtol 1e-9 (see FLOAT64_SUBS).
The run exits 1 when a program differs, or has an outcome other than agree that is not
listed in --xfails (a listed program that now agrees is named too).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SUBDIR = "tensorflow_v1/examples"

# Three MLPs start from weights of standard deviation 1 (logits in the thousands, costs
# in the hundreds) and train with Adam or plain SGD: float32 rounding differences between
# the two libraries' matmuls grow to percents within two epochs (multilayer_perceptron
# epoch-2 cost 36.3547 vs TF's 36.2522; tensorboard_advanced 0.7548 vs 0.8207), while in
# float64 both sides agree to 1e-9 (multilayer_perceptron 36.010450215 vs 36.010450214).
# These are compared in float64 (``--float64``'s rewrite, rtol 1e-9).
MLP_AMPLIFIES = "float32 rounding amplified by training; compared in float64"
# Adam's first steps move each weight by about +-learning_rate whatever its gradient's
# size, so a tiny gradient component that rounds to the other sign in float32 moves a
# weight by twice the rate: multigpu_cnn's step-2 loss is 2.4135 here and 2.4139 in TF in
# float32, 2.4130 on both sides in float64 (and its test accuracy, a mean over 1000
# examples, differed by one example).
ADAM_FIRST_STEPS = "Adam's first steps amplify float32 rounding; compared in float64"

# name -> (path under SUBDIR, {regex: replacement} applied to the source, options:
# rtol / atol, skip: a regex of printed lines not compared, mask: a regex of parts of
# lines blanked before comparing -- both for timings --, float64: run in float64,
# subs64: more substitutions for a float64 run, where the program makes float32 values
# by default, tf.zeros(shape); data: {path in the repository: path beside the program}
# of data files the program reads; synthetic: {kind: path beside the program} of the
# stand-ins synthetic_data writes (run_side); tf_racy: TF's numbers change from run to
# run, and ndgrad's must equal one of up to five TF runs)
# The substitutions shorten the runs (the same text on both sides); display steps are
# lowered so that a few numbers are printed along the way.
PROGRAMS = {
    "helloworld": ("1_Introduction/helloworld.py", {}, {}),
    "basic_operations": ("1_Introduction/basic_operations.py", {}, {}),
    "basic_eager_api": ("1_Introduction/basic_eager_api.py", {}, {}),
    "linear_regression": ("2_BasicModels/linear_regression.py", {
        r"(?m)^training_epochs = 1000": "training_epochs = 100",
        r"(?m)^display_step = 50": "display_step = 10"}, {}),
    "linear_regression_eager_api": ("2_BasicModels/linear_regression_eager_api.py", {
        r"(?m)^num_steps = 1000": "num_steps = 100",
        r"(?m)^display_step = 100": "display_step = 10"}, {}),
    "logistic_regression": ("2_BasicModels/logistic_regression.py", {
        r"(?m)^training_epochs = 25": "training_epochs = 3"}, {}),
    "logistic_regression_eager_api": ("2_BasicModels/logistic_regression_eager_api.py", {
        r"(?m)^num_steps = 1000": "num_steps = 50",
        r"(?m)^display_step = 100": "display_step = 10"}, {}),
    "nearest_neighbor": ("2_BasicModels/nearest_neighbor.py", {}, {}),
    "kmeans": ("2_BasicModels/kmeans.py", {r"(?m)^num_steps = 50": "num_steps = 5"}, {}),
    "random_forest": ("2_BasicModels/random_forest.py", {
        r"(?m)^num_steps = 500": "num_steps = 5"}, {}),
    "gradient_boosted_decision_tree": ("2_BasicModels/gradient_boosted_decision_tree.py",
                                       {}, {}),
    # a Python 2 program: ported by two substitutions (text8's bytes decoded, xrange)
    "word2vec": ("2_BasicModels/word2vec.py", {
        r"f\.read\(f\.namelist\(\)\[0\]\)\.lower\(\)":
            "f.read(f.namelist()[0]).decode().lower()",
        r"\bxrange\(": "range(",
        r"(?m)^num_steps = 3000000": "num_steps = 200",
        r"(?m)^display_step = 10000": "display_step = 50",
        r"(?m)^eval_step = 200000": "eval_step = 100"},
        {"synthetic": {"text8": "text8.zip"}}),
    "autoencoder": ("3_NeuralNetworks/autoencoder.py", {
        r"(?m)^num_steps = 30000": "num_steps = 30",
        r"(?m)^display_step = 1000": "display_step = 5"}, {}),
    "bidirectional_rnn": ("3_NeuralNetworks/bidirectional_rnn.py", {
        r"(?m)^training_steps = 10000": "training_steps = 20",
        r"(?m)^display_step = 200": "display_step = 5"}, {}),
    "convolutional_network": ("3_NeuralNetworks/convolutional_network.py", {
        r"(?m)^num_steps = 2000": "num_steps = 5"}, {}),
    "convolutional_network_raw": ("3_NeuralNetworks/convolutional_network_raw.py", {
        r"(?m)^num_steps = 200": "num_steps = 6",
        r"(?m)^display_step = 10": "display_step = 2"}, {}),
    "dcgan": ("3_NeuralNetworks/dcgan.py", {
        r"(?m)^num_steps = 20000": "num_steps = 4",
        r"i % 100 == 0 or i == 1": "i % 2 == 0 or i == 1"}, {}),
    "dynamic_rnn": ("3_NeuralNetworks/dynamic_rnn.py", {
        r"(?m)^training_steps = 10000": "training_steps = 20",
        r"(?m)^display_step = 200": "display_step = 5"}, {}),
    # one session.run of both optimizers: the generator's gradient reads the
    # discriminator's variables, which the other update writes in place with TF 1's ref
    # variables, and TF's numbers change from run to run (step-20 generator loss 1.687281
    # or 1.679789, with the hash seed fixed too); ndgrad.tf's run reads the values from
    # before it (1.687281, every run)
    "gan": ("3_NeuralNetworks/gan.py", {
        r"(?m)^num_steps = 100000": "num_steps = 20",
        r"i % 1000 == 0 or i == 1": "i % 5 == 0 or i == 1"}, {"tf_racy": True}),
    "multilayer_perceptron": ("3_NeuralNetworks/multilayer_perceptron.py", {
        r"(?m)^training_epochs = 15": "training_epochs = 2"}, {"float64": MLP_AMPLIFIES}),
    "neural_network": ("3_NeuralNetworks/neural_network.py", {
        r"(?m)^num_steps = 1000": "num_steps = 5"}, {}),
    "neural_network_eager_api": ("3_NeuralNetworks/neural_network_eager_api.py", {
        r"(?m)^num_steps = 1000": "num_steps = 20"}, {}),
    "neural_network_raw": ("3_NeuralNetworks/neural_network_raw.py", {
        r"(?m)^num_steps = 500": "num_steps = 20",
        r"(?m)^display_step = 100": "display_step = 5"}, {}),
    "recurrent_network": ("3_NeuralNetworks/recurrent_network.py", {
        r"(?m)^training_steps = 10000": "training_steps = 20",
        r"(?m)^display_step = 200": "display_step = 5"}, {}),
    "variational_autoencoder": ("3_NeuralNetworks/variational_autoencoder.py", {
        r"(?m)^num_steps = 30000": "num_steps = 20",
        r"i % 1000 == 0 or i == 1": "i % 5 == 0 or i == 1"}, {}),
    "save_restore_model": ("4_Utils/save_restore_model.py", {
        r"for epoch in range\(3\)": "for epoch in range(2)",
        r"for epoch in range\(7\)": "for epoch in range(2)"}, {"float64": MLP_AMPLIFIES}),
    "tensorboard_basic": ("4_Utils/tensorboard_basic.py", {
        r"(?m)^training_epochs = 25": "training_epochs = 2"}, {}),
    "tensorboard_advanced": ("4_Utils/tensorboard_advanced.py", {
        r"(?m)^training_epochs = 25": "training_epochs = 2"}, {"float64": MLP_AMPLIFIES}),
    # its data: a folder of JPEGs written by synthetic_data.write_images; read in order by
    # one thread (the program shuffles with TF's random queue and batches with 4 threads,
    # whose order is TF's random stream and thread timing)
    "build_an_image_dataset": ("5_DataManagement/build_an_image_dataset.py", {
        r"DATASET_PATH = '/path/to/dataset/'": "DATASET_PATH = './images/'",
        r"shuffle=True": "shuffle=False", r"num_threads=4": "num_threads=1",
        # TF's default IDCT is libjpeg's fast integer one, which Pillow (ndgrad's decoder)
        # does not offer: ask both for the accurate one (README)
        r"decode_jpeg\(image, channels=CHANNELS\)":
            "decode_jpeg(image, channels=CHANNELS, dct_method='INTEGER_ACCURATE')",
        r"(?m)^batch_size = 128": "batch_size = 8",
        r"(?m)^num_steps = 10000": "num_steps = 6",
        r"(?m)^display_step = 100": "display_step = 2"},
        {"synthetic": {"images": "images"}}),
    "tensorflow_dataset_api": ("5_DataManagement/tensorflow_dataset_api.py", {
        r"(?m)^num_steps = 2000": "num_steps = 6",
        r"(?m)^display_step = 100": "display_step = 2"}, {}),
    "multigpu_basics": ("6_MultiGPU/multigpu_basics.py", {
        r"10000": "300", r"(?m)^log_device_placement = True": "log_device_placement = False"},
                        {"skip": r"computation time"}),  # it prints timings only
    "multigpu_cnn": ("6_MultiGPU/multigpu_cnn.py", {
        r"(?m)^num_steps = 200": "num_steps = 3",
        r"(?m)^batch_size = 1024": "batch_size = 64",
        r"(?m)^display_step = 10": "display_step = 1"},
        {"mask": r"\d+ Examples/sec", "float64": ADAM_FIRST_STEPS}),
}

# nlintz/TensorFlow-Tutorials (``--suite nlintz``): twelve TF1 programs at the top of the
# repository (``00_multiply.py`` ... ``11_gan.py``), each an epoch loop of 100 (the GAN:
# 200) cut to a few epochs
_EPOCHS = {r"(?m)^(\s*)for i in range\(100\):": r"\1for i in range(3):"}
NLINTZ = {
    "00_multiply": ("00_multiply.py", {}, {}),
    "01_linear_regression": ("01_linear_regression.py", _EPOCHS, {}),
    "02_logistic_regression": ("02_logistic_regression.py", _EPOCHS, {}),
    "03_net": ("03_net.py", _EPOCHS, {}),
    "04_modern_net": ("04_modern_net.py", _EPOCHS, {}),
    "05_convolutional_net": ("05_convolutional_net.py", {
        r"(?m)^(\s*)for i in range\(100\):": r"\1for i in range(1):",
        # one epoch of the CNN is 42 batches of 128 on the synthetic MNIST (minutes here)
        r"zip\(range\(0, len\(trX\), batch_size\),":
            "zip(range(0, 8 * batch_size, batch_size),"}, {}),
    # plain SGD at rate 0.02 on a sum of squares over 128 x 784 pixels: chaotic training,
    # a last-bit difference grows about 3x a step (float64, step by step: equal to 15
    # digits for 3 steps, 1e-9 after 20, 1e-4 after one epoch of 42); compared in
    # float64 over two epochs of 5 batches
    "06_autoencoder": ("06_autoencoder.py", {
        r"(?m)^(\s*)for i in range\(100\):": r"\1for i in range(2):",
        r"zip\(range\(0, len\(trX\), 128\)": "zip(range(0, 5 * 128, 128)"}, {
        "float64": "chaotic training amplifies rounding; compared in float64, 10 steps",
        "subs64": {r"tf\.zeros\(\[(n_hidden|n_visible)\]\)": r"tf.zeros([\1], tf.float64)",
                   r"maxval=W_init_max\)": "maxval=W_init_max, dtype=tf.float64)"}}),
    "07_lstm": ("07_lstm.py", {
        r"(?m)^(\s*)for i in range\(100\):": r"\1for i in range(1):",
        r"range\(0, len\(trX\), batch_size\)": "range(0, 10 * batch_size, batch_size)"},
        {}),
    "08_word2vec": ("08_word2vec.py", {}, {}),
    "09_tensorboard": ("09_tensorboard.py", _EPOCHS, {}),
    "10_save_restore_net": ("10_save_restore_net.py", {
        r"for i in range\(start, 100\):": "for i in range(start, 3):"}, {}),
    # Adam's first steps on a GAN amplify rounding about 2x a step (float32: step 0's
    # numbers agree to 1e-6, step 19's to 3e-2; float64: to 1e-9 up to step 14, 4e-9 at
    # 15, 2e-6 at 19); compared in float64 over 15 steps
    "11_gan": ("11_gan.py", {r"for i in range\(200\):": "for i in range(15):"}, {
        "float64": ADAM_FIRST_STEPS,
        "subs64": {r"tf\.zeros\(shape=\[(\w+)\]\)": r"tf.zeros(shape=[\1], dtype=tf.float64)",
                   r"stddev=1\.0/shape\[0\]\)": "stddev=1.0/shape[0], dtype=tf.float64)"}}),
}

# --suite: (the folder of the programs in the repository, the programs, the xfails file,
# the repository it reads)
SUITES = {
    "tf-examples": (SUBDIR, PROGRAMS, "xfails.txt", "aymericdamien/TensorFlow-Examples"),
    "nlintz": ("", NLINTZ, "xfails_nlintz.txt", "nlintz/TensorFlow-Tutorials"),
}
# more suites, each in a module of its own beside this file (``suite_<name>.py`` defining
# SUBDIR, PROGRAMS, XFAILS and REPO as above)
for _mod in sorted(f[6:-3] for f in os.listdir(HERE)
                   if f.startswith("suite_") and f.endswith(".py")):
    sys.path.insert(0, HERE)
    _m = __import__(f"suite_{_mod}")
    SUITES[_mod] = (_m.SUBDIR, _m.PROGRAMS, _m.XFAILS, _m.REPO)

DEFAULT_RTOL, DEFAULT_ATOL = 1e-4, 1e-6
_NUM = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b",
                  re.IGNORECASE)


def read_source(examples_dir, rel, subdir=SUBDIR, repo=SUITES["tf-examples"][3]):
    """A program's text from a work tree, or from a bare git repository at HEAD."""
    path = os.path.join(examples_dir, subdir, rel)
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    if os.path.exists(os.path.join(examples_dir, "HEAD")):  # a bare repository
        at = f"{subdir}/{rel}" if subdir else rel
        return subprocess.run(["git", "-C", examples_dir, "show", f"HEAD:{at}"],
                              check=True, capture_output=True, text=True).stdout
    raise FileNotFoundError(f"{path} does not exist (EXAMPLES_DIR={examples_dir!r} is "
                            f"neither a checkout nor a bare mirror of {repo})")


# --float64: both sides in float64, to tell a float32 rounding difference that training
# amplifies (it shrinks to ~1e-12 in float64) from a wrong op (it stays)
FLOAT64_SUBS = {r"\btf\.float32\b": "tf.float64", r"([\"'])float(32)?\1": r"\1float64\1"}


def prepare(src, subs, float64=False):
    if float64:
        subs = {**subs, **FLOAT64_SUBS}
    for pattern, repl in subs.items():
        if float64 and pattern in FLOAT64_SUBS:
            src = re.sub(pattern, repl, src)
            continue
        src, n = re.subn(pattern, repl, src)
        if n == 0:
            raise ValueError(f"substitution {pattern!r} matched nothing: the program changed")
    # the programs write checkpoints and logs under /tmp: each side writes under its own
    # working folder instead (a relative path, so that the printed paths are equal)
    return re.sub(r"""(["'])/tmp/""", lambda m: m.group(1) + "./", src)


def run_side(side, python, prog_src, name, scratch_root, timeout, float64=False,
             data=None, synthetic=None):
    """Run the program on one side; (returncode, stdout, stderr, seconds). ``data``:
    {relative path: text} written beside the program first (files of the repository
    the program reads, the same on both sides); ``synthetic``: {kind: relative path} of
    the synthetic_data stand-ins written there ("text8": word2vec's text8.zip, "images":
    a folder of JPEGs)."""
    d = os.path.join(scratch_root, f"{name}.{side}")
    os.makedirs(d, exist_ok=True)
    for rel, text in (data or {}).items():
        path = os.path.join(d, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    prog = os.path.join(d, name + ".py")
    with open(prog, "w") as f:
        f.write(prepare(prog_src[0], prog_src[1], float64))
    if synthetic:
        sys.path.insert(0, HERE)
        import synthetic_data
        writers = {"text8": synthetic_data.write_text8, "images": synthetic_data.write_images}
        for kind, rel in synthetic.items():
            path = os.path.join(d, rel)
            os.makedirs(os.path.dirname(path) or d, exist_ok=True)
            writers[kind](path)
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # the same string hashes on both sides (``list(set(text))`` numbers characters in
    # hash order: hunkim's char-RNNs)
    env["PYTHONHASHSEED"] = "0"
    env["MPLBACKEND"] = "Agg"
    if float64:
        env["NDGRAD_TFEX_FLOAT64"] = "1"
    t0 = time.time()
    try:
        p = subprocess.run([python, os.path.join(HERE, "harness.py"), side, prog], cwd=d,
                           env=env, capture_output=True, text=True, timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = -9, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (
            e.stdout or ""), f"timed out after {timeout} s"
    for ext, text in (("stdout", out), ("stderr", err)):
        with open(os.path.join(d, f"{name}.{ext}"), "w") as f:
            f.write(text)
    return rc, out, err, time.time() - t0


def last_error(err):
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Exit)\b", ln) or "Error:" in ln:
            return ln.strip()[:300]
    return lines[-1][:300] if lines else "(no output on stderr)"


def split_line(line):
    """(the text around the numbers, the numbers). Runs of spaces count as one, and none
    beside ``[``, ``]`` or ``,``: NumPy pads a printed array's columns to its longest
    number, so a last digit more (a float32 value one ulp away) moves the padding."""
    nums = [m.group(0) for m in _NUM.finditer(line)]
    text = re.sub(r" *([\[\],]) *", r"\1", re.sub(r"\s+", " ", _NUM.sub("#", line)))
    return text, nums


def close(a, b, rtol, atol):
    fa, fb = float(a), float(b)
    if fa != fa or fb != fb:
        return fa != fa and fb != fb
    if fa in (float("inf"), float("-inf")) or fb in (float("inf"), float("-inf")):
        return fa == fb
    return abs(fa - fb) <= atol + rtol * max(abs(fa), abs(fb))


def compare(out_nd, out_tf, rtol, atol, skip=None, mask=None):
    """(numbers_ok, text_ok, rows, count): rows of (line_nd, line_tf, mark) for the
    report; lines matching ``skip`` (timings) are left out on both sides, and the parts
    of lines matching ``mask`` are blanked."""
    a, b = out_nd.splitlines(), out_tf.splitlines()
    if skip:
        a = [ln for ln in a if not re.search(skip, ln)]
        b = [ln for ln in b if not re.search(skip, ln)]
    if mask:
        a = [re.sub(mask, "<timing>", ln) for ln in a]
        b = [re.sub(mask, "<timing>", ln) for ln in b]
    rows, nums_ok, text_ok = [], len(a) == len(b), True
    n_numbers = 0
    for i in range(max(len(a), len(b))):
        la = a[i] if i < len(a) else "<missing>"
        lb = b[i] if i < len(b) else "<missing>"
        ta, na = split_line(la)
        tb, nb = split_line(lb)
        mark = ""
        if len(na) != len(nb):
            nums_ok, mark = False, "COUNT"
        else:
            bad = [(x, y) for x, y in zip(na, nb) if not close(x, y, rtol, atol)]
            n_numbers += len(na)
            if bad:
                nums_ok, mark = False, "DIFFER"
            elif ta != tb:
                text_ok, mark = False, "text"
        rows.append((la, lb, mark))
    if not nums_ok and all(m in ("", "COUNT") for _, _, m in rows):
        # only the numbers per line differ: a printed array wraps at NumPy's line width,
        # and a value one ulp away printed with a digit more moves numbers to the next
        # line. Then the whole output is compared as one stream of numbers and text
        ta, na = split_line(" ".join(a))
        tb, nb = split_line(" ".join(b))
        if len(na) == len(nb) and all(close(x, y, rtol, atol) for x, y in zip(na, nb)):
            nums_ok, text_ok = True, ta == tb
            n_numbers = len(na)
            rows = [(la, lb, "" if m == "COUNT" else m) for la, lb, m in rows]
    return nums_ok, text_ok, rows, n_numbers


def load_xfails(path):
    out = {}
    if path:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    name, _, reason = line.partition("#")
                    out[name.strip()] = reason.strip()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", help="program names (see PROGRAMS)")
    ap.add_argument("--tf-python", default=os.environ.get("NDGRAD_TF_PYTHON"))
    ap.add_argument("--python", default=sys.executable, help="the Python running ndgrad")
    ap.add_argument("--suite", choices=sorted(SUITES), default="tf-examples",
                    help="whose programs: aymericdamien/TensorFlow-Examples (the default), "
                    "nlintz/TensorFlow-Tutorials, or a suite_<name>.py module's")
    ap.add_argument("--xfails", help="known failures (default: the suite's own file)")
    ap.add_argument("--keep", help="keep the scratch folders here")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per program and side")
    ap.add_argument("--float64", action="store_true",
                    help="run both sides in float64 (see FLOAT64_SUBS), with rtol 1e-9")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print both outputs side by side for every program")
    args = ap.parse_args(argv)
    subdir, programs, xfails_file, repo = SUITES[args.suite]
    examples_dir = os.environ.get("EXAMPLES_DIR")
    if not examples_dir:
        ap.error(f"set EXAMPLES_DIR to a checkout (or bare mirror) of {repo}")
    if not args.tf_python:
        ap.error("give a Python that has TensorFlow: --tf-python or NDGRAD_TF_PYTHON")
    names = args.only or list(programs)
    unknown = [n for n in names if n not in programs]
    if unknown:
        ap.error(f"unknown programs {unknown}; known: {', '.join(programs)}")
    xfails = load_xfails(args.xfails or os.path.join(HERE, xfails_file))
    scratch = args.keep or tempfile.mkdtemp(prefix="ndgrad_tfex_")
    os.makedirs(scratch, exist_ok=True)
    results, t_all = {}, time.time()
    for name in names:
        rel, subs, tol = programs[name]
        rtol, atol = tol.get("rtol", DEFAULT_RTOL), tol.get("atol", DEFAULT_ATOL)
        f64 = args.float64 or "float64" in tol
        if f64:   # (a program's own float64 rewrites: its float32 defaults)
            subs = {**subs, **tol.get("subs64", {})}
        src = (read_source(examples_dir, rel, subdir, repo), subs)
        # (``data``: {path in the repository: path beside the program} of files it reads)
        data = {dst: read_source(examples_dir, at, "", repo)
                for at, dst in tol.get("data", {}).items()}
        if f64:
            rtol, atol = 1e-9, 1e-12
        rn, on, en, sn = run_side("ndgrad", args.python, src, name, scratch, args.timeout,
                                  f64, data, tol.get("synthetic"))
        rt, ot, et, st = run_side("tf", args.tf_python, src, name, scratch, args.timeout,
                                  f64, data, tol.get("synthetic"))
        detail, rows = "", []
        if rn == 0 and rt == 0:
            nums_ok, text_ok, rows, count = compare(on, ot, rtol, atol, tol.get("skip"),
                                                    tol.get("mask"))
            tf_runs = 1
            # ``tf_racy``: TF's own numbers change from run to run (its ref variables race
            # inside one session.run); ndgrad's must be one of TF's outcomes, in up to
            # five TF runs
            while not nums_ok and tol.get("tf_racy") and tf_runs < 5:
                rt2, ot2, _, _ = run_side("tf", args.tf_python, src, name, scratch,
                                          args.timeout, f64, data, tol.get("synthetic"))
                tf_runs += 1
                if rt2 == 0:
                    nums_ok, text_ok, rows, count = compare(
                        on, ot2, rtol, atol, tol.get("skip"), tol.get("mask"))
            outcome = "agree" if nums_ok and text_ok else ("text" if nums_ok else "DIFFER")
            detail = f"{count} numbers, rtol {rtol:g}" + (" (float64)" if f64 else "") + (
                f", TF's run {tf_runs}" if tf_runs > 1 else "")
        elif rt == 0:
            outcome, detail = "unsupported", last_error(en)
        elif rn == 0:
            outcome, detail = "tf-failed", last_error(et)
        else:
            outcome = "both-failed"
            detail = f"ndgrad: {last_error(en)} | TF: {last_error(et)}"
        listed = name in xfails
        results[name] = (outcome, detail, listed)
        flag = "" if outcome == "agree" else (" (listed)" if listed else " (NOT LISTED)")
        print(f"{name:32s} {outcome:12s} ndgrad {sn:5.1f} s, TF {st:5.1f} s  {detail}{flag}",
              flush=True)
        if listed and outcome != "agree":
            print(f"{'':32s} listed: {xfails[name]}")
        if args.verbose or outcome in ("DIFFER", "text"):
            for la, lb, mark in rows:
                if args.verbose or mark:
                    print(f"    {mark:6s} ndgrad: {la}\n    {'':6s} TF:     {lb}")
    print(f"\n{len(names)} programs in {time.time() - t_all:.0f} s: " + ", ".join(
        f"{sum(1 for r in results.values() if r[0] == k)} {k}"
        for k in ("agree", "text", "DIFFER", "unsupported", "tf-failed", "both-failed")))
    bad = [n for n, (o, _, listed) in results.items()
           if o == "DIFFER" or (o != "agree" and not listed)]
    fixed = [n for n, (o, _, listed) in results.items() if o == "agree" and listed]
    if fixed:
        print("listed in xfails but agree now:", ", ".join(fixed))
    if bad:
        print("FAILED:", ", ".join(bad))
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
