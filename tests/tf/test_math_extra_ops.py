"""ndgrad.tf.math_extra_ops against TensorFlow 2.15: segment max/min/prod/mean (sorted and
unsorted), multiply_no_nan, reciprocal_no_nan, scalar_mul, approximate_equal, nextafter,
the Bessel I0/I1 functions and the fixed-width histograms. ``EXPECTED`` holds TF 2.15's
outputs (``tf.compat.v1`` in graph mode: values, dtypes, static shapes, the gradients for
cotangents ``0.5, 1, 1.5, 2, 0.5 ...``, or the error type and whether it came while
building or running), printed by TF for ``CASES`` and pasted here: the test needs no TF."""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.tf import math_extra_ops as mx
from tests.helpers import fd_grad_np

nan, inf = float("nan"), float("inf")


def make_arg(tf, spec):
    if isinstance(spec, tuple):
        k = spec[0]
        if k == "a":
            return tf.constant(np.array(spec[1], dtype=spec[2]))
        if k == "zeros03":
            return tf.constant(np.zeros((0, 3), np.float32))
        if k == "i64":
            return tf.constant(spec[1], dtype=tf.int64)
        if k == "np64":
            return np.float64(spec[1])
        if k == "npi32":
            return np.array(spec[1], np.int32)
    return spec

def pack(v):
    v = np.asarray(v)
    return (v.tolist(), v.dtype.name, list(v.shape))

def evaluate(tf, fn, args, kwargs, gidx):
    """('build'|'run', error type name) or (value, dtype, static shape, grads)."""
    kwargs = dict(kwargs)
    if "dtype" in kwargs:
        kwargs["dtype"] = getattr(tf, kwargs["dtype"])
    with tf.Graph().as_default():
        built = [make_arg(tf, a) for a in args]
        try:
            y = fn(*built, **kwargs)
        except Exception as e:
            return ("build", type(e).__name__)
        static = None if y.shape.dims is None else y.shape.as_list()
        grads = []
        with tf.Session() as s:
            try:
                val = s.run(y)
            except Exception as e:
                return ("run", type(e).__name__)
            for i in gidx:
                gy = ((np.arange(np.size(val)) % 4 + 1) * 0.5).astype(val.dtype).reshape(np.shape(val))
                g, = tf.gradients(y, [built[i]], grad_ys=tf.constant(gy))
                grads.append(None if g is None else pack(s.run(g)))
        return (pack(val), static, grads)

# an arg: ("a", values, dtype) -> a constant; anything else passed as is
A = lambda v, dt="float32": ("a", v, dt)
CASES = [
 ("smax_ties", "segment_max", [A([1, 5, 5, 2, 3, 3]), A([0, 0, 0, 2, 3, 3], "int32")], {}, [0]),
 ("smax_2d", "segment_max", [A([[1, 8], [3, 8], [5, 6], [0, -1]]), A([0, 0, 1, 1], "int64")], {}, [0]),
 ("smax_nan_last", "segment_max", [A([1, 2, nan, 4]), A([0, 0, 0, 1], "int32")], {}, [0]),
 ("smax_nan_first", "segment_max", [A([nan, 1, 2]), A([0, 0, 0], "int32")], {}, [0]),
 ("smax_int", "segment_max", [A([3, 1, 7], "int32"), A([0, 2, 2], "int32")], {}, []),
 ("smax_f64", "segment_max", [A([3, 1, 7, -inf], "float64"), A([0, 2, 2, 3], "int32")], {}, [0]),
 ("smax_uint8", "segment_max", [A([3, 1, 7], "uint8"), A([0, 2, 2], "int32")], {}, []),
 ("smax_nan_wide", "segment_max", [A([[0,1,2,3,4,nan,6,7,8,9],[10,11,12,nan,14,15,16,17,18,nan],[20,21,22,23,24,25,26,27,nan,29],[30,31,32,33,34,35,36,nan,38,39]]), A([0, 0, 0, 0], "int32")], {}, [0]),
 ("smin_nan_wide", "segment_min", [A([[0,1,2,3,4,nan,6,7,8,9],[10,11,12,nan,14,15,16,17,18,nan],[20,21,22,23,24,25,26,27,nan,29],[30,31,32,33,34,35,36,nan,38,39]]), A([0, 0, 1, 1], "int64")], {}, [0]),
 ("smax_nan_wide64", "segment_max", [A([[0,1,2,3,4,nan,6,7,8,9],[10,11,12,nan,14,15,16,17,18,nan],[20,21,22,23,24,25,26,27,nan,29],[30,31,32,33,34,35,36,nan,38,39]], "float64"), A([0, 0, 0, 1], "int32")], {}, []),
 ("umax_nan_wide", "unsorted_segment_max", [A([[0,1,2,3,4,nan,6,7,8,9],[10,11,12,nan,14,15,16,17,18,nan],[20,21,22,23,24,25,26,27,nan,29],[30,31,32,33,34,35,36,nan,38,39]]), A([0, 0, 0, 0], "int32"), 1], {}, [0]),
 ("smin_nan_1d20", "segment_min", [A([0,1,2,nan,4,5,6,7,8,9,10,11,12,13,14,15,16,nan,18,19]), A([0]*20, "int32")], {}, []),
 ("smax_neginf", "segment_max", [A([-inf, -inf, -inf]), A([0, 0, 1], "int32")], {}, []),
 ("umax_neginf", "unsorted_segment_max", [A([-inf, -inf]), A([0, 1], "int32"), 2], {}, []),
 ("umin_posinf", "unsorted_segment_min", [A([inf, inf]), A([0, 0], "int32"), 2], {}, []),
 ("smax_nan_3col", "segment_max", [A([[1, nan, 3], [nan, 2, 1]]), A([0, 0], "int32")], {}, []),
 ("smin_ties", "segment_min", [A([1, 1, 5, 2, 3, 3]), A([0, 0, 0, 2, 3, 3], "int32")], {}, [0]),
 ("smin_nan_mid", "segment_min", [A([1, nan, 2, 4]), A([0, 0, 0, 1], "int32")], {}, [0]),
 ("smin_int64", "segment_min", [A([[3, 1], [7, 0]], "int64"), A([1, 1], "int32")], {}, []),
 ("sprod", "segment_prod", [A([2, 3, 4, 5, 6]), A([0, 0, 1, 3, 3], "int32")], {}, [0]),
 ("sprod_zero1", "segment_prod", [A([2, 0, 4, 5, 0, 0, 7]), A([0, 0, 0, 1, 1, 1, 2], "int32")], {}, [0]),
 ("sprod_2d", "segment_prod", [A([[2, 0], [3, 4], [0, 5]], "float64"), A([0, 0, 0], "int32")], {}, [0]),
 ("sprod_int", "segment_prod", [A([2, 3, 4], "int32"), A([0, 0, 2], "int32")], {}, []),
 ("sprod_c64", "segment_prod", [A([1+2j, 3-1j, 2j], "complex64"), A([0, 0, 1], "int32")], {}, []),
 ("smean", "segment_mean", [A([1, 2, 6, 7, 8]), A([0, 0, 2, 2, 2], "int32")], {}, [0]),
 ("smean_2d", "segment_mean", [A([[1, 2], [3, 5], [6, 7]], "float64"), A([0, 0, 3], "int64")], {}, [0]),
 ("smean_int", "segment_mean", [A([-1, -2, 4, 5], "int32"), A([0, 0, 1, 1], "int32")], {}, []),
 ("smean_f16", "segment_mean", [A([1, 2, 4], "float16"), A([0, 0, 1], "int32")], {}, [0]),
 ("smean_c128", "segment_mean", [A([1+2j, 3-1j], "complex128"), A([0, 0], "int32")], {}, []),
 ("s_empty", "segment_max", [("zeros03", None, "float32"), A([], "int32")], {}, []),
 ("s_unsorted_err", "segment_max", [A([1, 2, 3]), A([0, 2, 1], "int32")], {}, []),
 ("s_neg_err", "segment_mean", [A([1, 2, 3]), A([-1, 0, 1], "int32")], {}, []),
 ("s_size_err", "segment_prod", [A([1, 2, 3]), A([0, 1], "int32")], {}, []),
 ("s_rank2_err", "segment_min", [A([[1, 2], [3, 4]]), A([[0, 0], [1, 1]], "int32")], {}, []),
 ("s_complex_err", "segment_max", [A([1, 2], "complex64"), A([0, 1], "int32")], {}, []),
 ("s_bool_err", "segment_prod", [A([True, False], "bool"), A([0, 1], "int32")], {}, []),
 ("s_ids16_err", "segment_mean", [A([1, 2]), A([0, 1], "int16")], {}, []),
 ("s_idsf_err", "segment_max", [A([1, 2]), A([0, 1], "float32")], {}, []),
 ("umax", "unsorted_segment_max", [A([1, 5, 3, 5, 2]), A([2, 0, 2, 0, -1], "int32"), 4], {}, [0]),
 ("umax_2dids", "unsorted_segment_max", [A([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]]), A([[0, 1], [1, -1]], "int32"), 2], {}, [0]),
 ("umax_nan", "unsorted_segment_max", [A([[1, nan], [nan, 2], [3, 1], [0, nan]]), A([0, 0, 1, 1], "int32"), 2], {}, [0]),
 ("umax_int", "unsorted_segment_max", [A([4, 1, 3], "int32"), A([1, -1, 1], "int32"), 3], {}, []),
 ("umax_n64", "unsorted_segment_max", [A([4, 1, 3], "float64"), A([1, 0, 1], "int64"), ("i64", 3)], {}, [0]),
 ("umin", "unsorted_segment_min", [A([1, 5, 1, 5, 2]), A([2, 0, 2, 0, -1], "int32"), 4], {}, [0]),
 ("umin_nan", "unsorted_segment_min", [A([3, nan, 23, 33]), A([0, 0, 0, 0], "int32"), 1], {}, [0]),
 ("umin_u8", "unsorted_segment_min", [A([4, 1, 3], "uint8"), A([1, -1, 1], "int32"), 3], {}, []),
 ("uprod", "unsorted_segment_prod", [A([2, 3, 4, 0, 5, 0, 0, 6]), A([1, 1, -1, 0, 0, 2, 2, 2], "int32"), 4], {}, [0]),
 ("uprod_2d", "unsorted_segment_prod", [A([[2, 3], [0, 4], [5, 6]], "float64"), A([1, 1, 0], "int32"), 2], {}, [0]),
 ("uprod_c", "unsorted_segment_prod", [A([1+1j, 2, 3j], "complex64"), A([0, 0, 1], "int32"), 2], {}, []),
 ("umean", "unsorted_segment_mean", [A([1, 2, 6, 8, 3]), A([0, 0, 2, -1, 2], "int32"), 4], {}, [0]),
 ("umean_2dids", "unsorted_segment_mean", [A([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]], "float64"), A([[0, 1], [1, 1]], "int32"), 3], {}, [0]),
 ("umean_int", "unsorted_segment_mean", [A([1, 2, 4], "int32"), A([0, 0, 1], "int32"), 3], {}, []),
 ("umean_u8", "unsorted_segment_mean", [A([1, 2, 4], "uint8"), A([0, 0, 1], "int32"), 3], {}, []),
 ("umean_f16", "unsorted_segment_mean", [A([1, 2, 4], "float16"), A([0, 0, 1], "int32"), 3], {}, []),
 ("umean_ids16", "unsorted_segment_mean", [A([1, 2, 4]), A([0, 0, 1], "int16"), 2], {}, []),
 ("umean_c_err", "unsorted_segment_mean", [A([1, 2], "complex64"), A([0, 1], "int32"), 2], {}, []),
 ("u_oob_err", "unsorted_segment_max", [A([1, 2, 3]), A([0, 3, 1], "int32"), 3], {}, []),
 ("u_oob_err2", "unsorted_segment_prod", [A([1, 2, 3]), A([0, 3, 1], "int32"), 3], {}, []),
 ("u_oob_err3", "unsorted_segment_mean", [A([1, 2, 3]), A([0, 3, 1], "int32"), 3], {}, []),
 ("u_prefix_err", "unsorted_segment_min", [A([[1, 2], [3, 4]]), A([0, 1, 1], "int32"), 2], {}, []),
 ("u_nneg_err", "unsorted_segment_max", [A([1, 2]), A([0, 0], "int32"), -1], {}, []),
 ("u_n0", "unsorted_segment_prod", [A([1, 2]), A([-1, -1], "int32"), 0], {}, []),
 ("u_complex_err", "unsorted_segment_max", [A([1, 2], "complex64"), A([0, 1], "int32"), 2], {}, []),
 ("u_ids16_err", "unsorted_segment_prod", [A([1, 2]), A([0, 1], "int16"), 2], {}, []),
 ("mnn", "multiply_no_nan", [A([inf, nan, 2, 0, 0, 3, -1.5]), A([0, 0, 3, inf, nan, -0.0, 2])], {}, [0, 1]),
 ("mnn_bcast", "multiply_no_nan", [A([[1], [2]]), A([0, 3, 4])], {}, [0, 1]),
 ("mnn_f64", "multiply_no_nan", [A([1, inf], "float64"), A([2, 0], "float64")], {}, [0, 1]),
 ("mnn_c", "multiply_no_nan", [A([1+1j, 2], "complex64"), A([2j, 0], "complex64")], {}, []),
 ("mnn_f16", "multiply_no_nan", [A([1.5, 2], "float16"), A([2, 0], "float16")], {}, [0, 1]),
 ("mnn_list_y", "multiply_no_nan", [A([1, 2]), [0, 3]], {}, [0]),
 ("mnn_int_err", "multiply_no_nan", [A([1, 2], "int32"), A([0, 3], "int32")], {}, []),
 ("mnn_mix_err", "multiply_no_nan", [A([1, 2]), A([0, 3], "float64")], {}, []),
 ("rnn", "reciprocal_no_nan", [A([2, 0.5, 0, -0.0, 1, inf, nan, 3, -4])], {}, [0]),
 ("rnn_f64", "reciprocal_no_nan", [A([2, 0, -3], "float64")], {}, [0]),
 ("rnn_f16", "reciprocal_no_nan", [A([2, 0, -3], "float16")], {}, [0]),
 ("rnn_c", "reciprocal_no_nan", [A([1+1j, 0], "complex64")], {}, []),
 ("rnn_list", "reciprocal_no_nan", [[2.0, 0.0]], {}, []),
 ("rnn_int_err", "reciprocal_no_nan", [A([2, 0], "int32")], {}, []),
 ("smul", "scalar_mul", [2, A([1, 2])], {}, [1]),
 ("smul_t", "scalar_mul", [A(3.0), A([1, 2])], {}, [0, 1]),
 ("smul_int", "scalar_mul", [2, A([1, 2], "int32")], {}, []),
 ("smul_np64", "scalar_mul", [("np64", 2.0), A([1, 2])], {}, []),
 ("smul_float_int_err", "scalar_mul", [2.5, A([1, 2], "int32")], {}, []),
 ("smul_rank_err", "scalar_mul", [[2.0], A([1, 2])], {}, []),
 ("smul_dtype_err", "scalar_mul", [A(2.0, "float64"), A([1, 2])], {}, []),
 ("aeq", "approximate_equal", [A([1, 1, 1, nan, inf, inf, 0]), A([1.00001, 1.000009, 1.1, nan, inf, -inf, -0.0])], {}, []),
 ("aeq_tol", "approximate_equal", [A([1, 2, 1, 2]), A([1.4, 2.6, 1.5, 2.5])], {"tolerance": 0.5}, []),
 ("aeq_f64", "approximate_equal", [A([1, 1, 1], "float64"), A([1.00001, 1.0000099999, 1.00000999999], "float64")], {}, []),
 ("aeq_list", "approximate_equal", [A([1, 2]), [1, 2.00001]], {}, []),
 ("aeq_shape_err", "approximate_equal", [A([1, 2]), A([1])], {}, []),
 ("aeq_bcast_err", "approximate_equal", [A([[1, 2]]), A([[1], [2]])], {}, []),
 ("aeq_mix_err", "approximate_equal", [A([1, 2]), A([1, 2], "float64")], {}, []),
 ("nxa", "nextafter", [A([1, 1, 0, 0, nan, 1, inf, 3.4028235e+38, -0.0, 5]), A([2, 0, 1, -1, 1, nan, 0, inf, 0.0, 5])], {}, [0, 1]),
 ("nxa_f64", "nextafter", [A([1, 0], "float64"), A([2, -1], "float64")], {}, [0, 1]),
 ("nxa_bcast", "nextafter", [A([[1], [2]]), A([0, 3])], {}, [0, 1]),
 ("nxa_lists", "nextafter", [[1.0, 2], [2, 3]], {}, []),
 ("nxa_ints", "nextafter", [1, 2], {}, []),
 ("nxa_np_int", "nextafter", [("npi32", [1, 2]), ("npi32", [2, 1])], {}, []),
 ("nxa_f16_err", "nextafter", [A([1, 2], "float16"), A([2, 1], "float16")], {}, []),
 ("nxa_mix_err", "nextafter", [A([1, 2]), A([2, 1], "float64")], {}, []),
]
XS = [-3, -1, -0.5, 0, 1e-20, 0.5, 1, 5, 20, 80, 100, 700, inf, -inf, nan]
for k in ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e"]:
    for dt in ["float32", "float64", "float16"]:
        CASES.append((f"{k}_{dt}", k, [A(XS, dt)], {}, []))
    CASES.append((f"{k}_grad", k, [A([-3, -1, -0.5, 0, 0.5, 1, 5, 20], "float64")], {}, [0]))
    CASES.append((f"{k}_grad32", k, [A([-3, -1, -0.5, 0, 0.5, 1, 5, 20])], {}, [0]))
    CASES.append((f"{k}_int_err", k, [A([1, 2], "int32")], {}, []))
    CASES.append((f"{k}_list_err", k, [[1, 2]], {}, []))
HV = [-1.0, 0.0, 1.5, 2.0, 5.0, 15, inf, -inf, 4.9999, 0.0001]
CASES += [
 ("hist", "histogram_fixed_width", [A(HV), A([0, 5])], {"nbins": 5}, []),
 ("hist_nan", "histogram_fixed_width", [A([1, nan]), A([0, 5])], {"nbins": 5}, []),
 ("hist_int", "histogram_fixed_width", [A([-1, 0, 1, 2, 5, 15, 3], "int32"), A([0, 5], "int32")], {"nbins": 3}, []),
 ("hist_i64", "histogram_fixed_width", [A([-1, 0, 1, 2, 5, 15, 3], "int64"), A([0, 5], "int64")], {"nbins": 3, "dtype": "int64"}, []),
 ("hist_2d", "histogram_fixed_width", [A([[1, 2], [3, 4]]), A([0, 5])], {"nbins": 3}, []),
 ("hist_empty", "histogram_fixed_width", [A([]), A([0, 5])], {"nbins": 3}, []),
 ("hist_f64", "histogram_fixed_width", [A([0.1, 0.2, 0.3, 0.7, 0.9999999, 0.6], "float64"), A([0.1, 1.0], "float64")], {"nbins": 9}, []),
 ("hist_f32_edges", "histogram_fixed_width", [A([0.1, 0.2, 0.3, 0.7, 0.9999999, 0.6]), A([0.1, 1.0])], {"nbins": 9}, []),
 ("hist_many", "histogram_fixed_width", [A([i / 7 for i in range(100)]), A([0.3, 13.1])], {"nbins": 7}, []),
 ("hist_range_eq_err", "histogram_fixed_width", [A([1, 2]), A([5, 5])], {"nbins": 3}, []),
 ("hist_range_rev_err", "histogram_fixed_width", [A([1, 2]), A([5, 0])], {"nbins": 3}, []),
 ("hist_nbins0_err", "histogram_fixed_width", [A([1, 2]), A([0, 5])], {"nbins": 0}, []),
 ("hist_range3_err", "histogram_fixed_width", [A([1, 2]), A([0, 5, 6])], {"nbins": 3}, []),
 ("hist_dtype_err", "histogram_fixed_width", [A([1, 2]), A([0, 5])], {"nbins": 3, "dtype": "float32"}, []),
 ("hist_list_range", "histogram_fixed_width", [A([1, 2]), [0, 5]], {"nbins": 3}, []),
 ("hist_f16_err", "histogram_fixed_width", [A([1, 2], "float16"), A([0, 5], "float16")], {"nbins": 3}, []),
 ("hist_list_mix_err", "histogram_fixed_width", [[1, 2], [0., 5]], {"nbins": 3}, []),
 ("bins", "histogram_fixed_width_bins", [A(HV), A([0, 5])], {"nbins": 5}, []),
 ("bins_nan", "histogram_fixed_width_bins", [A([1, nan, 3]), A([0, 5])], {"nbins": 5}, []),
 ("bins_2d", "histogram_fixed_width_bins", [A([[1, 2], [3, 4]]), A([0, 5])], {"nbins": 3}, []),
 ("bins_f64", "histogram_fixed_width_bins", [A([-1, 0, 1, 2, 5, 15, 3], "float64"), A([0, 5], "float64")], {"nbins": 3, "dtype": "int64"}, []),
 ("bins_rev", "histogram_fixed_width_bins", [A([1, 2]), A([5, 0])], {"nbins": 3}, []),
 ("bins_eq", "histogram_fixed_width_bins", [A([1, 2, 5]), A([5, 5])], {"nbins": 3}, []),
 ("bins_edges", "histogram_fixed_width_bins", [A([0.1, 0.2, 0.3, 0.7, 0.9999999, 0.6]), A([0.1, 1.0])], {"nbins": 9}, []),
 ("bins_many", "histogram_fixed_width_bins", [A([i / 7 for i in range(100)]), A([0.3, 13.1])], {"nbins": 7}, []),
 ("bins_f16", "histogram_fixed_width_bins", [A([1, 2, 4.9], "float16"), A([0, 5], "float16")], {"nbins": 3}, []),
 ("bins_nbins0_err", "histogram_fixed_width_bins", [A([1, 2]), A([0, 5])], {"nbins": 0}, []),
 ("bins_int_err", "histogram_fixed_width_bins", [A([1, 2], "int32"), A([0, 5], "int32")], {"nbins": 3}, []),
 ("bins_list_range_err", "histogram_fixed_width_bins", [A([1, 2]), [0, 5]], {"nbins": 3}, []),
]


EXPECTED = {
    'smax_ties': (([5.0, 0.0, 2.0, 3.0], 'float32', [4]), [None], [([0.0, 0.25, 0.25, 1.5, 1.0, 1.0], 'float32', [6])]),
    'smax_2d': (([[3.0, 8.0], [5.0, 6.0]], 'float32', [2, 2]), [None, 2], [([[0.0, 0.5], [0.5, 0.5], [1.5, 2.0], [0.0, 0.0]], 'float32', [4, 2])]),
    'smax_nan_last': (([nan, 4.0], 'float32', [2]), [None], [([0.0, 0.0, 0.0, 1.0], 'float32', [4])]),
    'smax_nan_first': (([2.0], 'float32', [1]), [None], [([0.0, 0.0, 0.5], 'float32', [3])]),
    'smax_int': (([3, 0, 7], 'int32', [3]), [None], []),
    'smax_f64': (([3.0, 0.0, 7.0, -inf], 'float64', [4]), [None], [([0.5, 0.0, 1.5, 2.0], 'float64', [4])]),
    'smax_uint8': (([3, 0, 7], 'uint8', [3]), [None], []),
    'smax_nan_wide': (([[30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 27.0, 38.0, 39.0]], 'float32', [1, 10]), [None, 10], [([[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0], [0.5, 1.0, 1.5, 2.0, 0.5, 1.0, 1.5, 0.0, 0.5, 1.0]], 'float32', [4, 10])]),
    'smin_nan_wide': (([[0.0, 1.0, 2.0, 3.0, 4.0, 15.0, 6.0, 7.0, 8.0, nan], [20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 38.0, 29.0]], 'float32', [2, 10]), [None, 10], [([[0.5, 1.0, 1.5, 2.0, 0.5, 0.0, 1.5, 2.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.5, 2.0, 0.5, 1.0, 1.5, 2.0, 0.5, 1.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0]], 'float32', [4, 10])]),
    'smax_nan_wide64': (([[20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, nan, 29.0], [30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, nan, 38.0, 39.0]], 'float64', [2, 10]), [None, 10], []),
    'umax_nan_wide': (([[30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, nan, 38.0, 39.0]], 'float32', [1, 10]), [1, 10], [([[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.5, 1.0, 1.5, 2.0, 0.5, 1.0, 1.5, 0.0, 0.5, 1.0]], 'float32', [4, 10])]),
    'smin_nan_1d20': (([18.0], 'float32', [1]), [None], []),
    'smax_neginf': (([-inf, -inf], 'float32', [2]), [None], []),
    'umax_neginf': (([-3.4028234663852886e+38, -3.4028234663852886e+38], 'float32', [2]), [2], []),
    'umin_posinf': (([3.4028234663852886e+38, 3.4028234663852886e+38], 'float32', [2]), [2], []),
    'smax_nan_3col': (([[nan, 2.0, 3.0]], 'float32', [1, 3]), [None, 3], []),
    'smin_ties': (([1.0, 0.0, 2.0, 3.0], 'float32', [4]), [None], [([0.25, 0.25, 0.0, 1.5, 1.0, 1.0], 'float32', [6])]),
    'smin_nan_mid': (([2.0, 4.0], 'float32', [2]), [None], [([0.0, 0.0, 0.5, 1.0], 'float32', [4])]),
    'smin_int64': (([[0, 0], [3, 0]], 'int64', [2, 2]), [None, 2], []),
    'sprod': (([6.0, 4.0, 1.0, 30.0], 'float32', [4]), [None], [([1.5, 1.0, 1.0, 12.0, 10.0], 'float32', [5])]),
    'sprod_zero1': (([0.0, 0.0, 7.0], 'float32', [3]), [None], [([0.0, 4.0, 0.0, 0.0, 0.0, 0.0, 1.5], 'float32', [7])]),
    'sprod_2d': (([[0.0, 0.0]], 'float64', [1, 2]), [None, 2], [([[0.0, 20.0], [0.0, 0.0], [3.0, 0.0]], 'float64', [3, 2])]),
    'sprod_int': (([6, 1, 4], 'int32', [3]), [None], []),
    'sprod_c64': (([(5+5j), 2j], 'complex64', [2]), [None], []),
    'smean': (([1.5, 0.0, 7.0], 'float32', [3]), [None], [([0.25, 0.25, 0.5, 0.5, 0.5], 'float32', [5])]),
    'smean_2d': (([[2.0, 3.5], [0.0, 0.0], [0.0, 0.0], [6.0, 7.0]], 'float64', [4, 2]), [None, 2], [([[0.25, 0.5], [0.25, 0.5], [1.5, 2.0]], 'float64', [3, 2])]),
    'smean_int': (([-1, 4], 'int32', [2]), [None], []),
    'smean_f16': (([1.5, 4.0], 'float16', [2]), [None], [([0.25, 0.25, 1.0], 'float16', [3])]),
    'smean_c128': (([(2+0.5j)], 'complex128', [1]), [None], []),
    's_empty': (([], 'float32', [0, 3]), [None, 3], []),
    's_unsorted_err': ('run', 'InvalidArgumentError'),
    's_neg_err': ('run', 'InvalidArgumentError'),
    's_size_err': ('run', 'InvalidArgumentError'),
    's_rank2_err': ('build', 'ValueError'),
    's_complex_err': ('build', 'TypeError'),
    's_bool_err': ('build', 'TypeError'),
    's_ids16_err': ('build', 'TypeError'),
    's_idsf_err': ('build', 'TypeError'),
    'umax': (([5.0, -3.4028234663852886e+38, 3.0, -3.4028234663852886e+38], 'float32', [4]), [4], [([0.0, 0.25, 1.5, 0.25, 0.0], 'float32', [5])]),
    'umax_2dids': (([[0.0, 1.0, 2.0], [6.0, 7.0, 8.0]], 'float32', [2, 3]), [2, 3], [([[[0.5, 1.0, 1.5], [0.0, 0.0, 0.0]], [[2.0, 0.5, 1.0], [0.0, 0.0, 0.0]]], 'float32', [2, 2, 3])]),
    'umax_nan': (([[nan, 2.0], [3.0, nan]], 'float32', [2, 2]), [2, 2], [([[0.0, 0.0], [0.0, 1.0], [1.5, 0.0], [0.0, 0.0]], 'float32', [4, 2])]),
    'umax_int': (([-2147483648, 4, -2147483648], 'int32', [3]), [3], []),
    'umax_n64': (([1.0, 4.0, -1.7976931348623157e+308], 'float64', [3]), [3], [([1.0, 0.5, 0.0], 'float64', [3])]),
    'umin': (([5.0, 3.4028234663852886e+38, 1.0, 3.4028234663852886e+38], 'float32', [4]), [4], [([0.75, 0.25, 0.75, 0.25, 0.0], 'float32', [5])]),
    'umin_nan': (([23.0], 'float32', [1]), [1], [([0.0, 0.0, 0.5, 0.0], 'float32', [4])]),
    'umin_u8': (([255, 3, 255], 'uint8', [3]), [3], []),
    'uprod': (([0.0, 6.0, 0.0, 1.0], 'float32', [4]), [4], [([3.0, 2.0, 0.0, 2.5, 0.0, 0.0, 0.0, 0.0], 'float32', [8])]),
    'uprod_2d': (([[5.0, 6.0], [0.0, 12.0]], 'float64', [2, 2]), [2, 2], [([[0.0, 8.0], [3.0, 6.0], [0.5, 1.0]], 'float64', [3, 2])]),
    'uprod_c': (([(2+2j), 3j], 'complex64', [2]), [2], []),
    'umean': (([1.5, 0.0, 4.5, 0.0], 'float32', [4]), [4], [([0.25, 0.25, 0.75, 0.0, 0.75], 'float32', [5])]),
    'umean_2dids': (([[0.0, 1.0, 2.0], [6.0, 7.0, 8.0], [0.0, 0.0, 0.0]], 'float64', [3, 3]), [3, 3], [([[[0.5, 1.0, 1.5], [0.6666666666666666, 0.16666666666666666, 0.3333333333333333]], [[0.6666666666666666, 0.16666666666666666, 0.3333333333333333], [0.6666666666666666, 0.16666666666666666, 0.3333333333333333]]], 'float64', [2, 2, 3])]),
    'umean_int': (([1.5, 4.0, 0.0], 'float64', [3]), [3], []),
    'umean_u8': (([1.5, 4.0, 0.0], 'float32', [3]), [3], []),
    'umean_f16': (([1.5, 4.0, 0.0], 'float16', [3]), [3], []),
    'umean_ids16': (([1.5, 4.0], 'float32', [2]), [2], []),
    'umean_c_err': ('build', 'TypeError'),
    'u_oob_err': ('run', 'InvalidArgumentError'),
    'u_oob_err2': ('run', 'InvalidArgumentError'),
    'u_oob_err3': ('run', 'InvalidArgumentError'),
    'u_prefix_err': ('build', 'ValueError'),
    'u_nneg_err': ('build', 'ValueError'),
    'u_n0': (([], 'float32', [0]), [0], []),
    'u_complex_err': ('build', 'TypeError'),
    'u_ids16_err': ('build', 'TypeError'),
    'mnn': (([0.0, 0.0, 6.0, nan, nan, 0.0, -3.0], 'float32', [7]), [7], [([0.0, 0.0, 4.5, inf, nan, 0.0, 3.0], 'float32', [7]), ([inf, nan, 3.0, 0.0, 0.0, 3.0, -2.25], 'float32', [7])]),
    'mnn_bcast': (([[0.0, 3.0, 4.0], [0.0, 6.0, 8.0]], 'float32', [2, 3]), [2, 3], [([[9.0], [5.5]], 'float32', [2, 1]), ([4.5, 2.0, 3.5], 'float32', [3])]),
    'mnn_f64': (([2.0, 0.0], 'float64', [2]), [2], [([1.0, 0.0], 'float64', [2]), ([0.5, inf], 'float64', [2])]),
    'mnn_c': (([(-2+2j), 0j], 'complex64', [2]), [2], []),
    'mnn_f16': (([3.0, 0.0], 'float16', [2]), [2], [([1.0, 0.0], 'float16', [2]), ([0.75, 2.0], 'float16', [2])]),
    'mnn_list_y': (([0.0, 6.0], 'float32', [2]), [2], [([0.0, 3.0], 'float32', [2])]),
    'mnn_int_err': ('build', 'TypeError'),
    'mnn_mix_err': ('build', 'ValueError'),
    'rnn': (([0.5, 2.0, 0.0, 0.0, 1.0, 0.0, nan, 0.3333333432674408, -0.25], 'float32', [9]), [9], [([-0.125, -4.0, 0.0, 0.0, -0.5, -0.0, nan, -0.2222222238779068, -0.03125], 'float32', [9])]),
    'rnn_f64': (([0.5, 0.0, -0.3333333333333333], 'float64', [3]), [3], [([-0.125, 0.0, -0.16666666666666666], 'float64', [3])]),
    'rnn_f16': (([0.5, 0.0, -0.333251953125], 'float16', [3]), [3], [([-0.125, 0.0, -0.1666259765625], 'float16', [3])]),
    'rnn_c': (([(0.5-0.5j), 0j], 'complex64', [2]), [2], []),
    'rnn_list': (([0.5, 0.0], 'float32', [2]), [2], []),
    'rnn_int_err': ('build', 'TypeError'),
    'smul': (([2.0, 4.0], 'float32', [2]), [2], [([1.0, 2.0], 'float32', [2])]),
    'smul_t': (([3.0, 6.0], 'float32', [2]), [2], [(2.5, 'float32', []), ([1.5, 3.0], 'float32', [2])]),
    'smul_int': (([2, 4], 'int32', [2]), [2], []),
    'smul_np64': (([2.0, 4.0], 'float32', [2]), [2], []),
    'smul_float_int_err': ('build', 'TypeError'),
    'smul_rank_err': ('build', 'ValueError'),
    'smul_dtype_err': ('build', 'ValueError'),
    'aeq': (([False, True, False, False, False, False, True], 'bool', [7]), [7], []),
    'aeq_tol': (([True, False, True, True], 'bool', [4]), [4], []),
    'aeq_f64': (([False, True, True], 'bool', [3]), [3], []),
    'aeq_list': (([True, False], 'bool', [2]), [2], []),
    'aeq_shape_err': ('build', 'ValueError'),
    'aeq_bcast_err': ('build', 'ValueError'),
    'aeq_mix_err': ('build', 'TypeError'),
    'nxa': (([1.0000001192092896, 0.9999999403953552, 1.401298464324817e-45, -1.401298464324817e-45, nan, nan, 3.4028234663852886e+38, inf, 0.0, 5.0], 'float32', [10]), [10], [([0.5, 1.0, 1.5, 2.0, 0.5, 1.0, 1.5, 2.0, 0.5, 1.0], 'float32', [10]), ([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 'float32', [10])]),
    'nxa_f64': (([1.0000000000000002, -5e-324], 'float64', [2]), [2], [([0.5, 1.0], 'float64', [2]), ([0.0, 0.0], 'float64', [2])]),
    'nxa_bcast': (([[0.9999999403953552, 1.0000001192092896], [1.9999998807907104, 2.000000238418579]], 'float32', [2, 2]), [2, 2], [([[1.5], [3.5]], 'float32', [2, 1]), ([0.0, 0.0], 'float32', [2])]),
    'nxa_lists': (([1.0000001192092896, 2.000000238418579], 'float32', [2]), [2], []),
    'nxa_ints': ((1.0000001192092896, 'float32', []), [], []),
    'nxa_np_int': (([1.0000001192092896, 1.9999998807907104], 'float32', [2]), [2], []),
    'nxa_f16_err': ('build', 'TypeError'),
    'nxa_mix_err': ('build', 'TypeError'),
    'bessel_i0_float32': (([4.88079309463501, 1.2660659551620483, 1.063483476638794, 1.0, 1.0, 1.063483476638794, 1.2660659551620483, 27.2398738861084, 43558276.0, 2.4751786307960005e+33, inf, inf, nan, nan, nan], 'float32', [15]), [15], []),
    'bessel_i0_float64': (([4.880792585865024, 1.2660658777520082, 1.0634833707413238, 1.0, 1.0, 1.0634833707413238, 1.2660658777520082, 27.23987182360444, 43558282.55955354, 2.4751784043341698e+33, 1.073751707131074e+42, 1.5295933476718735e+302, nan, nan, nan], 'float64', [15]), [15], []),
    'bessel_i0_float16': (([4.87890625, 1.265625, 1.0634765625, 1.0, 1.0, 1.0634765625, 1.265625, 27.234375, inf, inf, inf, inf, nan, nan, nan], 'float16', [15]), [15], []),
    'bessel_i0_grad': (([4.880792585865024, 1.2660658777520082, 1.0634833707413238, 1.0, 1.0634833707413238, 1.2660658777520082, 27.23987182360444, 43558282.55955354], 'float64', [8]), [8], [([-1.9766851087013046, -0.565159103992485, -0.3868414580863443, 0.0, 0.1289471526954481, 0.565159103992485, 36.5034632136758, 84909946.77025555], 'float64', [8])]),
    'bessel_i0_grad32': (([4.88079309463501, 1.2660659551620483, 1.063483476638794, 1.0, 1.063483476638794, 1.2660659551620483, 27.2398738861084, 43558276.0], 'float32', [8]), [8], [([-1.9766855239868164, -0.5651590824127197, -0.3868415057659149, 0.0, 0.1289471685886383, 0.5651590824127197, 36.50347137451172, 84909944.0], 'float32', [8])]),
    'bessel_i0_int_err': ('build', 'TypeError'),
    'bessel_i0_list_err': ('build', 'TypeError'),
    'bessel_i0e_float32': (([0.24300038814544678, 0.46575963497161865, 0.6450353860855103, 1.0, 1.0, 0.6450353860855103, 0.46575963497161865, 0.18354082107543945, 0.0897803008556366, 0.04467329382896423, 0.03994438052177429, 0.015081293880939484, 0.0, 0.0, nan], 'float32', [15]), [15], []),
    'bessel_i0e_float64': (([0.24300035416182536, 0.46575960759364043, 0.6450352704491502, 1.0, 1.0, 0.6450352704491502, 0.46575960759364043, 0.1835408126093283, 0.08978031188482603, 0.04467329178227527, 0.03994437929909669, 0.015081295651531355, 0.0, 0.0, nan], 'float64', [15]), [15], []),
    'bessel_i0e_float16': (([0.2430419921875, 0.4658203125, 0.64501953125, 1.0, 1.0, 0.64501953125, 0.4658203125, 0.18359375, 0.08978271484375, 0.044677734375, 0.039947509765625, 0.01508331298828125, 0.0, 0.0, nan], 'float16', [15]), [15], []),
    'bessel_i0e_grad': (([0.24300035416182536, 0.46575960759364043, 0.6450352704491502, 1.0, 0.6450352704491502, 0.46575960759364043, 0.1835408126093283, 0.08978031188482603], 'float64', [8]), [8], [([0.02308682043226226, 0.257849192243932, 0.732921700896418, 0.0, -0.2443072336321393, -0.257849192243932, -0.02935281849717883, -0.004548179403074726], 'float64', [8])]),
    'bessel_i0e_grad32': (([0.24300038814544678, 0.46575963497161865, 0.6450353860855103, 1.0, 0.6450353860855103, 0.46575963497161865, 0.18354082107543945, 0.0897803008556366], 'float32', [8]), [8], [([0.02308681607246399, 0.25784921646118164, 0.732921838760376, 0.0, -0.244307279586792, -0.25784921646118164, -0.02935277670621872, -0.004548162221908569], 'float32', [8])]),
    'bessel_i0e_int_err': ('build', 'TypeError'),
    'bessel_i0e_list_err': ('build', 'TypeError'),
    'bessel_i1_float32': (([-3.953371047973633, -0.5651590824127197, -0.2578943371772766, 0.0, 5.000000245224396e-21, 0.2578943371772766, 0.5651590824127197, 24.335647583007812, 42454972.0, 2.459659504978509e+33, inf, inf, nan, nan, nan], 'float32', [15]), [15], []),
    'bessel_i1_float64': (([-3.9533702174026093, -0.565159103992485, -0.2578943053908962, 0.0, 5e-21, 0.2578943053908962, 0.565159103992485, 24.335642142450535, 42454973.385127775, 2.4596595795675403e+33, 1.0683693903381627e+42, 1.5285003902339004e+302, nan, nan, nan], 'float64', [15]), [15], []),
    'bessel_i1_float16': (([-3.953125, -0.56494140625, -0.2578125, 0.0, 0.0, 0.2578125, 0.56494140625, 24.328125, inf, inf, inf, inf, nan, nan, nan], 'float16', [15]), [15], []),
    'bessel_i1_grad': (([-3.9533702174026093, -0.565159103992485, -0.2578943053908962, 0.0, 0.2578943053908962, 0.565159103992485, 24.335642142450535, 42454973.385127775], 'float64', [8]), [8], [([1.7815012566987436, 0.7009067737595231, 0.8215421399392971, 2.0, 0.2738473799797657, 0.7009067737595231, 33.559115092671504, 82871067.7805943], 'float64', [8])]),
    'bessel_i1_grad32': (([-3.953371047973633, -0.5651590824127197, -0.2578943371772766, 0.0, 0.2578943371772766, 0.5651590824127197, 24.335647583007812, 42454972.0], 'float32', [8]), [8], [([1.781501293182373, 0.7009068727493286, 0.8215422034263611, 2.0, 0.27384740114212036, 0.7009068727493286, 33.559120178222656, 82871056.0], 'float32', [8])]),
    'bessel_i1_int_err': ('build', 'TypeError'),
    'bessel_i1_list_err': ('build', 'TypeError'),
    'bessel_i1e_float32': (([-0.1968267560005188, -0.207910418510437, -0.15642082691192627, 0.0, 5.000000245224396e-21, 0.15642082691192627, 0.207910418510437, 0.16397230327129364, 0.08750621974468231, 0.04439319670200348, 0.03974415361881256, 0.015070519410073757, 0.0, -0.0, nan], 'float32', [15]), [15], []),
    'bessel_i1e_float64': (([-0.19682671329730084, -0.20791041534970844, -0.15642080318487162, 0.0, 5e-21, 0.15642080318487162, 0.20791041534970844, 0.16397226694454242, 0.08750622218328867, 0.04439320005809746, 0.039744153025130256, 0.015070519444716844, 0.0, -0.0, nan], 'float64', [15]), [15], []),
    'bessel_i1e_float16': (([-0.19677734375, -0.2078857421875, -0.1563720703125, 0.0, 0.0, 0.1563720703125, 0.2078857421875, 0.1639404296875, 0.0875244140625, 0.044403076171875, 0.03973388671875, 0.01506805419921875, 0.0, -0.0, nan], 'float16', [15]), [15], []),
    'bessel_i1e_grad': (([-0.19682671329730084, -0.20791041534970844, -0.15642080318487162, 0.0, 0.15642080318487162, 0.20791041534970844, 0.16397226694454242, 0.08750622218328867], 'float64', [8]), [8], [([-0.009717631783954545, 0.04993877689422355, 0.26365929134180305, 1.0, 0.08788643044726768, 0.04993877689422355, -0.019838861586183906, -0.004202442815254143], 'float64', [8])]),
    'bessel_i1e_grad32': (([-0.1968267560005188, -0.207910418510437, -0.15642082691192627, 0.0, 0.15642082691192627, 0.207910418510437, 0.16397230327129364, 0.08750621974468231], 'float32', [8]), [8], [([-0.00971764326095581, 0.04993879795074463, 0.26365935802459717, 1.0, 0.08788645267486572, 0.04993879795074463, -0.019838936626911163, -0.004202455282211304], 'float32', [8])]),
    'bessel_i1e_int_err': ('build', 'TypeError'),
    'bessel_i1e_list_err': ('build', 'TypeError'),
    'hist': (([4, 1, 1, 0, 4], 'int32', [5]), [5], []),
    'hist_nan': ('run', 'InvalidArgumentError'),
    'hist_int': (([3, 2, 2], 'int32', [3]), [3], []),
    'hist_i64': (([3, 2, 2], 'int64', [3]), [3], []),
    'hist_2d': (([1, 2, 1], 'int32', [3]), [3], []),
    'hist_empty': (([0, 0, 0], 'int32', [3]), [3], []),
    'hist_f64': (([1, 1, 1, 0, 0, 1, 1, 0, 1], 'int32', [9]), [9], []),
    'hist_f32_edges': (([1, 1, 1, 0, 0, 2, 0, 0, 1], 'int32', [9]), [9], []),
    'hist_many': (([15, 13, 13, 13, 13, 12, 21], 'int32', [7]), [7], []),
    'hist_range_eq_err': ('run', 'InvalidArgumentError'),
    'hist_range_rev_err': ('run', 'InvalidArgumentError'),
    'hist_nbins0_err': ('build', 'ValueError'),
    'hist_range3_err': ('build', 'ValueError'),
    'hist_dtype_err': ('build', 'TypeError'),
    'hist_list_range': (([1, 1, 0], 'int32', [3]), [3], []),
    'hist_f16_err': ('build', 'TypeError'),
    'hist_list_mix_err': ('build', 'TypeError'),
    'bins': (([0, 0, 1, 2, 4, 4, 4, 0, 4, 0], 'int32', [10]), [10], []),
    'bins_nan': (([1, -2147483648, 3], 'int32', [3]), [3], []),
    'bins_2d': (([[0, 1], [1, 2]], 'int32', [2, 2]), [2, 2], []),
    'bins_f64': (([0, 0, 0, 1, 2, 2, 1], 'int32', [7]), [7], []),
    'bins_rev': (([2, 1], 'int32', [2]), [2], []),
    'bins_eq': (([0, 0, -2147483648], 'int32', [3]), [3], []),
    'bins_edges': (([0, 1, 2, 5, 8, 5], 'int32', [6]), [6], []),
    'bins_many': (([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6], 'int32', [100]), [100], []),
    'bins_f16': (([0, 1, 2], 'int32', [3]), [3], []),
    'bins_nbins0_err': ('run', 'InvalidArgumentError'),
    'bins_int_err': ('build', 'TypeError'),
    'bins_list_range_err': ('build', 'TypeError'),
}


# ULPs allowed where TF's float kernels (Cephes' single-precision Bessel coefficients)
# and ndgrad's (SciPy's double precision, rounded) round differently
_ULPS = {"bessel": 8}


def _ulps_of(cid):
    return next((u for k, u in _ULPS.items() if cid.startswith(k)), 0)


def _same(actual, expected, ulps, what):
    vals, dtype, shape = expected
    a = np.asarray(actual)
    assert a.dtype.name == dtype, (what, a.dtype, dtype)
    assert list(a.shape) == shape, (what, a.shape, shape)
    e = np.array(vals, dtype=dtype).reshape(shape)
    if ulps and a.dtype.kind == "f":
        np.testing.assert_array_equal(np.isnan(a), np.isnan(e), err_msg=what)
        ok = ~np.isnan(e)
        # (ulps of the value, or of 0.25 where a gradient's terms cancel: i0e' at 5)
        tol = ulps * np.spacing(np.maximum(np.abs(e[ok]), 0.25).astype(a.dtype))
        assert np.all((a[ok] == e[ok]) | (np.abs(a[ok] - e[ok]) <= tol)), (what, a, e)
    else:
        np.testing.assert_array_equal(a, e, err_msg=what)
        if a.dtype.kind == "f":   # the sign of zeros too
            z = e == 0
            np.testing.assert_array_equal(np.signbit(a[z]), np.signbit(e[z]), err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_against_tf(case):
    cid, name, args, kwargs, gidx = case
    got = evaluate(tf, getattr(mx, name), args, kwargs, gidx)
    want = EXPECTED[cid]
    if isinstance(want[0], str):
        assert got == want, (got, want)
        return
    assert not isinstance(got[0], str), got
    _same(np.array(got[0][0], dtype=got[0][1]).reshape(got[0][2]), want[0], _ulps_of(cid), "value")
    assert got[1] == want[1], ("static shape", got[1], want[1])
    assert len(got[2]) == len(want[2])
    for g, w in zip(got[2], want[2]):
        if w is None:
            assert g is None
        else:
            _same(np.array(g[0], dtype=g[1]).reshape(g[2]), w, _ulps_of(cid) * 2, "gradient")


def test_cases_count():
    assert len(CASES) == len(EXPECTED) >= 150


# -- eager mode: the same values and errors -------------------------------------------------
def _eager_eval(name, args, kwargs):
    kwargs = dict(kwargs)
    if "dtype" in kwargs:
        kwargs["dtype"] = getattr(tf, kwargs["dtype"])
    try:
        return np.asarray(getattr(mx, name)(*[make_arg(tf, a) for a in args], **kwargs))
    except Exception as e:
        return type(e).__name__


@pytest.mark.parametrize("case", CASES[::2], ids=[c[0] for c in CASES[::2]])
def test_eager_matches_tf(case):
    cid, name, args, kwargs, _ = case
    tf.enable_eager_execution()
    got = _eager_eval(name, args, kwargs)
    want = EXPECTED[cid]
    if isinstance(want[0], str):
        # (TF's eager mode reports a shape function's ValueError as InvalidArgumentError)
        ok = {want[1], "InvalidArgumentError"} if want[1] == "ValueError" else {want[1]}
        assert got in ok, (got, want)
    else:
        _same(got, want[0], _ulps_of(cid), "eager value")


def test_eager_gradient_tape():
    tf.enable_eager_execution()
    x = tf.constant([1.0, 5.0, 5.0, 2.0, 3.0, 3.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = mx.segment_max(x, tf.constant([0, 0, 0, 2, 3, 3]))
    g = t.gradient(y, x, output_gradients=tf.constant([0.5, 1.0, 1.5, 2.0]))
    np.testing.assert_array_equal(np.asarray(g), [0.0, 0.25, 0.25, 1.5, 1.0, 1.0])  # TF
    a, b = tf.constant([np.inf, 2.0]), tf.constant([0.0, 3.0])
    with tf.GradientTape() as t:
        t.watch([a, b])
        y = mx.multiply_no_nan(a, b)
    ga, gb = t.gradient(y, [a, b])
    np.testing.assert_array_equal(np.asarray(ga), [0.0, 3.0])
    np.testing.assert_array_equal(np.asarray(gb), [np.inf, 2.0])


# -- gradients against finite differences ---------------------------------------------------
_RNG = np.random.default_rng(0)
_FD = [
    ("segment_max", lambda x: mx.segment_max(x, [0, 0, 1, 1, 1, 3])),
    ("segment_min", lambda x: mx.segment_min(x, [0, 0, 1, 1, 1, 3])),
    ("segment_prod", lambda x: mx.segment_prod(x, [0, 0, 1, 1, 1, 3])),
    ("segment_mean", lambda x: mx.segment_mean(x, [0, 0, 1, 1, 1, 3])),
    ("unsorted_segment_max", lambda x: mx.unsorted_segment_max(x, [2, 0, -1, 2, 0, 1], 3)),
    ("unsorted_segment_min", lambda x: mx.unsorted_segment_min(x, [2, 0, -1, 2, 0, 1], 3)),
    ("unsorted_segment_prod", lambda x: mx.unsorted_segment_prod(x, [2, 0, -1, 2, 0, 1], 4)),
    ("unsorted_segment_mean", lambda x: mx.unsorted_segment_mean(x, [2, 0, -1, 2, 0, 1], 4)),
    ("bessel_i0", mx.bessel_i0), ("bessel_i0e", mx.bessel_i0e),
    ("bessel_i1", mx.bessel_i1), ("bessel_i1e", mx.bessel_i1e),
    ("reciprocal_no_nan", mx.reciprocal_no_nan),
    ("multiply_no_nan", lambda x: mx.multiply_no_nan(x, x[::-1] * 2.0)),
]


@pytest.mark.parametrize("name,f", _FD, ids=[n for n, _ in _FD])
def test_gradient_finite_differences(name, f):
    x0 = _RNG.uniform(0.5, 2.0, (6, 2)) * _RNG.choice([-1, 1], (6, 2))
    if name.startswith("unsorted") or name.startswith("segment"):
        pass
    else:
        x0 = x0.reshape(-1)
    w = _RNG.uniform(0.5, 1.5, np.shape(run_np(f, x0)))
    x = tf.placeholder(tf.float64, x0.shape)
    y = f(x)
    g, = tf.gradients(tf.reduce_sum(y * w), [x])
    with tf.Session() as s:
        got = s.run(g, {x: x0})
        num = fd_grad_np(lambda v: float(np.sum(s.run(y, {x: v}) * w)), x0)
    np.testing.assert_allclose(got, num, rtol=1e-6, atol=1e-7)


def run_np(f, x0):
    with tf.Graph().as_default(), tf.Session() as s:
        return s.run(f(tf.constant(x0)))


def test_second_derivatives():
    x = tf.constant([1.0, 3.0, 3.0, 2.0], tf.float64)
    y = mx.segment_max(x * x, [0, 0, 0, 1])
    g, = tf.gradients(y, [x])
    gg, = tf.gradients(g, [x])         # d/dx of 2x shared between the tied maxima
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(g), [0.0, 3.0, 3.0, 4.0])
        np.testing.assert_array_equal(s.run(gg), [0.0, 1.0, 1.0, 2.0])
    p = mx.segment_prod(x, [0, 0, 1, 1])
    gp, = tf.gradients(p, [x])
    with pytest.raises((LookupError, TypeError), match="second derivative of segment_prod"):
        tf.gradients(gp, [x])


# -- static shapes with unknown dimensions (TF's shape functions) ---------------------------
def test_static_shapes():
    d = tf.placeholder(tf.float32, [None, 3])
    i = tf.placeholder(tf.int32, [None])
    n = tf.placeholder(tf.int32, [])
    for f in (mx.segment_max, mx.segment_min, mx.segment_prod, mx.segment_mean):
        assert f(d, i).shape.as_list() == [None, 3]
    for f in (mx.unsorted_segment_max, mx.unsorted_segment_min, mx.unsorted_segment_prod,
              mx.unsorted_segment_mean):
        assert f(d, i, 5).shape.as_list() == [5, 3]
        assert f(d, i, n).shape.as_list() == [None, 3]
    assert mx.histogram_fixed_width([1.0, 2.0], [0.0, 5.0], nbins=n).shape.as_list() == [None]
    assert mx.histogram_fixed_width_bins(d, [0.0, 5.0]).shape.as_list() == [None, 3]
    assert mx.segment_max(tf.placeholder(tf.float32), i).shape.dims is None
    with tf.Session() as s:   # run-time checks where the build could not tell
        with pytest.raises(tf.errors.InvalidArgumentError):
            s.run(mx.segment_max(d, i), {d: np.ones((2, 3)), i: [1, 0]})
        with pytest.raises(tf.errors.InvalidArgumentError):
            s.run(mx.unsorted_segment_max(d, i, n), {d: np.ones((2, 3)), i: [1, 5], n: 3})
        np.testing.assert_array_equal(
            s.run(mx.unsorted_segment_max(d, i, n), {d: [[1, 2, 3], [4, 0, 6]], i: [1, 1],
                                                     n: 2}),
            np.array([[-3.4028235e+38] * 3, [4, 2, 6]], np.float32))


def _complex_fd(f, v, eps=1e-6):
    """dL/dRe + i dL/dIm of a real f at complex v (TF's convention), by differences."""
    out = np.zeros(v.shape, complex)
    for i in range(v.size):
        for step, part in ((eps, 1.0), (eps * 1j, 1j)):
            e = np.zeros(v.shape, complex)
            e.flat[i] = step
            out.flat[i] += part * (f(v + e) - f(v - e)) / (2 * eps)
    return out


def test_complex_gradients_are_the_ones_in_tfs_convention():
    # reciprocal_no_nan's rule conjugated in TF's convention inside ndgrad's (tf.gradients
    # conjugates at its boundary): its gradient came out conjugated. Now it is TF 2.15's.
    # MulNoNan's and SegmentProd's TF rules omit the conjugate their Mul takes: ndgrad.tf
    # gives the gradient in TF's own convention (dL/dRe + i dL/dIm), where TF's differ
    def loss_np(z):
        return np.sum(np.abs(z) ** 2 + z.real * 3 + z.imag)

    def loss(z):
        return tf.reduce_sum(tf.abs(z) ** 2 + tf.real(z) * 3.0 + tf.imag(z))
    xv = np.array([1 + 2j, 3 - 1j, 2 + 0j])
    yv = np.array([2 - 1j, 0j, 1 + 1j])
    dv = np.array([1 + 2j, 3 - 1j, 2 + 0.5j, -1 + 1j])
    x, y, d = tf.constant(xv), tf.constant(yv), tf.constant(dv)
    gr, = tf.gradients(tf.reduce_sum(tf.abs(tf.math.reciprocal_no_nan(y)) ** 2 +
                                     tf.real(tf.math.reciprocal_no_nan(y))), y)
    gx, gy = tf.gradients(loss(tf.math.multiply_no_nan(x, y)), [x, y])
    gd, = tf.gradients(loss(tf.math.segment_prod(d, [0, 0, 1, 1])), d)
    with tf.Session() as s:
        vr, vx, vy, vd = s.run([gr, gx, gy, gd])
    np.testing.assert_allclose(vr, [-0.28 + 0.24j, 0j, -0.5 - 1j], atol=1e-12)  # TF's
    mnn = lambda a, b: loss_np(np.where(b == 0, 0, a * b))   # noqa: E731
    np.testing.assert_allclose(vx, _complex_fd(lambda a: mnn(a, yv), xv), atol=1e-5)
    np.testing.assert_allclose(vy, _complex_fd(lambda b: mnn(xv, b), yv), atol=1e-5)
    np.testing.assert_allclose(vd, _complex_fd(
        lambda v: loss_np(np.array([v[0] * v[1], v[2] * v[3]])), dv), atol=1e-5)
