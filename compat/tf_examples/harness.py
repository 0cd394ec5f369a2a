"""Runs one TF1 example program under ndgrad.tf or under the real TensorFlow, with the
same shims on both sides (data, random values, plotting): ``python harness.py ndgrad|tf
PROGRAM.py``.

- ``import tensorflow as tf`` (and ``tensorflow.<path>``) in the program -- only in the
  program, through an ``__import__`` hook keyed on its globals -- is answered by
  ``ndgrad.tf`` on the ndgrad side and by ``tensorflow.compat.v1`` after
  ``disable_v2_behavior()`` on the TF side (``TF_USE_LEGACY_KERAS=1``, so that
  ``tf.layers`` and ``tf.nn.rnn_cell`` exist). TF 2.21 has no ``tf.contrib``: the TF side
  gets the ``contrib.rnn`` and ``contrib.layers.flatten`` names that TF 1.x itself
  defined as aliases of core names (``contrib.rnn.BasicLSTMCell`` is
  ``nn.rnn_cell.BasicLSTMCell`` ...), the same names ndgrad.tf's ``tf.contrib`` holds;
  the rest of contrib exists on neither side. TF's ``Session`` gets
  ``allow_soft_placement=True`` (the multi-GPU programs place ops on '/gpu:N'; there is no
  GPU here, and ndgrad.tf places every op on the host) and one inter-op and one intra-op
  thread: TF1's ref variables let an in-place update race with the reads of the same
  variable in one ``session.run`` (``sess.run([train_op, loss, summaries])``), so TF's
  own printed numbers changed from run to run (tensorboard_advanced.py in float64:
  epoch-1 cost 326.2715 in one run, 326.3053 in the next); run one op at a time, TF
  gives the same numbers every run.
- ``tensorflow.examples.tutorials.mnist.input_data`` is ``synthetic_data`` (next to this
  file) on both sides; ``matplotlib`` is a do-nothing stand-in; ``np.reshape`` takes
  ``newshape=`` again (NumPy 2.4 dropped it; two programs plot with it).
- random values: TF's and ndgrad's random streams differ, so the public random ops
  (``tf.random_normal``, ``tf.truncated_normal``, ``tf.random_uniform``,
  ``tf.random.normal/truncated_normal/uniform``), the initializer classes
  (``random_normal_initializer``, ``truncated_normal_initializer``,
  ``random_uniform_initializer``, ``variance_scaling_initializer`` and so
  ``glorot_uniform_initializer``, ``get_variable``'s and ``tf.layers``' default) and the
  dropout mask (``tf.nn.dropout``, ``tf.layers.dropout``) are replaced by draws from NumPy
  RandomStates. Each call site (in program order) gets its own stream, seeded by its
  ordinal, so the values do not depend on the order in which a session runs ops. A draw
  of a static shape is a constant made when the graph is built (an initial value is drawn
  once either way); a draw of a shape known only at run time, and a dropout mask, is a
  ``tf.py_func`` that draws anew on each run (under ``stop_gradient``). The arithmetic
  around the draw (``* stddev + mean`` with tensor arguments, dropout's
  ``x / keep_prob * floor(keep_prob + u)``) runs as the side's own ops.
  ``tf.nn.nce_loss`` without ``sampled_values`` gets its negative candidates the same way
  (TF's log-uniform sampler and expected counts, in NumPy, per run), passed as
  ``sampled_values``; the loss itself is the side's own.
- NumPy's global stream and ``random`` are seeded (0) before the program starts.

Nothing of the program is changed here; ``run.py`` shortens its step counts first.
"""
import builtins
import math
import os
import random
import sys
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synthetic_data  # noqa: E402


class _NoOp:
    """matplotlib stand-in: every attribute, call and item is another _NoOp."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _NoOp()

    def __call__(self, *a, **k):
        return _NoOp()

    def __getitem__(self, i):
        return _NoOp()

    def __iter__(self):  # f, a = plt.subplots(...)
        return iter((_NoOp(), _NoOp()))


def _install_matplotlib():
    mpl = types.ModuleType("matplotlib")
    plt = types.ModuleType("matplotlib.pyplot")
    plt.__getattr__ = lambda name: _NoOp()
    mpl.__getattr__ = lambda name: _NoOp()
    mpl.pyplot = plt
    mpl.__path__ = []
    sys.modules["matplotlib"] = mpl
    sys.modules["matplotlib.pyplot"] = plt
    for sub in ("gridspec",):   # (nlintz's autoencoder lays out its figure with it)
        m = types.ModuleType(f"matplotlib.{sub}")
        m.__getattr__ = lambda name: _NoOp()
        setattr(mpl, sub, m)
        sys.modules[f"matplotlib.{sub}"] = m


def _install_numpy_compat():
    """NumPy 2.4 dropped ``np.reshape``'s ``newshape=`` keyword, which gan.py and
    dcgan.py use when plotting: take it again (the same on both sides)."""
    reshape = np.reshape

    def compat_reshape(a, shape=None, *args, newshape=None, **kw):
        return reshape(a, newshape if shape is None else shape, *args, **kw)
    np.reshape = compat_reshape
    # the sides run different NumPy majors (TF 2.15 needs NumPy 1): a NumPy scalar in a
    # printed list is ``50`` in NumPy 1 and ``np.int64(50)`` in NumPy 2; NumPy 2's
    # printing in NumPy 1.25's style on both sides
    if int(np.__version__.split(".")[0]) >= 2:
        np.set_printoptions(legacy="1.25")


def _ns(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    return m


def _tf_root():
    """tensorflow.compat.v1 in TF1 behaviour, with TF 1.x's contrib aliases of core names."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as real
    v1 = real.compat.v1
    v1.disable_v2_behavior()
    v1.logging.set_verbosity(v1.logging.ERROR)

    class Root(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return getattr(v1, name)

    root = Root("tensorflow")
    # TF's internal module paths (``from tensorflow.python.framework import ops``, in the
    # cookbook's every program): TF's own modules
    import tensorflow.python.framework.ops  # noqa: F401
    root.python = sys.modules["tensorflow.python"]
    cell = v1.nn.rnn_cell
    root.contrib = _ns(
        "tensorflow.contrib",
        rnn=_ns("tensorflow.contrib.rnn",
                **{n: getattr(cell, n) for n in (
                    "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
                    "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "RNNCell",
                    "LSTMStateTuple")},
                **{n: getattr(v1.nn, n) for n in (
                    "static_rnn", "dynamic_rnn", "static_bidirectional_rnn",
                    "bidirectional_dynamic_rnn")}),
        layers=_ns("tensorflow.contrib.layers", flatten=v1.layers.flatten))
    # no GPU here: TF refuses an explicit '/gpu:N' unless soft placement is on, while
    # ndgrad.tf runs every op on the host; soft placement puts TF's on the CPU too
    base_session = v1.Session

    class Session(base_session):
        def __init__(self, target="", graph=None, config=None):
            config = config if config is not None else v1.ConfigProto()
            config.allow_soft_placement = True
            config.inter_op_parallelism_threads = 1
            config.intra_op_parallelism_threads = 1
            super().__init__(target, graph, config)
    v1.Session = Session
    from tensorflow.python.ops import init_ops
    inits = dict(normal=init_ops.RandomNormal, truncated=init_ops.TruncatedNormal,
                 uniform=init_ops.RandomUniform, scaling=init_ops.VarianceScaling)
    return root, v1, inits


def _ndgrad_root():
    import ndgrad.tf as tf
    from ndgrad.tf import init_ops
    inits = dict(normal=init_ops.random_normal_initializer,
                 truncated=init_ops.truncated_normal_initializer,
                 uniform=init_ops.random_uniform_initializer,
                 scaling=init_ops.variance_scaling_initializer)
    return tf, tf, inits


# ---------------------------------------------------------------------------------------
# random values from NumPy (the same on both sides)
# ---------------------------------------------------------------------------------------

_sites = [0]


def _stream():
    _sites[0] += 1
    return np.random.RandomState(100003 + _sites[0])


def _draw(kind, rs, shape):
    shape = tuple(int(s) for s in shape)
    if kind == "normal":
        return rs.standard_normal(shape)
    if kind == "uniform":
        return rs.random_sample(shape)
    if kind == "truncated":  # redraw beyond two standard deviations, as TF's op
        z = rs.standard_normal(shape)
        bad = np.abs(z) > 2
        while bad.any():
            z[bad] = rs.standard_normal(int(bad.sum()))
            bad = np.abs(z) > 2
        return z
    raise ValueError(kind)


def _static(shape):
    """``shape`` as a tuple of ints when it is known without running anything, else None."""
    if hasattr(shape, "as_list"):  # TensorShape
        try:
            dims = shape.as_list()
        except ValueError:
            return None
        return tuple(dims) if None not in dims else None
    if isinstance(shape, (list, tuple)):
        if all(isinstance(d, (int, np.integer)) for d in shape):
            return tuple(int(d) for d in shape)
        return None
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, np.ndarray):
        return tuple(int(d) for d in shape.reshape(-1))
    return None


def _is_number(v):
    return isinstance(v, (int, float, np.integer, np.floating))


def install_random(tf, inits):
    # run.py --float64 runs both sides in float64: the draws' default dtype follows
    fdef = tf.float64 if os.environ.get("NDGRAD_TFEX_FLOAT64") else tf.float32
    npdt = lambda dt: np.dtype(tf.as_dtype(dt).as_numpy_dtype)  # noqa: E731

    def standard(kind, shape, dtype):
        """A draw of ``shape``: a constant when static, else a py_func drawing per run."""
        rs = _stream()
        st = _static(shape)
        dt = npdt(dtype)
        if st is not None:
            return None, _draw(kind, rs, st)
        shape_t = tf.convert_to_tensor(shape, dtype=tf.int32)
        z = tf.py_func(lambda s: _draw(kind, rs, s).astype(dt), [shape_t], tf.as_dtype(dtype))
        # the static shape the side's own op infers from the shape tensor (a py_func's
        # is unknown)
        z.set_shape(own_normal(shape_t, dtype=dtype).shape)
        return tf.stop_gradient(z), None

    def affine(kind, shape, a, b, dtype):
        """``draw * a + b`` in ``dtype``: in NumPy when a, b are numbers, else as tf ops."""
        z_t, z = standard(kind, shape, dtype)
        dt = npdt(dtype)
        if z is not None and _is_number(a) and _is_number(b):
            return tf.constant((z * a + b).astype(dt), dtype=tf.as_dtype(dtype))
        if z_t is None:
            z_t = tf.constant(z.astype(dt), dtype=tf.as_dtype(dtype))
        return z_t * tf.cast(a, tf.as_dtype(dtype)) + tf.cast(b, tf.as_dtype(dtype))

    own_normal = tf.random_normal

    def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
        return affine("normal", shape, stddev, mean, dtype or fdef)

    def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None,
                         name=None):
        return affine("truncated", shape, stddev, mean, dtype or fdef)

    def random_uniform(shape, minval=0, maxval=None, dtype=None, seed=None, name=None):
        dtype = dtype or fdef
        dt = npdt(dtype)
        if dt.kind in "iu":
            if not (_is_number(minval) and _is_number(maxval)):
                raise ValueError("shim: integer random_uniform needs number bounds")
            st = _static(shape)
            rs = _stream()
            if st is not None:
                return tf.constant(rs.randint(minval, maxval, size=st).astype(dt))
            # a run-time shape (pkmital's ``corrupt``: ``shape=tf.shape(x)``): drawn anew
            # on every run, as the float draws
            shape_t = tf.convert_to_tensor(shape, dtype=tf.int32)
            z = tf.py_func(lambda sh: rs.randint(minval, maxval, size=tuple(
                int(d) for d in sh)).astype(dt), [shape_t], tf.as_dtype(dtype))
            z.set_shape(own_normal(shape_t).shape)
            return z
        maxval = 1.0 if maxval is None else maxval
        if _is_number(minval) and _is_number(maxval):
            return affine("uniform", shape, maxval - minval, minval, dtype)
        return affine("uniform", shape, tf.cast(maxval, dtype) - tf.cast(minval, dtype),
                      minval, dtype)

    tf.random_normal, tf.truncated_normal, tf.random_uniform = \
        random_normal, truncated_normal, random_uniform
    tf.random.normal, tf.random.truncated_normal, tf.random.uniform = \
        random_normal, truncated_normal, random_uniform

    def init_dtype(self, dtype):
        if dtype is None:
            dtype = getattr(self, "dtype", None)
        return fdef if dtype is None or os.environ.get("NDGRAD_TFEX_FLOAT64") else dtype

    def normal_call(self, shape, dtype=None, partition_info=None, **kw):
        return affine("normal", shape, self.stddev, self.mean, init_dtype(self, dtype))

    def truncated_call(self, shape, dtype=None, partition_info=None, **kw):
        return affine("truncated", shape, self.stddev, self.mean, init_dtype(self, dtype))

    def uniform_call(self, shape, dtype=None, partition_info=None, **kw):
        maxval = 1.0 if self.maxval is None else self.maxval
        return affine("uniform", shape, maxval - self.minval, self.minval,
                      init_dtype(self, dtype))

    def scaling_call(self, shape, dtype=None, partition_info=None, **kw):
        shape = tuple(int(d) for d in shape)
        if len(shape) < 1:
            fan_in = fan_out = 1
        elif len(shape) == 1:
            fan_in = fan_out = shape[0]
        elif len(shape) == 2:
            fan_in, fan_out = shape
        else:
            rf = int(np.prod(shape[:-2]))
            fan_in, fan_out = shape[-2] * rf, shape[-1] * rf
        n = {"fan_in": fan_in, "fan_out": fan_out,
             "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        dt = init_dtype(self, dtype)
        if self.distribution in ("normal", "truncated_normal"):
            return affine("truncated", shape, math.sqrt(scale) / .87962566103423978, 0.0, dt)
        if self.distribution == "untruncated_normal":
            return affine("normal", shape, math.sqrt(scale), 0.0, dt)
        limit = math.sqrt(3.0 * scale)
        return affine("uniform", shape, 2 * limit, -limit, dt)

    inits["normal"].__call__ = normal_call
    inits["truncated"].__call__ = truncated_call
    inits["uniform"].__call__ = uniform_call
    inits["scaling"].__call__ = scaling_call

    def nn_dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
        if noise_shape is not None:
            raise ValueError("shim: dropout with noise_shape is not replaced")
        x = tf.convert_to_tensor(x)
        keep = (1 - rate) if rate is not None else keep_prob
        if not _is_number(keep):
            keep = tf.cast(keep, x.dtype)
        rs = _stream()
        dt = npdt(x.dtype)
        u = tf.py_func(lambda a: rs.random_sample(a.shape).astype(dt), [x], x.dtype)
        u = tf.stop_gradient(u)
        u.set_shape(x.get_shape())
        return x / keep * tf.floor(keep + u)

    def layers_dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False,
                       name=None):
        if isinstance(training, bool):
            return nn_dropout(inputs, rate=rate) if training else tf.identity(inputs)
        return tf.cond(training, lambda: nn_dropout(inputs, rate=rate),
                       lambda: tf.identity(inputs))

    tf.nn.dropout = nn_dropout
    tf.layers.dropout = layers_dropout

    nce_loss = tf.nn.nce_loss

    def nce_loss_shim(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                      sampled_values=None, **kw):
        if sampled_values is None:
            sampled_values = log_uniform_sample(labels, num_true, num_sampled, num_classes)
        return nce_loss(weights=weights, biases=biases, labels=labels, inputs=inputs,
                        num_sampled=num_sampled, num_classes=num_classes, num_true=num_true,
                        sampled_values=sampled_values, **kw)

    def log_uniform_sample(labels, num_true, num_sampled, range_max):
        """nce_loss's default candidates (TF's log-uniform sampler, unique=True: P(k) =
        log((k + 2) / (k + 1)) / log(range_max + 1), drawn until ``num_sampled`` differ;
        expected counts -expm1(tries * log1p(-P))), drawn from NumPy on every run."""
        rs = _stream()
        log_range = np.log(range_max + 1.0)

        def prob(k):
            k = np.asarray(k, np.float64)
            return np.log((k + 2.0) / (k + 1.0)) / log_range

        def draw(lab):
            seen, tries = [], 0
            while len(seen) < num_sampled:
                tries += 1
                v = int(np.floor(np.exp(rs.random_sample() * log_range))) - 1
                v = min(max(v, 0), range_max - 1)
                if v not in seen:
                    seen.append(v)
            sampled = np.array(seen, np.int64)
            exp = lambda p: (-np.expm1(tries * np.log1p(-p))).astype(np.float32)  # noqa
            return sampled, exp(prob(lab)).reshape(-1, num_true), exp(prob(sampled))
        lab = tf.cast(labels, tf.int64)
        s, te, se = tf.py_func(draw, [lab], [tf.int64, tf.float32, tf.float32])
        s.set_shape([num_sampled])
        te.set_shape([None, num_true])
        se.set_shape([num_sampled])
        return s, tf.stop_gradient(te), tf.stop_gradient(se)

    tf.nn.nce_loss = nce_loss_shim


# ---------------------------------------------------------------------------------------
# the import hook and the run
# ---------------------------------------------------------------------------------------

def _install_import(root, side, prog_globals):
    real_import = builtins.__import__
    # the program's own helper modules and packages beside it (``import utils``, ``from
    # libs.utils import *``) import TensorFlow too
    folder = os.path.dirname(os.path.abspath(prog_globals["__file__"])) + os.sep

    def ours(g):
        if g is prog_globals:
            return True
        f = g.get("__file__") if type(g) is dict else None
        return bool(f) and os.path.abspath(f).startswith(folder)

    def hook(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "tensorflow" or name.startswith("tensorflow.")) \
                and globals is not None and ours(globals):
            obj = root
            parts = name.split(".")[1:]
            for i, p in enumerate(parts):
                try:
                    obj = getattr(obj, p)
                except AttributeError:
                    raise ModuleNotFoundError(
                        f"No module named {name!r} ({side} has no "
                        f"{'.'.join(['tensorflow'] + parts[:i + 1])})") from None
            return obj if fromlist else root
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = hook


def main():
    side, prog = sys.argv[1], sys.argv[2]
    _install_matplotlib()
    _install_numpy_compat()
    if side == "tf":
        root, tf, inits = _tf_root()
    elif side == "ndgrad":
        root, tf, inits = _ndgrad_root()
    else:
        raise SystemExit(f"side must be 'ndgrad' or 'tf', not {side!r}")
    root.examples = _ns("tensorflow.examples", tutorials=_ns(
        "tensorflow.examples.tutorials", mnist=_ns(
            "tensorflow.examples.tutorials.mnist", input_data=synthetic_data)))
    install_random(tf, inits)
    if root is not tf:  # TF side: the program's tf.random_normal ... are the root's
        for n in ("random_normal", "truncated_normal", "random_uniform"):
            setattr(root, n, getattr(tf, n))
    np.random.seed(0)
    random.seed(0)
    with open(prog) as f:
        src = f.read()
    sys.path.insert(0, os.path.dirname(os.path.abspath(prog)))   # (its helper modules)
    g = {"__name__": "__main__", "__file__": prog, "__builtins__": builtins}
    _install_import(root, "ndgrad.tf" if side == "ndgrad" else "TensorFlow 2.21 compat.v1", g)
    sys.argv = [prog]
    code = compile(src, prog, "exec")
    exec(code, g)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
