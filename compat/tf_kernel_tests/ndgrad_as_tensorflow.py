"""pytest plugin: a stand-in ``tensorflow`` package backed by ``ndgrad.tf``, for TF's kernel tests.

Loaded by ``run.py`` (``-p ndgrad_as_tensorflow``) before any test module. A finder first on
``sys.meta_path`` answers ``import tensorflow`` and every ``tensorflow.<path>`` with a
stand-in module: the test-support modules (``platform.test``, ``framework.test_util``,
``ops.gradient_checker``, ``ops.gradient_checker_v2`` ...) are written here (short,
re-implemented from TF's documented behaviour); every other module hands out ``ndgrad.tf``'s
names (``ops.nn_ops.relu`` is ``tf.nn.relu``, ``ops.math_ops.reduce_sum`` is
``tf.reduce_sum`` ...). A name ndgrad.tf lacks raises ``AttributeError: ndgrad.tf has no
'<name>' (asked as tensorflow.python.ops.nn_ops.<name>)``; raw-op modules (``gen_*``) and
protos do not exist. Each test's outcome goes as JSON to $NDGRAD_TF_RESULTS.
"""
import contextlib
import functools
import importlib.abc
import importlib.util
import json
import logging as _pylogging
import os
import re
import signal
import sys
import tempfile
import types
import unittest

import numpy as np

import ndgrad.tf as _tf
from ndgrad.graph import core as _core
from ndgrad.graph import session as _session

# TF's internal Tensor._shape_as_list (the linalg gradient tests call it): the shim's, not
# ndgrad's API
_core.Tensor._shape_as_list = lambda self: self.get_shape().as_list()
# TF's Graph.switch_to_thread_local (the queue tests call it before running ops in
# threads; they build nothing there): the shim's no-op, not ndgrad's API
_core.Graph.switch_to_thread_local = lambda self: None
# every session-state op's values and every fetched value checked against the static
# shape and dtype (as in ndgrad's own tests): a static shape the run contradicts fails
importlib.import_module("ndgrad.graph.compiler.lower").CHECK_SPECIAL_OUTPUTS = True

ROOT = "tensorflow"

if not hasattr(_core.Graph, "_kernel_label_map"):
    # TF's private kernel-selection scope (``with g._kernel_label_map({...})``): ndgrad has
    # one kernel per op, so the tests' label maps choose nothing
    _core.Graph._kernel_label_map = lambda self, op_to_kernel_label_map: \
        contextlib.nullcontext()


# ---------------------------------------------------------------------------------------
# where a module's names come from
# ---------------------------------------------------------------------------------------

class _NnV2:
    """TF 1.15's module-level names of TF 2's ``tf.nn`` functions (``nn_impl.moments_v2``
    ...), which the tests call: the TF 1 function of ndgrad.tf with TF 2's arguments."""

    @staticmethod
    def moments_v2(x, axes, shift=None, keepdims=False, name=None):
        return _tf.nn.moments(x, axes, shift=shift, name=name, keep_dims=keepdims)

    @staticmethod
    def softmax_v2(logits, axis=None, name=None):
        return _tf.nn.softmax(logits, axis=axis, name=name)

    @staticmethod
    def log_softmax_v2(logits, axis=None, name=None):
        return _tf.nn.log_softmax(logits, axis=axis, name=name)

    @staticmethod
    def l2_normalize_v2(x, axis=None, epsilon=1e-12, name=None):
        return _tf.nn.l2_normalize(x, axis=axis, epsilon=epsilon, name=name)

    @staticmethod
    def dropout_v2(x, rate, noise_shape=None, seed=None, name=None):
        return _tf.nn.dropout(x, rate=rate, noise_shape=noise_shape, seed=seed, name=name)

    @staticmethod
    def mul_no_nan(x, y, name=None):      # (math_ops' name of tf.math.multiply_no_nan)
        return _tf.math.multiply_no_nan(x, y, name=name)


def _sources(path):
    """ndgrad.tf namespaces that a stand-in for ``tensorflow.<path>`` reads names from."""
    leaf = path.rsplit(".", 1)[-1]
    if leaf in ("nn_ops", "nn", "nn_impl", "nn_grad"):
        return [_tf.nn, _tf, _tf.math, _NnV2]
    if leaf == "moving_averages":
        from ndgrad.tf.python.training import moving_averages
        return [moving_averages, _tf.train, _tf]
    if path.startswith("python.training") or leaf == "train":
        return [_tf.train, _tf]
    if ".losses" in "." + path:
        return [_tf.losses, _tf]
    if leaf in ("errors", "errors_impl"):
        return [_tf.errors]
    if leaf == "cond_v2":
        # TF 2's functional conditional: ndgrad.tf's cond is one (graph/cond.py)
        ns = types.SimpleNamespace(cond_v2=lambda pred, true_fn, false_fn, name="cond":
                                   _tf.cond(pred, true_fn, false_fn, strict=True, name=name))
        return [ns, _tf]
    if leaf in ("control_flow_ops", "control_flow_assert", "control_flow_case", "check_ops"):
        from ndgrad.tf import check_ops, control_flow
        return [_tf, control_flow, check_ops]
    if leaf == "dtypes":
        return [_tf.dtypes, _tf]
    if leaf in ("sparse_tensor",):
        return [_tf]
    if leaf == "tensor_shape":
        return [_TensorShapeExtras, _tf]
    if leaf == "image_ops":
        return [_tf.image, _tf]
    if leaf in ("string_ops", "gen_string_ops"):
        return [importlib.import_module("ndgrad.tf.string_ops"), _tf.strings, _tf]
    if leaf == "template":
        return [importlib.import_module("ndgrad.tf.template"), _tf]
    if path == "python.util.nest":
        return [_tf.nest]
    if leaf in ("rnn_cell", "rnn_cell_impl"):
        # (the variable names TF's module keeps as constants)
        names = types.SimpleNamespace(_WEIGHTS_VARIABLE_NAME="kernel",
                                      _BIAS_VARIABLE_NAME="bias")
        return [_tf.nn.rnn_cell, _tf.nn, _tf, names]
    if leaf == "rnn":
        return [_tf.nn, _tf]
    if path.startswith("python.summary"):
        return [_tf.summary, _tf]
    if leaf in ("linalg_ops", "linalg_impl", "linalg"):
        return [getattr(_tf, "linalg", _tf), _tf]
    if leaf in ("metrics", "metrics_impl"):
        return [_tf.metrics, _tf]
    if leaf == "confusion_matrix":
        # (the module: ndgrad.tf's attribute of that name is the function)
        return [importlib.import_module("ndgrad.tf.confusion_matrix"), _tf, _tf.math]
    if leaf == "manip_ops":
        return [_tf.manip, _tf]
    if leaf == "bitwise_ops":
        return [_tf.bitwise, _tf]
    return [_tf, _tf.math, _tf.nn, _NnV2]


class _TensorShapeExtras:
    """``tensor_shape``'s constructors that the tests use."""

    @staticmethod
    def unknown_shape(rank=None, **kw):
        return _tf.TensorShape(None if rank is None else [None] * rank)

    @staticmethod
    def scalar():
        return _tf.TensorShape([])

    @staticmethod
    def vector(length):
        return _tf.TensorShape([length])

    @staticmethod
    def matrix(rows, cols):
        return _tf.TensorShape([rows, cols])


class _Stand(types.ModuleType):
    """A stand-in module: its own attributes first, then the named ndgrad.tf sources."""

    def __init__(self, name, sources):
        super().__init__(name)
        self.__path__ = []  # a package, so that any submodule can be imported
        self._sources = sources

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if self._sources is None:
            return importlib.import_module(self.__name__ + "." + name)
        for src in self._sources:
            if hasattr(src, name):
                value = getattr(src, name)
                if isinstance(value, types.ModuleType):
                    # ndgrad.tf's own modules (ndgrad.tf.array_ops ...) are not TF's:
                    # hand out the stand-in of that name instead
                    return importlib.import_module(self.__name__ + "." + name)
                return value
        if self.__name__ == ROOT and name in _ROOT_MODULES:
            return importlib.import_module(ROOT + "." + _ROOT_MODULES[name])
        if not self._sources:
            raise AttributeError(f"shim: {self.__name__}.{name} is a TF internal (raw op, "
                                 "proto or tracing) with no ndgrad.tf counterpart")
        raise AttributeError(f"ndgrad.tf has no {name!r} (asked as {self.__name__}.{name})")


_ROOT_MODULES = {"test": "python.platform.test"}  # tf.<name> that ndgrad.tf lacks

_SPECIAL = {}  # path (after "tensorflow.") -> function filling the module


def _special(path):
    def deco(fn):
        _SPECIAL[path] = fn
        return fn
    return deco


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != ROOT and not fullname.startswith(ROOT + "."):
            return None
        sub = fullname[len(ROOT) + 1:]
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec):
        sub = spec.name[len(ROOT) + 1:]
        if spec.name == ROOT:
            return _Stand(ROOT, [_tf, _tf.math, _tf.nn])
        leaf = sub.rsplit(".", 1)[-1]
        if _internal(sub, leaf):
            return _Stand(spec.name, [])  # every name raises: category (a)
        if sub == "python" or (sub.startswith("python.") and sub.count(".") == 1):
            return _Stand(spec.name, None)  # a package: every name is a submodule
        return _Stand(spec.name, _sources(sub))

    def exec_module(self, module):
        sub = module.__name__[len(ROOT) + 1:]
        fill = _SPECIAL.get(sub)
        if fill is not None:
            fill(module)


def _internal(sub, leaf):
    """TF internals with no ndgrad counterpart: raw ops (gen_*), protos, C++ test ops."""
    return (leaf.startswith("gen_") or sub.startswith("core") or leaf.endswith("_pb2")
            or leaf in ("test_ops", "pywrap_tensorflow", "importer", "meta_graph",
                        "graph_util", "tensor_util", "function", "def_function"))


# ---------------------------------------------------------------------------------------
# errors, dtypes, small framework modules
# ---------------------------------------------------------------------------------------

@_special("python.keras.engine.training")
def _fill_keras_training(m):
    class Model:
        """A placeholder base class (a file that subclasses Keras's Model loads; a test
        that builds one fails: category (a))."""

        def __init__(self, *a, **k):
            raise AttributeError("shim: Keras models are not part of ndgrad.tf")
    m.Model = Model


@_special("python.eager.execution_callbacks")
def _fill_execution_callbacks(m):
    class ExecutionCallback:
        IGNORE, PRINT, RAISE, WARN = "ignore", "print", "raise", "warn"

    def errstate(**kw):
        raise AttributeError("shim: eager execution callbacks are a TF internal")
    m.ExecutionCallback = ExecutionCallback
    m.errstate = errstate


@_special("python.framework.errors")
@_special("python.framework.errors_impl")
def _fill_errors(m):
    for n in dir(_tf.errors):
        if n.endswith("Error"):
            setattr(m, n, getattr(_tf.errors, n))


@_special("python.compat.compat")
def _fill_compat(m):
    import datetime
    horizon = datetime.date(2019, 9, 13)  # TF 2.0.0's forward-compatibility horizon
    m.forward_compatible = lambda year, month, day: horizon > datetime.date(year, month, day)
    m.forward_compatibility_horizon = lambda *a, **k: contextlib.nullcontext()


@_special("python.util.compat")
def _fill_util_compat(m):
    m.as_bytes = lambda s, encoding="utf-8": s if isinstance(s, bytes) else s.encode(encoding)
    m.as_text = lambda s, encoding="utf-8": s.decode(encoding) if isinstance(s, bytes) else s
    m.as_str = m.as_text
    m.integral_types = (int, np.integer)
    m.real_types = (int, float, np.integer, np.floating)
    m.bytes_or_text_types = (bytes, str)
    m.collections_abc = __import__("collections.abc").abc   # (TF's alias of the stdlib's)


@_special("python.platform.tf_logging")
def _fill_logging(m):
    log = _pylogging.getLogger("tensorflow")
    for n in ("info", "warning", "warn", "error", "debug", "fatal", "log"):
        setattr(m, n, getattr(log, n if n not in ("warn", "fatal") else
                               {"warn": "warning", "fatal": "critical"}[n]))
    m.vlog = lambda level, msg, *a: log.debug(msg, *a)


@_special("python.eager.context")
def _fill_context(m):
    m.executing_eagerly = _tf.executing_eagerly
    m.eager_mode = _eager_mode
    m.graph_mode = _graph_mode
    m.context = lambda: types.SimpleNamespace(num_gpus=lambda: 0)
    m.num_gpus = lambda: 0


@_special("python.tf2")
def _fill_tf2(m):
    m.enabled = lambda: False  # TF1 behaviour (graph mode first)


@_special("python.eager.backprop")
def _fill_backprop(m):
    m.GradientTape = _tf.GradientTape


@_special("python.framework.random_seed")
def _fill_seed(m):
    m.set_random_seed = _tf.set_random_seed
    m.set_seed = _tf.set_random_seed


@contextlib.contextmanager
def _eager_mode():
    was = _tf.executing_eagerly()
    _tf.enable_eager_execution()
    try:
        yield
    finally:
        if not was:
            _tf.disable_eager_execution()


@contextlib.contextmanager
def _graph_mode():
    was = _tf.executing_eagerly()
    _tf.disable_eager_execution()
    try:
        with _tf.Graph().as_default():
            yield
    finally:
        if was:
            _tf.enable_eager_execution()


# ---------------------------------------------------------------------------------------
# gradient checkers (TF's ops/gradient_checker.py and gradient_checker_v2.py, re-done)
# ---------------------------------------------------------------------------------------

def _np_dtype(dtype):
    return np.dtype(_tf.as_dtype(dtype).as_numpy_dtype)


def _dense(sess, g, feed):
    """``g`` (a Tensor, IndexedSlices-like or None) evaluated as a dense array, or None."""
    if g is None:
        return None
    return np.asarray(sess.run(g, feed_dict=feed))


def _real_dtype(dt):
    return np.dtype(dt).type(0).real.dtype if np.dtype(dt).kind == "c" else np.dtype(dt)


def _flat_real(a):
    """A contiguous array's elements as reals (a complex one as (re, im) pairs): TF's
    checkers treat a complex vector as one of twice as many reals."""
    a = _contiguous(a)
    return a.reshape(-1).view(_real_dtype(a.dtype)) if a.dtype.kind == "c" else a.reshape(-1)


def _contiguous(a):
    """``a`` as a C-contiguous array of its own shape (np.ascontiguousarray makes a 0-d
    array 1-d)."""
    a = np.asarray(a)
    return a if a.flags.c_contiguous else a.copy(order="C")


def _compute_gradient_v1(x, x_shape, y, y_shape, x_init_value, delta, extra_feed_dict):
    """TF1's compute_gradient for one x: (theoretical, numerical), each (x_size, y_size)
    in reals (complex elements count twice)."""
    sess = _tf.get_default_session()
    if sess is None:
        raise RuntimeError("shim: compute_gradient needs a default session "
                           "(TF's does too: use `with self.cached_session():`)")
    x_dt, y_dt = _np_dtype(x.dtype), _np_dtype(y.dtype)
    x_shape, y_shape = tuple(x_shape), tuple(y_shape)
    if x_init_value is not None:
        x_data = np.array(x_init_value).astype(x_dt)
        if x_data.shape != x_shape:
            raise ValueError(f"x_init_value has shape {x_data.shape}, x_shape is {x_shape}")
    else:
        x_data = np.random.random_sample(x_shape).astype(x_dt)
        if x_dt.kind == "c":
            x_data = x_data + 1j * np.random.random_sample(x_shape).astype(x_dt)
    x_data = _contiguous(x_data)
    jdt = _real_dtype(x_dt) if x_dt.kind in "fc" else np.dtype(np.float64)
    x_size = _flat_real(x_data).size
    y_size = int(np.prod(y_shape)) * (2 if y_dt.kind == "c" else 1)
    extra = dict(extra_feed_dict or {})
    # theoretical: one backward pass per real component of dy
    dy = _tf.placeholder(y.dtype, shape=y_shape)
    g = _tf.gradients(y, x, grad_ys=dy)[0]
    jt = np.zeros((x_size, y_size), dtype=jdt)
    if g is not None:
        dy_data = np.zeros(y_shape, dtype=y_dt)
        dflat = _flat_real(dy_data)
        dy_data = dflat.view(y_dt).reshape(y_shape) if y_dt.kind == "c" else \
            dflat.reshape(y_shape)
        for c in range(y_size):
            dflat[c] = 1
            gv = _dense(sess, g, {**extra, x: x_data, dy: dy_data})
            dflat[c] = 0
            if gv.size:
                jt[:, c] = _flat_real(gv.astype(x_dt if x_dt.kind == "c" else gv.dtype))
    # numerical: central differences, in x's own dtype as TF does
    jn = np.zeros((x_size, y_size), dtype=jdt)
    xflat = _flat_real(x_data)
    xfeed = xflat.view(x_dt).reshape(x_shape) if x_dt.kind == "c" else xflat.reshape(x_shape)
    for r in range(x_size):
        v = xflat[r]
        xflat[r] = v + delta
        y_pos = _flat_real(np.asarray(sess.run(y, feed_dict={**extra, x: xfeed})))
        xflat[r] = v - delta
        y_neg = _flat_real(np.asarray(sess.run(y, feed_dict={**extra, x: xfeed})))
        xflat[r] = v
        jn[r, :] = (y_pos.astype(jdt) - y_neg.astype(jdt)) / jdt.type(2 * delta)
    return jt, jn


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                     init_targets=None, extra_feed_dict=None):
    if init_targets is not None:
        sess = _tf.get_default_session()
        for t in init_targets:
            sess.run(t)
    if isinstance(x, (list, tuple)):
        inits = x_init_value if x_init_value is not None else [None] * len(x)
        return [_compute_gradient_v1(xi, si, y, y_shape, ii, delta, extra_feed_dict)
                for xi, si, ii in zip(x, x_shape, inits)]
    return _compute_gradient_v1(x, x_shape, y, y_shape, x_init_value, delta,
                                extra_feed_dict)


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                           init_targets=None, extra_feed_dict=None):
    grad = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets,
                            extra_feed_dict)
    if isinstance(grad, tuple):
        grad = [grad]
    error = 0.0
    for jt, jn in grad:
        if jt.size:
            error = max(error, float(np.fabs(jt - jn).max()))
    return error


@_special("python.ops.gradient_checker")
def _fill_gc1(m):
    m.compute_gradient = compute_gradient
    m.compute_gradient_error = compute_gradient_error


def _compute_gradient_v2(f, xs, delta):
    """TF2's compute_gradient: ([theoretical], [numerical]), each (y_size, x_size) in
    reals (complex elements count twice)."""
    xs = [_contiguous(x) for x in xs]
    if _tf.executing_eagerly():
        def run_y(vals):
            return np.asarray(f(*[_tf.constant(v) for v in vals]))

        def run_grad(vals, i, dy):
            cs = [_tf.constant(v) for v in vals]
            with _tf.GradientTape() as tape:
                tape.watch(cs[i])
                y = f(*cs)
            g = tape.gradient(y, cs[i], output_gradients=_tf.constant(dy))
            return None if g is None else np.asarray(_tf.convert_to_tensor(g))
    else:
        sess = _tf.get_default_session()
        if sess is None:
            sess = _tf.Session()
        phs = [_tf.placeholder(_tf.as_dtype(x.dtype), shape=x.shape) for x in xs]
        y_t = f(*phs)
        dy_ph = _tf.placeholder(y_t.dtype, shape=y_t.shape)
        grads = _tf.gradients(y_t, phs, grad_ys=dy_ph)

        def run_y(vals):
            return np.asarray(sess.run(y_t, dict(zip(phs, vals))))

        def run_grad(vals, i, dy):
            if grads[i] is None:
                return None
            return np.asarray(sess.run(grads[i], {**dict(zip(phs, vals)), dy_ph: dy}))
    y0 = run_y(xs)
    theo, num = [], []
    for i, x in enumerate(xs):
        jdt = _real_dtype(x.dtype) if x.dtype.kind in "fc" else np.dtype(np.float64)
        x_size, y_size = _flat_real(x).size, _flat_real(y0).size
        jt = np.zeros((y_size, x_size), dtype=jdt)
        dy = np.zeros(y0.shape, y0.dtype)
        dflat = _flat_real(dy)
        dyv = dflat.view(y0.dtype).reshape(y0.shape) if y0.dtype.kind == "c" else \
            dflat.reshape(y0.shape)
        for c in range(y_size):
            dflat[c] = 1
            g = run_grad(xs, i, dyv)
            dflat[c] = 0
            if g is not None and g.size:
                jt[c, :] = _flat_real(g.astype(x.dtype) if x.dtype.kind == "c" else g)
        jn = np.zeros_like(jt)
        vals = [v.copy() for v in xs]
        xflat = _flat_real(vals[i])
        vals[i] = xflat.view(x.dtype).reshape(x.shape) if x.dtype.kind == "c" else \
            xflat.reshape(x.shape)
        for r in range(x_size):
            v = xflat[r]
            xflat[r] = v + delta
            yp = _flat_real(run_y(vals)).astype(jdt)
            xflat[r] = v - delta
            yn = _flat_real(run_y(vals)).astype(jdt)
            xflat[r] = v
            jn[:, r] = (yp - yn) / jdt.type(2 * delta)
        theo.append(jt)
        num.append(jn)
    return theo, num


@_special("python.ops.gradient_checker_v2")
def _fill_gc2(m):
    m.compute_gradient = lambda f, x, delta=1e-3: _compute_gradient_v2(f, x, delta)

    def max_error(grad1, grad2):
        error = 0.0
        for a, b in zip(grad1, grad2):
            if np.size(a):
                error = max(error, float(np.fabs(np.asarray(a) - np.asarray(b)).max()))
        return error
    m.max_error = max_error


# ---------------------------------------------------------------------------------------
# tf.test.TestCase and test_util
# ---------------------------------------------------------------------------------------

def _fresh_graph_mode():
    _session._sess.stack.clear()
    _core._state.graph_stack.clear()
    _tf.disable_eager_execution()
    _tf.reset_default_graph()


def _to_numpy(x):
    if isinstance(x, (list, tuple)):
        return type(x)(_to_numpy(v) for v in x) if not hasattr(x, "_fields") \
            else type(x)(*[_to_numpy(v) for v in x])
    if isinstance(x, dict):
        return {k: _to_numpy(v) for k, v in x.items()}
    if x is None:
        return None
    if hasattr(x, "read_value") and _tf.executing_eagerly():
        x = x.read_value()
    return np.asarray(x)


class TestCase(unittest.TestCase):
    """A short re-implementation of tf.test.TestCase (graph mode by default)."""

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        self._cached = None
        self._tempdir = None

    def setUp(self):
        _fresh_graph_mode()
        np.random.seed(0)  # TF's TestCase seeds NumPy's stream and the graph
        self._cached = None

    def tearDown(self):
        self._close_cached()

    def _close_cached(self):
        if self._cached is not None:
            self._cached[1].close()
            self._cached = None

    def get_temp_dir(self):
        if self._tempdir is None:
            self._tempdir = tempfile.mkdtemp(prefix="ndgrad_tfk_")
        return self._tempdir

    # -- sessions and evaluation ------------------------------------------------------
    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        if _tf.executing_eagerly():
            yield None
            return
        g = graph if graph is not None else _tf.get_default_graph()
        with g.as_default():
            sess = _tf.Session(graph=g)
            try:
                with sess.as_default():
                    yield sess
            finally:
                sess.close()

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        if _tf.executing_eagerly():
            yield None
            return
        g = graph if graph is not None else _tf.get_default_graph()
        if self._cached is None or self._cached[0] is not g:
            self._close_cached()
            self._cached = (g, _tf.Session(graph=g))
        sess = self._cached[1]
        with g.as_default(), sess.as_default():
            yield sess

    def test_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        return self.cached_session(graph, config, use_gpu, force_gpu)
    test_session.__test__ = False

    def evaluate(self, tensors):
        if _tf.executing_eagerly():
            if callable(tensors) and not _tf.is_tensor(tensors):
                # (TF's _eval_tensor calls a callable: eager mode's learning-rate decays
                # are functions of the step)
                tensors = tensors()
            return _to_numpy(tensors)
        sess = _tf.get_default_session()
        if sess is None:
            with self.cached_session() as sess:
                return sess.run(tensors)
        return sess.run(tensors)

    # -- assertions -------------------------------------------------------------------
    def _arr(self, a):
        if _tf.is_tensor(a) or hasattr(a, "eval") and hasattr(a, "op"):
            a = self.evaluate(a)
        return np.asarray(_to_numpy(a))

    def _nested(self, a, b, fn, path=""):
        if isinstance(a, dict) and isinstance(b, dict):
            self.assertEqual(set(a), set(b), f"keys differ at {path or 'top'}")
            for k in a:
                self._nested(a[k], b[k], fn, f"{path}[{k!r}]")
            return
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and \
                _is_structure(a) and _is_structure(b):
            self.assertEqual(len(a), len(b), f"lengths differ at {path or 'top'}")
            for i, (x, y) in enumerate(zip(a, b)):
                self._nested(x, y, fn, f"{path}[{i}]")
            return
        fn(a, b, path)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        def one(x, y, path):
            x, y = self._arr(x), self._arr(y)
            self.assertEqual(x.shape, y.shape,
                             f"shape mismatch {x.shape} vs {y.shape} at {path or 'top'} {msg or ''}")
            if x.dtype == object or y.dtype == object or x.dtype.kind in "SUb" or \
                    y.dtype.kind in "SU":
                np.testing.assert_array_equal(x, y, err_msg=msg or "")
                return
            if np.ndim(atol) or np.ndim(rtol):
                # an array tolerance (svd_op_test's per-matrix atol): TF's own comparison,
                # elementwise (NumPy 2's assert_allclose cannot format an array atol)
                close = np.abs(x - y) <= np.asarray(atol) + np.asarray(rtol) * np.abs(y)
                close |= np.isnan(x) & np.isnan(y)
                self.assertTrue(bool(np.all(close)), f"not close at {path or 'top'}: "
                                f"{x} vs {y} {msg or ''}")
                return
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=f"{path} {msg or ''}")
        self._nested(a, b, one)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6, float_rtol=1e-6,
                                      float_atol=1e-6, half_rtol=1e-3, half_atol=1e-3,
                                      bfloat16_rtol=1e-2, bfloat16_atol=1e-2, msg=None):
        a, b = self._arr(a), self._arr(b)
        if a.dtype in (np.float32, np.complex64) or b.dtype in (np.float32, np.complex64):
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if a.dtype == np.float16 or b.dtype == np.float16:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, **kw):
        try:
            self.assertAllClose(a, b, **kw)
        except AssertionError:
            return
        raise AssertionError("the two values are close")

    def assertAllEqual(self, a, b, msg=None):
        a, b = self._arr(a), self._arr(b)
        if a.shape != b.shape and b.size == a.size == 1:
            pass
        self.assertEqual(a.shape, b.shape, f"shape mismatch {a.shape} vs {b.shape} {msg or ''}")
        np.testing.assert_array_equal(a, b, err_msg=msg or "")

    def assertNotAllEqual(self, a, b, msg=None):
        a, b = self._arr(a), self._arr(b)
        if a.shape == b.shape and np.array_equal(a, b):
            raise AssertionError(f"the two values are equal {msg or ''}")

    def assertAllLess(self, a, comparison_target):
        self.assertTrue(np.all(self._arr(a) < comparison_target))

    def assertAllGreater(self, a, comparison_target):
        self.assertTrue(np.all(self._arr(a) > comparison_target))

    def assertAllLessEqual(self, a, comparison_target):
        self.assertTrue(np.all(self._arr(a) <= comparison_target))

    def assertAllGreaterEqual(self, a, comparison_target):
        self.assertTrue(np.all(self._arr(a) >= comparison_target))

    def assertAllInRange(self, target, lower, upper, open_lower_bound=False,
                         open_upper_bound=False):
        t = self._arr(target)
        lo = t > lower if open_lower_bound else t >= lower
        hi = t < upper if open_upper_bound else t <= upper
        self.assertTrue(np.all(lo & hi), f"values outside [{lower}, {upper}]")

    def assertAllInSet(self, target, expected_set):
        t = self._arr(target)
        self.assertTrue(set(np.unique(t).tolist()) <= set(expected_set))

    def assertArrayNear(self, farray1, farray2, err, msg=None):
        self.assertEqual(len(farray1), len(farray2), msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg)

    def assertNear(self, f1, f2, err, msg=None):
        self.assertTrue(f1 == f2 or abs(f1 - f2) <= err,
                        f"{f1!r} != {f2!r} +/- {err!r} {msg or ''}")

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):
        self.assertTrue(np.linalg.norm(ndarray1 - ndarray2) <= err, msg)

    def assertShapeEqual(self, np_array, tf_tensor, msg=None):
        self.assertEqual(list(np.shape(np_array)), _static_shape(tf_tensor), msg)

    def assertDTypeEqual(self, target, expected_dtype):
        self.assertEqual(self._arr(target).dtype, np.dtype(expected_dtype))

    def assertItemsEqual(self, a, b, msg=None):
        self.assertCountEqual(a, b, msg)

    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):
        if callable(expected_err_re_or_predicate):
            pred = expected_err_re_or_predicate
        else:
            def pred(e):
                return re.search(expected_err_re_or_predicate, str(e)) is not None
        return _RaisesPredicate(self, exception_type, pred)

    def assertRaisesOpError(self, expected_err_re_or_predicate):
        return self.assertRaisesWithPredicateMatch(_tf.errors.OpError,
                                                   expected_err_re_or_predicate)

    def assertRaisesRegexp(self, *a, **k):
        return self.assertRaisesRegex(*a, **k)

    def assertStartsWith(self, actual, expected_start, msg=None):
        self.assertTrue(actual.startswith(expected_start), msg)

    def assertProtoEquals(self, *a, **k):
        raise unittest.SkipTest("shim: protos (assertProtoEquals) are not compared")

    def checkedThread(self, target, args=None, kwargs=None):
        import threading
        return threading.Thread(target=target, args=args or (), kwargs=kwargs or {})

    def assertDeviceEqual(self, device1, device2, msg=None):
        norm = lambda d: (d or "").replace("/device:", "/").lower()
        self.assertEqual(norm(device1), norm(device2), msg)

    def _GetNdArray(self, a):
        return self._arr(a)


def _is_structure(seq):
    # a list of numbers is one array; a list of arrays/tensors/lists is a structure
    return any(isinstance(v, (list, tuple, dict, np.ndarray)) or _tf.is_tensor(v)
               for v in seq) and not all(isinstance(v, (int, float, complex, bool, np.generic))
                                        for v in seq)


def _static_shape(t):
    shape = t.get_shape() if hasattr(t, "get_shape") else t.shape
    if hasattr(shape, "as_list"):
        return shape.as_list()
    return list(shape)


class _RaisesPredicate:
    def __init__(self, case, exc_type, pred):
        self.case, self.exc_type, self.pred = case, exc_type, pred

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        if et is None:
            raise AssertionError(f"{self.exc_type} not raised")
        if not issubclass(et, self.exc_type):
            return False
        if not self.pred(ev):
            raise AssertionError(f"Exception of type {et.__name__}: {ev}") from ev
        return True


def _run_graph(test, f, a, k):
    _fresh_graph_mode()
    with test.cached_session():
        f(test, *a, **k)
    test._close_cached()


def _run_eager(test, f, a, k):
    _fresh_graph_mode()
    _tf.enable_eager_execution()
    try:
        f(test, *a, **k)
    finally:
        _tf.disable_eager_execution()


def run_in_graph_and_eager_modes(func=None, config=None, use_gpu=True, reset_test=True,
                                 assert_no_eager_garbage=False):
    def deco(f):
        if isinstance(f, type):
            return run_all_in_graph_and_eager_modes(f)

        @functools.wraps(f)
        def wrapper(self, *a, **k):
            _run_graph(self, f, a, k)
            if reset_test:
                self.tearDown()
                self.setUp()
            _run_eager(self, f, a, k)
        return wrapper
    return deco(func) if func is not None else deco


def run_all_in_graph_and_eager_modes(cls):
    for name in list(vars(cls)):
        if name.startswith("test") and callable(getattr(cls, name)):
            setattr(cls, name, run_in_graph_and_eager_modes(getattr(cls, name)))
    return cls


def _graph_only(f):
    if isinstance(f, type):
        # (a class: ``@test_util.run_v1_only(...)`` on a TestCase wraps each test method;
        # returning a function hid the class, and pytest collected none of its tests)
        for name in list(vars(f)):
            if name.startswith("test"):
                setattr(f, name, _graph_only(getattr(f, name)))
        return f

    @functools.wraps(f)
    def wrapper(self, *a, **k):
        # graph mode in the graph setUp made: a fresh graph here would orphan the
        # tensors a class's setUp built (losses_test), and clearing the graph stack inside
        # another decorator's ``with g.as_default()`` broke its exit (check_ops_test)
        _tf.disable_eager_execution()
        return f(self, *a, **k)
    return wrapper


def _decorator_factory(kind):
    """``@test_util.X`` and ``@test_util.X(reason)`` both work."""
    def outer(func=None, *a, **k):
        if callable(func) and not isinstance(func, str):
            return kind(func)
        return kind
    return outer


def _eager_only(f):
    if isinstance(f, type):
        for name in list(vars(f)):
            if name.startswith("test"):
                setattr(f, name, _eager_only(getattr(f, name)))
        return f

    @functools.wraps(f)
    def wrapper(self, *a, **k):
        _run_eager(self, f, a, k)
    return wrapper


def _identity(f):
    return f


@_special("python.framework.test_util")
def _fill_test_util(m):
    m.TensorFlowTestCase = TestCase
    m.run_deprecated_v1 = _graph_only
    m.deprecated_graph_mode_only = _decorator_factory(_graph_only)
    m.run_v1_only = _decorator_factory(_graph_only)
    m.run_v2_only = _decorator_factory(_eager_only)
    m.run_in_graph_and_eager_modes = run_in_graph_and_eager_modes
    m.run_all_in_graph_and_eager_modes = run_all_in_graph_and_eager_modes
    m.build_as_function_and_v1_graph = _graph_only
    m.also_run_as_tf_function = _identity
    m.run_functions_eagerly = lambda *a, **k: contextlib.nullcontext()
    for n in ("disable_xla", "disable_all_xla", "xla_allow_fallback", "disable_mlir_bridge",
              "enable_control_flow_v2", "disable_control_flow_v2", "disable_tfrt",
              "with_control_flow_v2", "disable_cudnn_autotune", "enable_v2_tensorshape",
              "for_all_test_methods", "assert_no_new_pyobjects_executing_eagerly",
              "assert_no_new_tensors", "assert_no_garbage_created", "no_xla_auto_jit",
              "enable_c_shapes", "with_c_shapes", "with_c_api", "enable_tensor_float_32_execution",
              "enable_output_all_intermediates"):
        setattr(m, n, _decorator_factory(_identity))
    m.enable_tf_xla_constant_folding = _decorator_factory(_identity)

    def _gpu_only(f):
        @functools.wraps(f)
        def wrapper(self, *a, **k):
            raise unittest.SkipTest("shim: a GPU-only test")
        return wrapper
    m.run_gpu_only = _decorator_factory(_gpu_only)
    m.run_cuda_only = _decorator_factory(_gpu_only)
    m.GpuSupportsHalfMatMulAndConv = lambda: False
    m.is_gpu_available = lambda *a, **k: False
    m.gpu_device_name = lambda: ""
    m.is_xla_enabled = lambda: False
    m.is_mlir_bridge_enabled = lambda: False
    m.use_gpu = contextlib.nullcontext
    m.force_cpu = contextlib.nullcontext
    m.force_gpu = contextlib.nullcontext
    m.device = lambda use_gpu=False: contextlib.nullcontext()
    m.IsMklEnabled = lambda: False
    m.IsGoogleCudaEnabled = lambda: False
    m.IsBuiltWithROCm = lambda: False

    def skip_if(condition):
        def deco(f):
            @functools.wraps(f)
            def wrapper(self, *a, **k):
                c = condition() if callable(condition) else condition
                if c:
                    raise unittest.SkipTest("skip_if condition")
                return f(self, *a, **k)
            return wrapper
        return deco
    m.skip_if = skip_if


@_special("python.platform.test")
@_special("python.platform.googletest")
def _fill_test(m):
    m.TestCase = TestCase
    m.main = lambda *a, **k: None  # pytest runs the tests (run.py runs __main__ blocks)
    m.is_gpu_available = lambda *a, **k: False
    m.is_built_with_cuda = lambda: False
    m.is_built_with_rocm = lambda: False
    m.is_built_with_gpu_support = lambda: False
    m.gpu_device_name = lambda: ""
    m.get_temp_dir = lambda: tempfile.mkdtemp(prefix="ndgrad_tfk_")
    m.compute_gradient = compute_gradient
    m.compute_gradient_error = compute_gradient_error
    m.Benchmark = object
    import unittest.mock
    m.mock = unittest.mock
    m.skipTest = unittest.SkipTest


@_special("python.platform.benchmark")
def _fill_bench(m):
    m.Benchmark = object


@_special("python.ops.resource_variable_ops")
def _fill_rv(m):
    m.ResourceVariable = _tf.Variable  # ndgrad.tf has one kind of variable


@_special("python.layers.convolutional")
def _fill_conv_layers(m):
    m._sources = [_tf.layers]


@_special("python.ops.variables")
def _fill_variables(m):
    m.Variable = _tf.Variable
    m.VariableV1 = getattr(_tf, "VariableV1", _tf.Variable)
    m.RefVariable = _tf.Variable


# ---------------------------------------------------------------------------------------
# the import hook, a six stand-in, per-test timeout, and result recording
# ---------------------------------------------------------------------------------------

# the tests are older than NumPy 2: put back the aliases they use (np.object, np.float ...)
for _alias, _value in (("object", object), ("float", float), ("int", int), ("bool", bool),
                       ("complex", complex), ("str", str), ("NaN", np.nan), ("Inf", np.inf),
                       ("string_", np.bytes_), ("unicode_", np.str_), ("float_", np.float64),
                       ("complex_", np.complex128)):
    if _alias not in np.__dict__:
        setattr(np, _alias, _value)

for _name in [n for n in sys.modules if n == ROOT or n.startswith(ROOT + ".")]:
    del sys.modules[_name]
sys.meta_path.insert(0, _Finder())

if "six" not in sys.modules:
    try:
        import six  # noqa: F401
    except ImportError:
        _six = types.ModuleType("six")
        _six.moves = types.ModuleType("six.moves")
        _six.moves.xrange = range
        _six.moves.range = range
        _six.moves.zip = zip
        _six.moves.map = map
        _six.moves.reduce = functools.reduce
        _six.moves.builtins = __import__("builtins")
        _six.moves.queue = __import__("queue")
        _six.moves.cPickle = __import__("pickle")
        _six.PY2, _six.PY3 = False, True
        _six.string_types = (str,)
        _six.integer_types = (int,)
        _six.text_type = str
        _six.binary_type = bytes
        _six.iteritems = lambda d: iter(d.items())
        _six.itervalues = lambda d: iter(d.values())
        _six.with_metaclass = lambda meta, *bases: meta("_Base", bases or (object,), {})
        sys.modules["six"] = _six
        sys.modules["six.moves"] = _six.moves
        sys.modules["six.moves.queue"] = _six.moves.queue

_TIMEOUT = float(os.environ.get("NDGRAD_TF_TEST_TIMEOUT", "60"))
_results = {}


class TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise TestTimeout(f"test ran past {_TIMEOUT:g} s (NDGRAD_TF_TEST_TIMEOUT)")


import pytest  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, _TIMEOUT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        _fresh_graph_mode()


def pytest_collectreport(report):
    if report.failed:
        _results[report.nodeid or "<collection>"] = ["error", str(report.longrepr)[-3000:]]


def pytest_runtest_logreport(report):
    nodeid = report.nodeid
    if report.when == "call":
        outcome = report.outcome
        _results[nodeid] = [outcome, str(report.longrepr)[-3000:] if not report.passed else ""]
    elif report.failed:
        _results[nodeid] = ["error", str(report.longrepr)[-3000:]]
    elif report.skipped and report.when == "setup":
        _results[nodeid] = ["skipped", str(report.longrepr)[-300:]]


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("NDGRAD_TF_RESULTS")
    if path:
        with open(path, "w") as f:
            json.dump(_results, f)


def pytest_unconfigure(config):
    # a test's leftover non-daemon thread (queue runners, checkedThread) must not keep
    # the run alive: the outcomes are written
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
