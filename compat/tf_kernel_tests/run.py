"""Run TensorFlow's own kernel tests (tensorflow/python/kernel_tests) against ndgrad.tf.

    TF_DIR=<checkout of github.com/tensorflow/tensorflow> python compat/tf_kernel_tests/run.py \
        [--xfails compat/tf_kernel_tests/xfails.txt] [--files relu_op_test.py ...] \
        [--timeout 1800] [--keep DIR] [-v] [pytest args ...]

The chosen test files (``--files``; default: ``DEFAULT_FILES`` below) are copied from
``$TF_DIR/tensorflow/python/kernel_tests`` (``ops/<file>``: from ``tensorflow/python/ops``;
``training/<file>``: from ``tensorflow/python/training``, the optimizers' tests)
into a temporary folder (nothing of TensorFlow's
is kept in this repository) and pytest runs there with the plugin
``ndgrad_as_tensorflow.py`` (next to this file), which answers ``import tensorflow`` and
every ``tensorflow.python.<module>`` with a stand-in backed by ``ndgrad.tf`` and supplies
a short ``tf.test.TestCase``, ``test_util`` decorators and gradient checkers of its own.

The summary lists passed / failed / errors / skipped per file, then every failure with a
guessed category (see README.md): (a) the shim or a TF-internal API, (b) a name or feature
ndgrad.tf lacks, raising clearly, (c) a value, dtype, shape or gradient that differs, or a
missing error -- to be read and fixed. With ``--xfails FILE`` (lines ``<test id or glob>
# <reason>``) listed failures are expected; the run exits 1 on any failure not listed and
names listed entries that passed.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# TF 2.0's flat kernel_tests layout (TF 1.15 has the same files); newer checkouts keep
# them in subfolders (array_ops/, math_ops/, nn_ops/ ...): files are looked up in both.
DEFAULT_FILES = [
    "relu_op_test.py", "softmax_op_test.py", "xent_op_test.py", "sparse_xent_op_test.py",
    "gather_op_test.py", "gather_nd_op_test.py", "concat_op_test.py", "slice_op_test.py",
    "transpose_op_test.py", "pad_op_test.py", "one_hot_op_test.py", "topk_op_test.py",
    "cast_op_test.py", "clip_ops_test.py", "reduction_ops_test.py",
    "segment_reduction_ops_test.py", "matmul_op_test.py", "batch_matmul_op_test.py",
    "cwise_ops_test.py", "cwise_ops_binary_test.py", "cwise_ops_unary_test.py",
    "init_ops_test.py", "variables_test.py", "argmax_op_test.py", "bias_op_test.py",
    "reshape_op_test.py", "split_op_test.py", "stack_op_test.py", "unstack_op_test.py",
    "where_op_test.py", "shape_ops_test.py", "diag_op_test.py", "scatter_ops_test.py",
    "scatter_nd_ops_test.py", "softplus_op_test.py", "softsign_op_test.py",
    "scan_ops_test.py", "reverse_sequence_op_test.py", "in_topk_op_test.py",
    "dense_update_ops_test.py", "tensordot_op_test.py", "trace_op_test.py",
    "zero_division_test.py", "division_future_test.py", "aggregate_ops_test.py",
    "constant_op_test.py", "identity_op_py_test.py", "norm_op_test.py",
    "matrix_inverse_op_test.py", "determinant_op_test.py", "einsum_op_test.py",
    "conv_ops_test.py", "atrous_conv2d_test.py", "conv1d_test.py", "conv2d_transpose_test.py",
    "atrous_convolution_test.py", "conv1d_transpose_test.py",
    "conv2d_backprop_filter_grad_test.py", "depthwise_conv_op_test.py",
    "neon_depthwise_conv_op_test.py", "pooling_ops_test.py", "lrn_op_test.py", "losses_test.py",
    "embedding_ops_test.py", "array_ops_test.py", "control_flow_ops_py_test.py",
    "variable_scope_test.py", "py_func_test.py", "random/random_ops_test.py",
    # added 2026-12-06 (qr_op_test.py, 1372 cases, and svd_op_test.py, 2774, pass too but
    # take minutes each: run them with --files)
    "metrics_test.py", "confusion_matrix_test.py", "manip_ops_test.py",
    "listdiff_op_test.py", "bincount_op_test.py", "cholesky_op_test.py",
    "matrix_solve_op_test.py", "matrix_triangular_solve_op_test.py",
    "self_adjoint_eig_op_test.py", "linalg_grad_test.py", "matrix_solve_ls_op_test.py",
    "decode_csv_op_test.py", "gradient_correctness_test.py", "numerics_test.py",
    "map_fn_test.py", "functional_ops_test.py", "check_ops_test.py", "fifo_queue_test.py",
    "unique_op_test.py", "broadcast_to_ops_test.py", "accumulate_n_test.py",
    # added 2026-12-06 (later): tensorflow/python/ops' own tests, and more queue and file
    # tests
    "ops/math_ops_test.py", "ops/math_grad_test.py", "ops/nn_test.py", "ops/nn_grad_test.py",
    "ops/nn_xent_test.py", "ops/nn_batchnorm_test.py", "ops/gradients_test.py",
    "ops/special_math_ops_test.py", "ops/sort_ops_test.py", "ops/histogram_ops_test.py",
    "ops/clip_ops_test.py", "ops/init_ops_test.py", "ops/image_grad_test.py",
    "ops/bitwise_ops_test.py", "ops/control_flow_ops_test.py",
    "training/gradient_descent_test.py", "training/adam_test.py",
    "training/momentum_test.py", "training/ftrl_test.py", "training/adagrad_da_test.py",
    "training/learning_rate_decay_test.py", "training/moving_averages_test.py",
    "training/rmsprop_test.py", "training/optimizer_test.py", "training/adagrad_test.py",
    "training/proximal_gradient_descent_test.py", "training/training_util_test.py",
    "padding_fifo_queue_test.py", "random_shuffle_queue_test.py", "io_ops_test.py",
    "decode_raw_op_test.py", "large_concat_op_test.py",
    # added 2026-12-07: linalg ops (tf.eye of placeholders), RNN cells, the block
    # rearrangements, dynamic_partition / dynamic_stitch
    "linalg_ops_test.py", "rnn_cell_test.py", "spacetodepth_op_test.py",
    "depthtospace_op_test.py", "spacetobatch_op_test.py", "batchtospace_op_test.py",
    "dynamic_partition_op_test.py", "dynamic_stitch_op_test.py",
    "string_to_number_op_test.py", "cross_grad_test.py", "batch_gather_op_test.py",
    "extract_image_patches_op_test.py", "extract_image_patches_grad_test.py",
    "edit_distance_op_test.py", "identity_n_op_py_test.py", "tensor_priority_test.py",
    "template_test.py", "sparse_to_dense_op_py_test.py", "conv_ops_3d_test.py",
    "pooling_ops_3d_test.py", "conv3d_transpose_test.py", "string_join_op_test.py",
    "as_string_op_test.py", "string_length_op_test.py", "substr_op_test.py",
    "string_strip_op_test.py", "string_lower_op_test.py", "string_upper_op_test.py",
    "reduce_join_op_test.py", "string_split_op_test.py",
    "sparse_tensor_dense_matmul_op_test.py", "sparse_tensor_dense_matmul_grad_test.py",
]


# The tests' own NumPy references index with a list of slices, which NumPy >= 1.23
# refuses: (file, text, replacement) applied to the copies (a no-op where not found).
NUMPY2_FIXES = [
    ("scan_ops_test.py", "return x[ix]", "return x[tuple(ix)]"),
    ("scan_ops_test.py", "x[ix_head]", "x[tuple(ix_head)]"),
    ("scan_ops_test.py", "x[ix_init]", "x[tuple(ix_init)]"),
    ("slice_op_test.py", "np_ans[slices] = grads", "np_ans[tuple(slices)] = grads"),
    ("split_op_test.py", "inp[slices]", "inp[tuple(slices)]"),
    # (NumPy 2.4 removed reshape's ``newshape`` keyword: ``shape``, since NumPy 2.1)
    ("metrics_test.py", "newshape=", "shape="),
    ("weights_broadcast_test.py", "newshape=", "shape="),
    ("confusion_matrix_test.py", "newshape=", "shape="),
    ("ops_math_ops_test.py", "np.NINF", "-np.inf"),
    ("ops_math_grad_test.py", "np.NINF", "-np.inf"),
    ("decode_raw_op_test.py", ".tostring()", ".tobytes()"),
]


def find_test(tf_dir, name):
    """The path of test file ``name``: a kernel test (``relu_op_test.py``, also looked up
    in kernel_tests' subfolders), or ``ops/<file>``, one of tensorflow/python/ops' own
    tests (``ops/math_grad_test.py``), copied as ``ops_<file>`` (``ops/clip_ops_test.py``
    and kernel_tests' ``clip_ops_test.py`` are different files), or ``training/<file>``,
    one of tensorflow/python/training's (the optimizers'), copied as ``training_<file>``."""
    for pkg in ("ops", "training"):
        if name.startswith(pkg + "/"):
            p = os.path.join(tf_dir, "tensorflow", "python", pkg, name[len(pkg) + 1:])
            return p if os.path.exists(p) else None
    base = os.path.join(tf_dir, "tensorflow", "python", "kernel_tests")
    direct = os.path.join(base, name)
    if os.path.exists(direct):
        return direct
    for sub in ("array_ops", "math_ops", "nn_ops", "variables", "linalg", "random",
                "control_flow", "data_structures", "sparse_ops"):
        p = os.path.join(base, sub, os.path.basename(name))
        if os.path.exists(p):
            return p
    return None


def dest_name(name):
    """The file name a chosen test gets in the work folder (its test ids start with it)."""
    for pkg in ("ops", "training"):
        if name.startswith(pkg + "/"):
            return f"{pkg}_{name[len(pkg) + 1:]}"
    return os.path.basename(name)


sys.path.insert(0, os.path.dirname(HERE))
from _runner import listed, print_table, read_xfails, report_failures  # noqa: E402


_B = re.compile(r"ndgrad\.tf has no|has no attribute|not supported|unsupported|"
                r"NotImplementedError|does not support|not implemented", re.I)
_A = re.compile(r"No module named 'tensorflow|shim:|TestTimeout|SkipTest|assertProtoEquals|"
                r"ModuleNotFoundError", re.I)


def guess(text):
    """The category a failure's text suggests (a human confirms it in xfails.txt)."""
    last = text.strip().splitlines()[-12:]
    tail = "\n".join(last)
    if _A.search(tail):
        return "a?"
    if _B.search(tail):
        return "b?"
    return "c?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xfails", help="known failures, one '<id or glob>  # reason' a line")
    ap.add_argument("--files", nargs="+", help="kernel test files (default: DEFAULT_FILES)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds for one file")
    ap.add_argument("--test-timeout", type=float, default=60, help="seconds for one test")
    ap.add_argument("--keep", help="copy the tests here instead of a temporary folder")
    ap.add_argument("--json", help="also write every outcome to this JSON file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failure's traceback")
    ap.add_argument("pytest_args", nargs="*", help="passed to pytest (-k ...)")
    args = ap.parse_args()
    src = os.environ.get("TF_DIR")
    if not src or not os.path.isdir(os.path.join(src, "tensorflow", "python", "kernel_tests")):
        sys.exit("set TF_DIR to a checkout of github.com/tensorflow/tensorflow (with "
                 f"tensorflow/python/kernel_tests); got {src!r}")
    xfails = read_xfails(args.xfails) if args.xfails else {}
    files = args.files or DEFAULT_FILES

    work = args.keep or tempfile.mkdtemp(prefix="ndgrad_tf_kernel_tests_")
    try:
        tests = os.path.join(work, "kernel_tests")
        if os.path.exists(tests):
            shutil.rmtree(tests)
        os.makedirs(tests)
        chosen, missing = [], []
        for name in files:
            p = find_test(src, name)
            if p is None:
                missing.append(name)
                continue
            copied = dest_name(name)
            dst = os.path.join(tests, copied)
            shutil.copy(p, dst)
            # some files add their generated test methods under ``if __name__ ==
            # "__main__":`` before ``test.main()``: run that block at import (the
            # stand-in ``test.main`` does nothing)
            fixes = [('if __name__ == "__main__":', "if True:  # (run.py: was __main__)")]
            fixes += [(a, b) for f, a, b in NUMPY2_FIXES if f == copied]
            if fixes:
                text = open(dst).read()
                for a, b in fixes:
                    text = text.replace(a, b)
                with open(dst, "w") as f:
                    f.write(text)
            chosen.append(copied)
        if missing:
            print("not in this checkout (skipped): " + " ".join(missing))
        if not chosen:
            sys.exit("none of the chosen files is in this checkout")
        # one pytest process per file: a file that hangs (threads, queues) or crashes
        # costs only its own results
        outcomes = {}
        for name in chosen:
            results = os.path.join(work, name + ".results.json")
            if os.path.exists(results):
                os.remove(results)
            env = dict(os.environ, NDGRAD_TF_RESULTS=results,
                       NDGRAD_TF_TEST_TIMEOUT=str(args.test_timeout),
                       PYTHONPATH=os.pathsep.join([HERE, REPO]))
            cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-p", "ndgrad_as_tensorflow", "--rootdir", tests, "-W", "ignore",
                   "--continue-on-collection-errors", "-o", "addopts=",
                   "-o", "python_files=*_test.py",
                   "-o", "python_classes=*Test *Tests *TestCase",
                   *args.pytest_args, name]
            try:
                proc = subprocess.run(cmd, cwd=tests, env=env, timeout=args.timeout,
                                      capture_output=True, text=True)
            except subprocess.TimeoutExpired:
                outcomes[name] = ["error", f"the file ran past --timeout {args.timeout:g} s"]
                continue
            if not os.path.exists(results):
                outcomes[name] = ["error", f"pytest wrote no results (exit status "
                                  f"{proc.returncode}): " + (proc.stdout + proc.stderr)[-2000:]]
                continue
            with open(results) as f:
                got = json.load(f)
            if not got:
                outcomes[name] = ["error", "no tests collected: " +
                                  (proc.stdout + proc.stderr)[-1000:]]
            outcomes.update(got)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(outcomes, f, indent=0)
    return report(outcomes, xfails, args.verbose)


def report(outcomes, xfails, verbose):
    print_table(outcomes)

    def header(bad, known, new):
        cats = Counter(xfails[known[n]][:3] if known[n] else "new" for n in bad)
        return (f"\n{len(bad)} failures, {len(bad) - len(new)} of them listed in --xfails "
                f"(by category: " + ", ".join(f"{k} {v}" for k, v in sorted(cats.items()))
                + "):")
    code = report_failures(outcomes, xfails, lambda p: f"known: {xfails[p]}", header,
                           40 if verbose else 0, 4, len(outcomes))
    new = [n for n, r in outcomes.items() if r[0] in ("failed", "error")
           and listed(n, xfails) is None]
    for n in sorted(new):      # (where each new failure probably belongs)
        print(f"  {n}: {guess(outcomes[n][1])}")
    return code


if __name__ == "__main__":
    sys.exit(main())
