"""``tf.train.Saver`` and the checkpoint helpers, in TensorFlow's own V2 format.

A checkpoint ndgrad writes is restored by TensorFlow (``tf.compat.v1.train.Saver().restore``)
and one TensorFlow wrote is restored here: the same tensor-bundle files (see
``checkpoint_bundle``), the same ``checkpoint`` state file, variables keyed by their op
names (optimizer slots as ``w/Adam``, ``w/Adam_1``, ``beta1_power``). The ``.meta``
MetaGraphDef needs the ``tensorboard`` package's protos (extra ``viz``); without it the
checkpoint is written and the ``.meta`` skipped with a warning.

>>> import tempfile, os, ndgrad.tf as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     w = tf.Variable([1.0, 2.0], name="w")
...     saver = tf.train.Saver()
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         path = saver.save(sess, os.path.join(tempfile.mkdtemp(), "model.ckpt"),
...                           write_meta_graph=False)
>>> tf.train.list_variables(path)
[('w', [2])]
"""
from __future__ import annotations

import os
import time
import warnings

import numpy as np

from ..graph.core import get_default_graph
from ..graph import errors as _errors
from . import checkpoint_bundle as _cb
from . import variables as _variables

__all__ = ["Saver", "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists",
           "load_checkpoint", "list_variables", "load_variable", "NewCheckpointReader",
           "CheckpointReader", "CheckpointState", "update_checkpoint_state",
           "generate_checkpoint_state_proto"]


# -- the `checkpoint` state file (a CheckpointState text proto) ---------------------------
class CheckpointState:
    """The parsed ``checkpoint`` file: ``model_checkpoint_path`` (the newest) and
    ``all_model_checkpoint_paths`` (oldest first).

    >>> import ndgrad.tf as tf
    >>> st = tf.train.CheckpointState(model_checkpoint_path="model-2",
    ...                               all_model_checkpoint_paths=["model-1", "model-2"])
    >>> print(st, end="")
    model_checkpoint_path: "model-2"
    all_model_checkpoint_paths: "model-1"
    all_model_checkpoint_paths: "model-2"
    """

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self):
        return _state_text(self)

    def __eq__(self, other):
        return isinstance(other, CheckpointState) and vars(self) == vars(other)


def _quote(s):
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


def _unquote(s, path):
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f"{path}: cannot parse the checkpoint state value {s}")
    body = s[1:-1].encode("latin-1", "backslashreplace")
    return body.decode("unicode_escape").encode("latin-1").decode("utf-8")


def _state_text(st):
    lines = [f"model_checkpoint_path: {_quote(st.model_checkpoint_path)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}"
              for p in st.all_model_checkpoint_paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}"
              for t in st.all_model_checkpoint_timestamps]
    if st.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {st.last_preserved_timestamp!r}")
    return "\n".join(lines) + "\n"


def _parse_state(text, path):
    st = CheckpointState()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, val = line.partition(":")
        val = val.strip()
        if not sep:
            raise ValueError(f"{path}: cannot parse checkpoint state line {line!r}")
        if key == "model_checkpoint_path":
            st.model_checkpoint_path = _unquote(val, path)
        elif key == "all_model_checkpoint_paths":
            st.all_model_checkpoint_paths.append(_unquote(val, path))
        elif key == "all_model_checkpoint_timestamps":
            st.all_model_checkpoint_timestamps.append(float(val))
        elif key == "last_preserved_timestamp":
            st.last_preserved_timestamp = float(val)
        else:
            raise ValueError(f"{path}: unknown checkpoint state field {key!r}")
    return st


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                    all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None,
                                    last_preserved_timestamp=None):
    """A CheckpointState whose newest path is also the last of ``all`` (as TF's). When
    ``save_dir`` is relative, relative paths are rewritten relative to it (as TF does), so
    that ``get_checkpoint_state(save_dir)`` finds them again.

    >>> import ndgrad.tf as tf
    >>> st = tf.train.generate_checkpoint_state_proto("train", "train/model-2", ["train/model-1"])
    >>> st.model_checkpoint_path, list(st.all_model_checkpoint_paths)
    ('model-2', ['model-1', 'model-2'])
    >>> st = tf.train.generate_checkpoint_state_proto("/ckpt", "/ckpt/model-2")
    >>> st.model_checkpoint_path, list(st.all_model_checkpoint_paths)
    ('/ckpt/model-2', ['/ckpt/model-2'])
    """
    paths = list(all_model_checkpoint_paths or [])
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    return CheckpointState(model_checkpoint_path, paths,
                           all_model_checkpoint_timestamps or [],
                           last_preserved_timestamp or 0.0)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None):
    """Write ``save_dir/checkpoint`` (atomically).

    >>> import os, tempfile, ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> tf.train.update_checkpoint_state(d, os.path.join(d, "model-2"),
    ...                                  [os.path.join(d, "model-1"), os.path.join(d, "model-2")])
    >>> st = tf.train.get_checkpoint_state(d)
    >>> [os.path.basename(p) for p in st.all_model_checkpoint_paths]
    ['model-1', 'model-2']
    >>> os.listdir(d)
    ['checkpoint']
    """
    st = generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                         all_model_checkpoint_paths,
                                         all_model_checkpoint_timestamps,
                                         last_preserved_timestamp)
    path = os.path.join(save_dir, latest_filename or "checkpoint")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(_state_text(st))
    os.replace(tmp, path)


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState of ``checkpoint_dir`` (None if it has no state file); relative
    paths in it are taken relative to ``checkpoint_dir``, as TensorFlow does.

    >>> import os, tempfile, ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(1.0, name="w")
    ...     saver = tf.train.Saver()
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         for step in (1, 2):
    ...             _ = saver.save(s, os.path.join(d, "model"), global_step=step)
    >>> st = tf.train.get_checkpoint_state(d)
    >>> os.path.basename(st.model_checkpoint_path)
    'model-2'
    >>> [os.path.basename(p) for p in st.all_model_checkpoint_paths]
    ['model-1', 'model-2']
    >>> tf.train.get_checkpoint_state(tempfile.mkdtemp()) is None
    True
    """
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        st = _parse_state(f.read(), path)
    if not st.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {checkpoint_dir}")

    def absolute(p):
        return p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)
    st.model_checkpoint_path = absolute(st.model_checkpoint_path)
    st.all_model_checkpoint_paths = [absolute(p) for p in st.all_model_checkpoint_paths]
    return st


def checkpoint_exists(checkpoint_prefix):
    """Whether a V2 checkpoint (its ``.index`` file) exists at ``checkpoint_prefix``.

    >>> import os, tempfile, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(1.0, name="w")
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         path = tf.train.Saver().save(s, os.path.join(tempfile.mkdtemp(), "model"))
    >>> tf.train.checkpoint_exists(path), tf.train.checkpoint_exists(path + "-1")
    (True, False)
    """
    return os.path.isfile(_cb.index_path(checkpoint_prefix))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The newest checkpoint prefix recorded in ``checkpoint_dir`` (None if none exists).

    >>> import tempfile
    >>> latest_checkpoint(tempfile.mkdtemp()) is None
    True
    """
    st = get_checkpoint_state(checkpoint_dir, latest_filename)
    if st and checkpoint_exists(st.model_checkpoint_path):
        return st.model_checkpoint_path
    return None


# -- reading -------------------------------------------------------------------------------
def _resolve(ckpt_dir_or_file):
    if os.path.isdir(ckpt_dir_or_file):
        p = latest_checkpoint(ckpt_dir_or_file)
        if p is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {ckpt_dir_or_file}")
        return p
    return ckpt_dir_or_file


class CheckpointReader:
    """Reads a checkpoint's tensors: ``get_tensor``, ``has_tensor``,
    ``get_variable_to_shape_map``, ``get_variable_to_dtype_map``.

    >>> import os, tempfile, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable([[1, 2], [3, 4]], name="w")
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         path = tf.train.Saver().save(s, os.path.join(tempfile.mkdtemp(), "model"))
    >>> r = tf.train.NewCheckpointReader(path)
    >>> r.get_variable_to_shape_map(), r.get_variable_to_dtype_map()
    ({'w': [2, 2]}, {'w': tf.int32})
    >>> r.get_tensor("w")
    array([[1, 2],
           [3, 4]], dtype=int32)
    >>> r.debug_string()
    b'w (DT_INT32) [2,2]\\n'
    """

    def __init__(self, filepattern):
        if not checkpoint_exists(filepattern):
            raise _errors.NotFoundError(
                None, None, f"Unsuccessful TensorSliceReader constructor: Failed to find "
                f"any matching files for {filepattern}")
        try:
            self._bundle = _cb.BundleReader(filepattern)
        except _cb.UnsupportedTensorError as e:
            raise _errors.UnimplementedError(None, None, str(e)) from None
        except _cb.CheckpointError as e:
            raise _errors.DataLossError(None, None, str(e)) from None

    def get_variable_to_shape_map(self):
        return {n: list(s) for n, s in self._bundle.shapes().items()}

    def get_variable_to_dtype_map(self):
        from .dtypes import as_dtype
        return {n: (as_dtype(d) if d is not None else None)
                for n, d in self._bundle.dtypes().items()}

    def has_tensor(self, name):
        return self._bundle.has(name)

    def get_tensor(self, name):
        if not self._bundle.has(name):
            raise _errors.NotFoundError(None, None,
                                        f"Key {name} not found in checkpoint")
        try:
            return self._bundle.get(name).copy()
        except _cb.UnsupportedTensorError as e:
            raise _errors.UnimplementedError(None, None, str(e)) from None
        except _cb.CheckpointError as e:
            raise _errors.DataLossError(None, None, str(e)) from None

    def debug_string(self):
        """One line per tensor: ``name (DT_FLOAT) [2,3]`` (bytes, as TensorFlow's)."""
        lines = []
        for n in self._bundle.names():
            e = self._bundle._entries[n]
            dt = _cb.DT_ENUM_NAMES.get(e["dtype"], str(e["dtype"]))
            lines.append(f"{n} ({dt}) [{','.join(str(d) for d in e['shape'])}]\n")
        return "".join(lines).encode()


def NewCheckpointReader(filepattern):  # noqa: N802 (TensorFlow's name)
    """A CheckpointReader of the checkpoint at prefix ``filepattern``.

    >>> import os, ndgrad.tf as tf
    >>> d = os.path.join(os.path.dirname(tf.__file__), "..", "..", "tests", "tf", "data")
    >>> r = tf.train.NewCheckpointReader(os.path.join(d, "tf_adam", "model.ckpt-1"))
    >>> r.has_tensor("counter"), r.has_tensor("missing")
    (True, False)
    >>> r.get_tensor("counter")
    array([ 7, -3], dtype=int32)
    >>> r.get_variable_to_shape_map()["dense/kernel"], r.get_variable_to_dtype_map()["counter"]
    ([3, 2], tf.int32)
    """
    return CheckpointReader(filepattern)


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for a checkpoint prefix or the newest one in a directory.

    >>> import os, ndgrad.tf as tf
    >>> d = os.path.join(os.path.dirname(tf.__file__), "..", "..", "tests", "tf", "data")
    >>> r = tf.train.load_checkpoint(os.path.join(d, "tf_adam"))   # the newest in the directory
    >>> sorted(r.get_variable_to_shape_map())[:3]
    ['beta1_power', 'beta2_power', 'counter']
    >>> print(r.get_tensor("beta1_power"))
    0.80999994
    """
    return CheckpointReader(_resolve(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """[(name, shape as a list)] of every tensor in the checkpoint, sorted by name.

    >>> import os, ndgrad.tf as tf
    >>> d = os.path.join(os.path.dirname(tf.__file__), "..", "..", "tests", "tf", "data")
    >>> list_variables(os.path.join(d, "tf_adam"))[:2]    # a checkpoint TensorFlow wrote
    [('beta1_power', []), ('beta2_power', [])]
    """
    r = load_checkpoint(ckpt_dir_or_file)
    return sorted(r.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """The value (a NumPy array) of tensor ``name`` (a trailing ``:0`` is dropped).

    >>> import os, ndgrad.tf as tf
    >>> d = os.path.join(os.path.dirname(tf.__file__), "..", "..", "tests", "tf", "data")
    >>> load_variable(os.path.join(d, "tf_adam"), "counter:0")
    array([ 7, -3], dtype=int32)
    """
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


# -- Saver ------------------------------------------------------------------------------------
def _op_name(v):
    name = v.name if isinstance(v.name, str) else str(v.name)
    return name[:-2] if name.endswith(":0") else name


def _var_dict(var_list):
    if isinstance(var_list, dict):
        out = dict(var_list)
    else:
        out = {}
        for v in var_list:
            if isinstance(v, (list, tuple)):
                raise TypeError(f"partitioned variables are not supported: {v!r}")
            n = _op_name(v)
            if n in out:
                raise ValueError(f"At least two variables have the same name: {n}")
            out[n] = v
    for n, v in out.items():
        if not isinstance(n, str):
            raise TypeError(f"Saver var_list keys must be names (str); got {n!r}")
        if not (isinstance(v, _variables.Variable) or isinstance(v, _variables.EagerVariable)):
            raise TypeError(f"Variable to save is not a Variable: {v!r} (name {n})")
    return out


class Saver:
    """Saves and restores variables as TensorFlow V2 checkpoints.

    ``var_list``: None (all global and saveable variables), a list (keys are the
    variables' op names) or a dict ``{name in the checkpoint: variable}``.

    >>> import os, tempfile, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable([1.0, 2.0], name="w")
    ...     saver = tf.train.Saver()
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         path = saver.save(s, os.path.join(tempfile.mkdtemp(), "model"), global_step=7)
    ...         _ = s.run(w.assign([0.0, 0.0]))
    ...         saver.restore(s, path)
    ...         print(os.path.basename(path), s.run(w))
    model-7 [1. 2.]
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if write_version != 2:
            raise ValueError(f"write_version {write_version}: ndgrad writes only "
                             "TensorFlow's V2 checkpoint format (write_version=2)")
        if reshape:
            raise ValueError("Saver(reshape=True) is not supported: shapes must match")
        self._graph = get_default_graph()
        if var_list is None:
            var_list = (self._graph.get_collection(_variables.GraphKeys.GLOBAL_VARIABLES)
                        + [v for v in self._graph.get_collection("saveable_objects")
                           if v not in self._graph.get_collection(
                               _variables.GraphKeys.GLOBAL_VARIABLES)])
        self._vars = _var_dict(var_list)
        if not self._vars and not allow_empty:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._next_keep = time.time() + keep_checkpoint_every_n_hours * 3600
        self._pad = pad_step_number
        self._relative = save_relative_paths
        self._filename = filename
        self._last = []         # [(path, timestamp)] oldest first
        self._name = name or "save"
        if not _in_eager(self._vars):
            self._graph.add_to_collection("savers", self)

    # -- TF's bookkeeping ---------------------------------------------------------------
    @property
    def last_checkpoints(self):
        """The checkpoints this Saver keeps, oldest first (at most ``max_to_keep``: older
        ones are deleted).

        >>> import os, tempfile, ndgrad.tf as tf
        >>> d = tempfile.mkdtemp()
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable(1.0, name="w")
        ...     saver = tf.train.Saver(max_to_keep=2)
        ...     with tf.Session() as s:
        ...         s.run(tf.global_variables_initializer())
        ...         for step in range(3):
        ...             _ = saver.save(s, os.path.join(d, "model"), global_step=step)
        >>> [os.path.basename(p) for p in saver.last_checkpoints]
        ['model-1', 'model-2']
        >>> sorted(f for f in os.listdir(d) if f.endswith(".index"))
        ['model-1.index', 'model-2.index']
        """
        return [p for p, _ in self._last]

    def set_last_checkpoints(self, last_checkpoints):
        self._last = [(p, time.time()) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        st_times = time.time()
        self._last = [(p, st_times) for p in checkpoint_paths if checkpoint_exists(p)]

    def as_saver_def(self):
        return None

    # -- saving ---------------------------------------------------------------------------
    def _values(self, sess):
        names = sorted(self._vars)
        vs = [self._vars[n] for n in names]
        if _in_eager(self._vars):
            vals = [np.asarray(v.numpy()) for v in vs]
        else:
            if sess is None:
                raise ValueError("Saver.save needs a session in graph mode")
            vals = sess.run(vs)
        return {n: np.asarray(v) for n, v in zip(names, vals)}

    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Write the variables to ``save_path`` (``-<global_step>`` appended when given);
        returns the checkpoint prefix. Also updates the ``checkpoint`` state file, deletes
        checkpoints beyond ``max_to_keep`` and writes ``<prefix>.meta``.

        >>> import os, tempfile, ndgrad.tf as tf
        >>> d = tempfile.mkdtemp()
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable(1.0, name="w")
        ...     saver = tf.train.Saver()
        ...     with tf.Session() as s:
        ...         s.run(tf.global_variables_initializer())
        ...         path = saver.save(s, os.path.join(d, "model"), global_step=100)
        >>> os.path.basename(path)
        'model-100'
        >>> sorted(os.listdir(d))
        ['checkpoint', 'model-100.data-00000-of-00001', 'model-100.index', 'model-100.meta']
        """
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step) if sess is not None
                                  else global_step.numpy())
            ckpt = f"{save_path}-{int(global_step):08d}" if self._pad \
                else f"{save_path}-{int(global_step)}"
        else:
            ckpt = save_path
        save_dir = os.path.dirname(save_path)
        if save_dir and not os.path.isdir(save_dir):
            # TF's bundle writer makes the checkpoint's own folder (one level, as
            # ``CreateDir``); a missing folder above it is the save's error
            try:
                os.mkdir(save_dir)
            except OSError:
                pass
            if not os.path.isdir(save_dir):
                raise ValueError(f"Parent directory of {save_path} doesn't exist, can't "
                                 f"save.")
        _cb.write_bundle(ckpt, self._values(sess))
        if write_state:
            self._record(ckpt)
            rel = [os.path.basename(p) if self._relative else p
                   for p in self.last_checkpoints]
            update_checkpoint_state(save_dir or ".", rel[-1], rel, latest_filename,
                                    [t for _, t in self._last])
        if write_meta_graph and not _in_eager(self._vars):
            self.export_meta_graph(f"{ckpt}.{meta_graph_suffix}")
        return ckpt

    def _record(self, ckpt):
        now = time.time()
        self._last = [(p, t) for p, t in self._last if p != ckpt] + [(ckpt, now)]
        if not self._max_to_keep:
            return
        while len(self._last) > self._max_to_keep:
            p, t = self._last.pop(0)
            if t > self._next_keep:       # keep one every n hours
                self._next_keep += self._keep_hours * 3600
                continue
            for f in (_cb.index_path(p), _cb.data_path(p), f"{p}.meta"):
                if os.path.exists(f):
                    os.remove(f)

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False, clear_extraneous_savers=False,
                          strip_default_attrs=False, save_debug_info=False):
        """Write the graph as a MetaGraphDef (needs the ``tensorboard`` package's protos;
        without it, warns and writes nothing). Returns the proto, or None."""
        from . import graph_def as _gd
        try:
            mg = _gd.meta_graph_def(self._graph, saver=self)
        except ImportError as e:
            warnings.warn(f"not writing {filename}: a MetaGraphDef needs the tensorboard "
                          f"and protobuf packages (pip install 'ndgrad[viz]'): {e}",
                          stacklevel=3)
            return None
        if filename:
            data = str(mg).encode() if as_text else mg.SerializeToString()
            with open(filename, "wb") as f:
                f.write(data)
        return mg

    # -- restoring ------------------------------------------------------------------------
    def restore(self, sess, save_path):
        """Set every variable from the checkpoint at ``save_path``. Everything is read and
        checked (names, shapes, dtypes, checksums) before any variable changes, so a bad
        checkpoint raises and leaves every variable as it was.

        >>> import os, tempfile, ndgrad.tf as tf
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable([1.0, 2.0], name="w")
        ...     saver = tf.train.Saver()
        ...     with tf.Session() as s:
        ...         s.run(tf.global_variables_initializer())
        ...         path = saver.save(s, os.path.join(tempfile.mkdtemp(), "model"))
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable([0.0, 0.0], name="w")
        ...     with tf.Session() as s:
        ...         tf.train.Saver().restore(s, path)     # no initializer needed
        ...         print(s.run(w))
        [1. 2.]
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        reader = CheckpointReader(save_path)
        shapes = reader._bundle.shapes()
        dtypes = reader._bundle.dtypes()
        new = {}
        for n, v in sorted(self._vars.items()):
            if n not in shapes:
                raise _errors.NotFoundError(
                    None, None, f"Key {n} not found in checkpoint {save_path} (variable "
                    f"{v.name}); the checkpoint holds {sorted(shapes)}")
            vshape = tuple(v.shape) if _in_eager(self._vars) else tuple(v._shape)
            vdt = np.dtype(v.dtype.as_numpy_dtype) if hasattr(v.dtype, "as_numpy_dtype") \
                else np.dtype(v.dtype)
            if tuple(shapes[n]) != vshape:
                raise _errors.InvalidArgumentError(
                    None, None, f"Restoring {save_path}: variable {v.name} has shape "
                    f"{list(vshape)}, the checkpoint's {n} has shape {list(shapes[n])}")
            if dtypes[n] != vdt:
                raise _errors.InvalidArgumentError(
                    None, None, f"Restoring {save_path}: variable {v.name} has dtype "
                    f"{vdt.name}, the checkpoint's {n} has dtype "
                    f"{dtypes[n].name if dtypes[n] is not None else 'unsupported'}")
            new[n] = reader.get_tensor(n)
        for n, v in self._vars.items():
            if _in_eager(self._vars):
                v.assign(new[n])
            else:
                v.load(new[n], sess)


def _in_eager(var_dict):
    return any(isinstance(v, _variables.EagerVariable) for v in var_dict.values())



def export_meta_graph(filename=None, graph=None, collection_list=None, as_text=False,
                      **kwargs):
    """Write the default graph (or ``graph``) as a MetaGraphDef; returns the proto.

    >>> import os, tempfile, ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "model.meta")
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable([1.0, 2.0], name="w")
    ...     y = tf.multiply(w, 2.0, name="y")
    ...     mg = tf.train.export_meta_graph(path)
    >>> "y" in [n.name for n in mg.graph_def.node], os.path.exists(path)
    (True, True)
    >>> with tf.Graph().as_default() as g:
    ...     _ = tf.train.import_meta_graph(path)
    ...     print([v.name for v in tf.global_variables()], g.get_tensor_by_name("y:0").shape)
    ['w:0'] (2,)
    """
    from . import graph_def as _gd
    mg = _gd.meta_graph_def(graph or get_default_graph(), collection_list=collection_list)
    if filename:
        with open(filename, "wb") as f:
            f.write(str(mg).encode() if as_text else mg.SerializeToString())
    return mg


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuild a graph ndgrad wrote (a ``.meta`` file or MetaGraphDef) in the default graph
    and return a Saver over its global variables (None if it has none).

    >>> import os, tempfile, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable([1.0, 2.0], name="w")
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         path = tf.train.Saver().save(s, os.path.join(tempfile.mkdtemp(), "model"))
    >>> with tf.Graph().as_default() as g:
    ...     saver = tf.train.import_meta_graph(path + ".meta")
    ...     with tf.Session() as s:
    ...         saver.restore(s, path)
    ...         print([v.name for v in tf.global_variables()], s.run(tf.global_variables()[0]))
    ['w:0'] [1. 2.]
    """
    from tensorboard.compat.proto import meta_graph_pb2
    from . import graph_def as _gd
    mg = meta_graph_or_file
    if not isinstance(mg, meta_graph_pb2.MetaGraphDef):
        path = os.fspath(meta_graph_or_file)
        mg = meta_graph_pb2.MetaGraphDef()
        try:
            with open(path, "rb") as f:
                mg.ParseFromString(f.read())
        except FileNotFoundError:
            raise OSError(f"File {path} does not exist.") from None
        except Exception as e:  # protobuf's DecodeError
            raise _errors.DataLossError(None, None, f"{path}: not a MetaGraphDef ({e})") \
                from None
    colls = {k: list(v.node_list.value) for k, v in mg.collection_def.items()
             if v.HasField("node_list")}
    _gd.import_graph_def_nodes(mg.graph_def, colls, import_scope)
    g = get_default_graph()
    vs = g.get_collection(_variables.GraphKeys.GLOBAL_VARIABLES)
    if import_scope:
        # the checkpoint keeps the names the graph had before it was imported under a scope
        pre = import_scope.rstrip("/") + "/"
        vs = {_op_name(v)[len(pre):]: v for v in vs if v.name.startswith(pre)}
    if not vs:
        return None
    keep = mg.saver_def.max_to_keep if mg.HasField("saver_def") else 5
    return Saver(vs, max_to_keep=keep)


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Make variables' initializers load values from a checkpoint (call it before
    ``global_variables_initializer()``, as in TensorFlow).

    ``assignment_map`` maps checkpoint names to graph variables: ``{"ckpt/name": variable
    or "graph/name"}``, or whole scopes ``{"ckpt_scope/": "graph_scope/"}`` (``"/"`` is the
    checkpoint's root). Every name is checked (present, same shape and dtype) before any
    initializer changes.

    >>> import os, ndgrad.tf as tf
    >>> d = os.path.join(os.path.dirname(tf.__file__), "..", "..", "tests", "tf", "data")
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("new"):
    ...         k = tf.get_variable("kernel", (3, 2))
    ...     tf.train.init_from_checkpoint(os.path.join(d, "tf_adam"), {"dense/": "new/"})
    ...     with tf.Session() as sess:
    ...         _ = sess.run(tf.global_variables_initializer())
    ...         print(sess.run(k)[0].round(2))
    [-0.1  0. ]
    """
    from . import state_ops as so
    from . import variables as _variables
    reader = load_checkpoint(ckpt_dir_or_file)
    shapes = reader.get_variable_to_shape_map()
    g = get_default_graph()
    by_name = {_op_name(v): v for v in g.get_collection(_variables.GraphKeys.GLOBAL_VARIABLES)}
    plan = []                  # (checkpoint name, variable)
    for ckpt_name, target in assignment_map.items():
        if ckpt_name.endswith("/") or ckpt_name == "":
            if not isinstance(target, str) or not (target.endswith("/") or target == ""):
                raise ValueError(f"Assignment map with scope only name {ckpt_name!r} should "
                                 f"map to scope only {target!r}. Should be 'scope/': "
                                 "'other_scope/'.")
            src = "" if ckpt_name in ("/", "") else ckpt_name
            dst = "" if target in ("/", "") else target
            if not any(name.startswith(dst) for name in by_name):
                raise ValueError(f"no variable of the graph is under scope {target!r} "
                                 f"(assignment map entry {ckpt_name!r})")
            for name, v in sorted(by_name.items()):
                if name.startswith(dst):
                    key = src + name[len(dst):]
                    if key not in shapes:
                        raise ValueError(f"Tensor {key} (for variable {v.name}) is not found "
                                         f"in {ckpt_dir_or_file} checkpoint")
                    plan.append((key, v))
            continue
        if ckpt_name not in shapes:
            raise ValueError(f"Tensor {ckpt_name} is not found in {ckpt_dir_or_file} "
                             "checkpoint")
        v = by_name.get(target) if isinstance(target, str) else target
        if v is None:
            raise ValueError(f"Variable {target!r} of the assignment map is not in the graph")
        plan.append((ckpt_name, v))
    values = []
    for key, v in plan:
        value = reader.get_tensor(key)
        if list(value.shape) != list(v._shape):
            raise ValueError(f"Shape of variable {v.name} ({list(v._shape)}) doesn't match "
                             f"with shape of tensor {key} ({list(value.shape)}) from "
                             "checkpoint reader.")
        if value.dtype != v._np_dtype:
            raise ValueError(f"dtype of variable {v.name} ({v._np_dtype}) doesn't match "
                             f"with dtype of tensor {key} ({value.dtype}) from checkpoint.")
        values.append(value)
    for (key, v), value in zip(plan, values):
        with g.as_default(), g.control_dependencies(None), g.name_scope(v.op.name + "/"):
            v._initial_value = g.constant(value, name="checkpoint_initializer")
            v._initializer_op = so.assign(v, v._initial_value, name="checkpoint_init").op
