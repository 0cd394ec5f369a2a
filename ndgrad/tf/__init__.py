"""``import ndgrad.tf as tf``: the TensorFlow 1 dictionary on ndgrad's lazy graphs.

Graphs, sessions, placeholders, variables, scopes, gradients and optimizers with
TensorFlow 1's names, argument conventions, float32 defaults, printing and errors --
no TensorFlow needed. Every op is one of ndgrad's registry ops (or a TF-specific one
declared once in ``ndgrad.tf.ops``); ``tf.enable_eager_execution()`` makes the same
names compute at once on ndgrad arrays (with ``tf.GradientTape`` for gradients).

Where ndgrad.tf knowingly differs from TensorFlow:

- random numbers come from NumPy's generator: a graph seed replays the same values in
  every new session, as TF does, but not TF's values;
- ``map_fn`` and ``dynamic_rnn`` unroll a first (time) dimension known when building
  and run a ``tf.while_loop``, with gradients, over one known only in the run (the same
  values; the graph has more nodes than TF's);
- strings exist only as constants, feeds and fetches (``tf.string`` tensors of bytes).

>>> import ndgrad.tf as tf
>>> a = tf.constant(5.0); b = tf.constant(6.0)
>>> with tf.Session() as sess:
...     print(sess.run(a * b))
30.0
"""
from __future__ import annotations

from ..graph.core import (Graph, Operation, Tensor, get_default_graph,  # noqa: F401
                          reset_default_graph)
from ..graph.shape import Dimension, TensorShape, as_dimension  # noqa: F401
from ..graph.session import Session, InteractiveSession, get_default_session  # noqa: F401
from ..graph import errors  # noqa: F401
from . import dtypes  # noqa: F401
from .dtypes import (DType, as_dtype, float16, float32, float64, int8, int16, int32,  # noqa
                     int64, uint8, uint16, uint32, uint64, bool, complex64, complex128,
                     half, double, string)
from .framework import (convert_to_tensor, enable_eager_execution,  # noqa: F401
                        disable_eager_execution, executing_eagerly, name_scope, is_tensor)
from .math_ops import *  # noqa: F401,F403
from .math_ops import range, slice, pow, abs  # noqa: F401,A004
from .state_ops import *  # noqa: F401,F403
from .variables import *  # noqa: F401,F403
from .random_ops import *  # noqa: F401,F403
from .init_ops import *  # noqa: F401,F403
from .variable_scopes import *  # noqa: F401,F403
from .variables import GraphKeys, Variable, initialize_all_variables, all_variables  # noqa
from .variable_scopes import VariableScope, AUTO_REUSE  # noqa: F401
from . import nn, train, layers, summary  # noqa: F401
from .summary import (scalar_summary, histogram_summary, image_summary,  # noqa: F401
                      merge_all_summaries, merge as merge_summary)
from .control_flow import cond, case, while_loop, scan, foldl, foldr  # noqa: F401
from .control_flow import tuple_ as tuple  # noqa: F401,A004
from .special_math_ops import (erf, erfc, lgamma, digamma, igamma, igammac,  # noqa: F401
                              polygamma)
from .check_ops import (Assert, assert_equal, assert_none_equal, assert_less,  # noqa: F401
                        assert_less_equal, assert_greater, assert_greater_equal,
                        assert_positive, assert_negative, assert_non_negative,
                        assert_non_positive, assert_rank, assert_scalar, assert_type,
                        assert_near, assert_rank_at_least, assert_rank_in, assert_integer,
                        is_non_decreasing, is_strictly_increasing, ensure_shape,
                        check_numerics, verify_tensor_all_finite)
from .rnn import reverse_sequence  # noqa: F401
from .array_ops import gather_nd, scatter_nd, unsorted_segment_sum, segment_sum  # noqa
from .array_ops import matrix_band_part, unique, unique_with_counts  # noqa: F401
from .array_ops import (matrix_diag, matrix_diag_part, matrix_set_diag,  # noqa: F401
                        matrix_transpose, parallel_stack, searchsorted,
                        tensor_scatter_nd_update, tensor_scatter_nd_add,
                        tensor_scatter_nd_sub, tensor_scatter_update, tensor_scatter_add,
                        tensor_scatter_sub, scatter_nd_non_aliasing_add)
from .eager import GradientTape  # noqa: F401
from .sort_ops import sort, argsort  # noqa: F401
from .namespaces import (math, random, losses, initializers, logging, debugging,  # noqa: F401,A004
                         ConfigProto, GPUOptions, RunOptions, RunMetadata, device,
                         tables_initializer, linalg)
from . import namespaces as _ns
import sys as _sys
import types as _types
from . import contrib  # noqa: E402,F401
from .moving_averages import ExponentialMovingAverage as _EMA  # noqa: E402
train.ExponentialMovingAverage = _EMA
from . import compat  # noqa: E402
compat.v1 = _sys.modules[__name__]
from . import nest  # noqa: E402,F401
from .logging_ops import print_v2  # noqa: E402,F401
from .array_ops import batch_gather, identity_n  # noqa: E402,F401
from .template import make_template  # noqa: E402,F401
from .string_ops import (string_join, reduce_join, as_string, string_split,  # noqa: E402,F401
                         substr, string_strip, regex_replace, strings)
from .partition_ops import (dynamic_partition, dynamic_stitch,  # noqa: E402,F401
                            parallel_dynamic_stitch)
from .space_ops import (space_to_depth, depth_to_space, space_to_batch_nd,  # noqa: E402,F401
                        batch_to_space_nd, space_to_batch, batch_to_space,
                        extract_image_patches)
del _ns
from .extra_ops import (cumsum, cumprod, reverse, reverse_v2, norm, pad,  # noqa: F401
                        boolean_mask, count_nonzero, diag, diag_part, trace, matrix_inverse,
                        matrix_determinant, sequence_mask, Print, py_func, einsum,
                        clip_by_norm, global_norm, clip_by_global_norm, map_fn,
                        clip_by_average_norm,
                        scatter_update, scatter_add, scatter_sub, scatter_nd_update,
                        scatter_nd_add, scatter_nd_sub)
from .custom_gradient import custom_gradient  # noqa: F401
from .gradients_api import (gradients, get_collection, get_collection_ref,  # noqa: F401
                            add_to_collection, add_to_collections, newaxis,
                            UnconnectedGradients, AggregationMethod, hessians)

__version__ = "1.15.0-ndgrad"
VERSION = __version__

# -- input pipelines: queues, readers, parsing, TFRecord files, images --------------------
from .data_flow_ops import (QueueBase, FIFOQueue, RandomShuffleQueue,  # noqa: F401,E402
                            PaddingFIFOQueue)
from .io_ops import (ReaderBase, TextLineReader, WholeFileReader,  # noqa: F401,E402
                     TFRecordReader, FixedLengthRecordReader, IdentityReader, read_file,
                     write_file, matching_files)
from .parsing_ops import (decode_csv, decode_raw, parse_single_example,  # noqa: F401,E402
                          parse_example, FixedLenFeature, VarLenFeature, string_to_number)
from .sparse_tensor import (SparseTensor, SparseTensorValue,  # noqa: F401,E402
                            sparse_tensor_to_dense)
from .sparse_ops import (edit_distance, sparse_placeholder, sparse_to_dense,  # noqa: F401,E402
                         sparse_tensor_dense_matmul)
from .sparse_ops import embedding_lookup_sparse as _els  # noqa: E402
nn.embedding_lookup_sparse = _els
from .tensor_util import constant_value as get_static_value  # noqa: F401,E402
from . import image_ops as image  # noqa: E402,F401
from . import image_color as _image_color  # noqa: E402
for _n in _image_color.__all__:
    setattr(image, _n, getattr(_image_color, _n))
random_crop = image.random_crop   # (TF 1's top-level name too)
from .extra_ops import log_sigmoid  # noqa: E402,F401  (TF 1's tf.log_sigmoid)
nn.log_sigmoid = log_sigmoid   # (tf.nn's, the same function)
from . import nn_stats as _nn_stats  # noqa: E402
for _n in _nn_stats.__all__:
    setattr(nn, _n, getattr(_nn_stats, _n))
math.zero_fraction = _nn_stats.zero_fraction
from . import bitwise_ops as bitwise  # noqa: E402,F401  (tf.bitwise)
from . import math_extra_ops as _mx  # noqa: E402
for _n in _mx.__all__:     # (TF 1's: the segment reductions, scalar_mul, histograms top-level)
    setattr(math, _n, getattr(_mx, _n))
for _n in ("segment_max", "segment_min", "segment_prod", "segment_mean", "unsorted_segment_max",
           "unsorted_segment_min", "unsorted_segment_prod", "unsorted_segment_mean",
           "scalar_mul", "histogram_fixed_width", "histogram_fixed_width_bins"):
    globals()[_n] = getattr(_mx, _n)
from . import tf_record as _tfr  # noqa: E402
python_io = _types.ModuleType("ndgrad.tf.python_io", "tf.python_io: TFRecord files.")
for _n in ("TFRecordWriter", "tf_record_iterator", "TFRecordOptions",
           "TFRecordCompressionType"):
    setattr(python_io, _n, getattr(_tfr, _n))
io = _types.ModuleType("ndgrad.tf.io", "tf.io: files, parsing and TFRecord names.")
for _n, _v in (("read_file", read_file), ("write_file", write_file),
               ("matching_files", matching_files), ("decode_csv", decode_csv),
               ("decode_raw", decode_raw), ("parse_single_example", parse_single_example),
               ("parse_example", parse_example), ("FixedLenFeature", FixedLenFeature),
               ("VarLenFeature", VarLenFeature), ("TFRecordWriter", _tfr.TFRecordWriter),
               ("tf_record_iterator", _tfr.tf_record_iterator),
               ("TFRecordOptions", _tfr.TFRecordOptions),
               ("decode_png", image.decode_png), ("decode_jpeg", image.decode_jpeg),
               ("decode_image", image.decode_image), ("encode_png", image.encode_png),
               ("encode_jpeg", image.encode_jpeg)):
    setattr(io, _n, _v)
sparse = _types.ModuleType("ndgrad.tf.sparse", "tf.sparse: sparse tensors.")
sparse.SparseTensor = SparseTensor
sparse.to_dense = sparse_tensor_to_dense
sparse.placeholder = sparse_placeholder
sparse.sparse_dense_matmul = sparse_tensor_dense_matmul
sparse.matmul = sparse_tensor_dense_matmul
del _tfr, _n, _v

# -- tf.data: datasets and their iterators -----------------------------------------------
from . import dataset_ops as _dataset_ops  # noqa: E402
data = _types.ModuleType("ndgrad.tf.data", "tf.data: datasets and their iterators.")
for _n in ("Dataset", "Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "TextLineDataset", "TFRecordDataset"):
    setattr(data, _n, getattr(_dataset_ops, _n))
data.experimental = _types.ModuleType("ndgrad.tf.data.experimental",
                                      "tf.data.experimental: transformations for apply.")
data.experimental.unbatch = _dataset_ops.unbatch
del _n

# -- matrix decompositions and solvers; streaming metrics --------------------------------
from .linalg_ops import *  # noqa: E402,F401,F403
from . import metrics  # noqa: E402,F401

# -- TF 1's roll (tf.manip), bincount, confusion_matrix, setdiff1d, lbeta, more checks ----
from .manip_ops import roll, manip, meshgrid  # noqa: E402,F401
from .spectral_ops import (fft, ifft, fft2d, ifft2d, fft3d, ifft3d,  # noqa: E402,F401
                           spectral, signal)
from .confusion_matrix import confusion_matrix  # noqa: E402,F401
from .array_ops import setdiff1d  # noqa: E402,F401
from .special_math_ops import lbeta  # noqa: E402,F401
from .check_ops import assert_proper_iterable  # noqa: E402,F401
math.confusion_matrix = confusion_matrix   # (tf.math.bincount, tf.math.lbeta come from __all__)
for _n in ("gather_nd", "reshape", "reverse", "scatter_nd", "tile"):   # TF 1's tf.manip names
    setattr(manip, _n, globals()[_n])
del _n
# TF 1.13-1.15 functions TF writes as compositions of other ops
from .composite_ops import (repeat, shape_n, to_complex64, to_complex128,  # noqa: E402,F401
                            broadcast_static_shape)
from . import composite_ops as _comp  # noqa: E402
math.polyval, math.is_non_decreasing = _comp.polyval, _comp.is_non_decreasing
math.is_strictly_increasing = _comp.is_strictly_increasing
linalg.matvec, linalg.normalize = _comp.matvec, _comp.normalize
linalg.tensor_diag, linalg.tensor_diag_part = _comp.tensor_diag, _comp.tensor_diag_part
nn.relu_layer, nn.silu = _comp.relu_layer, _comp.silu
nn.space_to_depth, nn.depth_to_space = _comp.space_to_depth, _comp.depth_to_space
space_to_depth, depth_to_space = _comp.space_to_depth, _comp.depth_to_space
image.transpose = image.transpose_image
image.resize_with_crop_or_pad = image.resize_image_with_crop_or_pad
# TF 1.13+'s second names of functions above (the same functions)
math.softmax, math.log_softmax = nn.softmax, nn.log_softmax
nn.max_pool2d, nn.avg_pool2d = nn.max_pool, nn.avg_pool
linalg.global_norm = global_norm
from . import python  # noqa: E402,F401  (tensorflow.python.framework.ops ...: TF's module paths)
from .indexed_slices import IndexedSlices  # noqa: E402,F401
from .moving_averages import moving_average_variables  # noqa: E402,F401


def __getattr__(name):
    # tf.print: answered here, not bound as a global of this module, where it would
    # shadow the builtin print for this module's own code and doctests and for
    # ``from ndgrad.tf import *``
    if name == "print":
        return print_v2
    # tf.app and tf.flags import absl (extra ``app``) on first use
    if name in ("app", "flags"):
        import importlib
        mod = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = mod
        return mod
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
