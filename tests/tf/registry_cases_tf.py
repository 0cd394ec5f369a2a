"""Gradient cases for the registry walk (tests/test_registry.py) of the ops that graph
mode (``ndgrad/graph``) and ``ndgrad.tf`` declare: ``registry_cases(Case)`` returns
{op name: Case} run eagerly on every backend, ``exemptions()`` {op name: reason} for the
NumPy-only kernels, whose gradients tests/tf checks against finite differences through
``tf.gradients`` (graph mode always runs on NumPy)."""
import ndgrad as nd
import ndgrad.tf  # noqa: F401  (registers the ops)
from ndgrad._ops.registry import REGISTRY, apply
from ndgrad.graph import dynamic


def _op(name, *arrays, **params):
    return apply(REGISTRY[name], arrays, params)


def _apart(a):
    """``a`` with its values at least 0.1 apart, in the same order (ties broken by
    position): the extremum of each row is unique, so finite differences see no kink."""
    import numpy as np
    flat = np.array(a, dtype=np.float64).ravel()
    order = np.argsort(flat, kind="stable")
    flat[order] = flat[order] + np.arange(flat.size) * 0.1
    return flat.reshape(np.shape(a))


def registry_cases(Case):
    S, M = (3,), (2, 3)
    red = {"axes": (1,), "keepdims": False}
    return {
        "unbroadcast_like": Case(lambda g, x: _op("unbroadcast_like", g, x) ** 2, [M, S]),
        "broadcast_like": Case(lambda g, x: _op("broadcast_like", g, x) ** 2, [S, M]),
        "reshape_like": Case(lambda g, x: _op("reshape_like", g, x) ** 2, [(6,), M]),
        "unbroadcast_to": Case(lambda g: dynamic.unbroadcast_to(g, (1, 3)) ** 2,
                               [(4, 2, 3)]),
        "scatter_like": Case(lambda g, x: _op("scatter_like", g, x, key=(1,)) ** 2, [S, M]),
        "strided_slice": Case(lambda x: dynamic.strided_slice(x, (slice(None), 1)) ** 2,
                              [M]),
        # TF's PowGrad on positive bases, both operands differentiated (at x <= 0 its
        # conventions are pinned against TF in tests/tf/test_python_ops_suite_fixes.py)
        "tf.pow": Case(lambda x, y: _op("tf.pow", x, y), [M, S], 0.3, 2.0),
        "tf.cross": Case(lambda a, b: _op("tf.cross", a, b) ** 2, [M, M]),
        "tf.reduce_sum": Case(lambda x: _op("tf.reduce_sum", x, **red) ** 2, [M]),
        "tf.reduce_mean": Case(lambda x: _op("tf.reduce_mean", x, **red) ** 2, [M]),
        "tf.mean_grad": Case(lambda g, x: _op("tf.mean_grad", g, x, **red) ** 2, [(2,), M]),
        # (a draw of [[0, 0, 0], [-1, 0, 0]] gave a row with a tie before _apart)
        "tf.reduce_max": Case(lambda x: _op("tf.reduce_max", x, **red) ** 2, [M],
                              prep=lambda a: (_apart(a + [[0., .5, 1.], [1., .5, 0.]]),)),
        "tf.reduce_min": Case(lambda x: _op("tf.reduce_min", x, **red) ** 2, [M],
                              prep=lambda a: (_apart(a + [[0., .5, 1.], [1., .5, 0.]]),)),
        "tf.reduce_prod": Case(lambda x: _op("tf.reduce_prod", x, **red), [M], 0.5, 2.0),
        "tf.maximum": Case(lambda a, b: _op("tf.maximum", a, b) ** 2, [S, S],
                           prep=lambda a, b: (a, b + (abs(b - a) < 0.1) * 0.3)),
        "tf.minimum": Case(lambda a, b: _op("tf.minimum", a, b) ** 2, [S, S],
                           prep=lambda a, b: (a, b + (abs(b - a) < 0.1) * 0.3)),
        # (x / y in (2.08, 2.5): TF's quotient floor(x / y) is 2 around the points, so
        # d/dy = -2 is checked away from FloorMod's jumps)
        "tf.float_floormod": Case(lambda a, b: _op("tf.float_floormod", a, b) ** 2, [S, S],
                                  0.2, 0.5, prep=lambda a, b: (a + 5.0, b + 2.0)),
        "tf.relu": Case(lambda x: _op("tf.relu", x) ** 2, [S], 0.1, 2.0),
        "tf.relu6": Case(lambda x: _op("tf.relu6", x) ** 2, [S], 0.1, 5.0),
        "tf.sigmoid": Case(lambda x: _op("tf.sigmoid", x), [S]),
        "tf.softplus": Case(lambda x: _op("tf.softplus", x), [S]),
        # (denominators away from 0, where the quotient is 0 by definition)
        "tf.div_no_nan": Case(lambda x, y: _op("tf.div_no_nan", x, y), [M, S], 0.3, 2.0),
        # (x away from 0, where TF's gradients are 0 by definition; y in the logs' domain)
        "tf.xlogy": Case(lambda x, y: _op("tf.xlogy", x, y), [M, S], 0.3, 2.0),
        "tf.xlog1py": Case(lambda x, y: _op("tf.xlog1py", x, y), [M, S], 0.3, 2.0),
        "tf.xdivy": Case(lambda x, y: _op("tf.xdivy", x, y), [M, S], 0.3, 2.0),
        "tf.add_n": Case(lambda a, b, c: _op("tf.add_n", a, b, c) ** 2, [M, M, M]),
        # (both signs, away from the kink of |x| at 0, where the second derivative jumps)
        "tf.softsign": Case(lambda x: _op("tf.softsign", x), [S],
                            prep=lambda a: (a + (a >= 0) * 0.3 - (a < 0) * 0.3,)),
        "tf.identity": Case(lambda x: _op("tf.identity", x) ** 2, [S]),
        # (sign's own gradient is zero, TF's SignGrad: d(sign(x) x^2)/dx = 2 |x|)
        "tf.sign": Case(lambda x: _op("tf.sign", x) * x * x, [S], 0.1, 2.0),
        "tf.reshape": Case(lambda x: _op("tf.reshape", x, shape=(3, 2)) ** 2, [M]),
        "tf.reshape_dynamic": Case(lambda x: _op("tf.reshape_dynamic", x, nd.asarray(
            [3, 2], device=x.device), static=(3, 2)) ** 2, [M]),
        "tf.squeeze": Case(lambda x: _op("tf.squeeze", x, axis=(0,)) ** 2, [(1, 3)]),
        "tf.expand_dims": Case(lambda x: _op("tf.expand_dims", x, axis=1) ** 2, [S]),
        "tf.concat": Case(lambda a, b: _op("tf.concat", a, b, axis=1) ** 2, [M, (2, 2)]),
        "tf.concat_grad": Case(lambda g, a, b: _op("tf.concat_grad", g, a, b, axis=1)[1] ** 2,
                               [(2, 5), M, (2, 2)]),
        "tf.split": Case(lambda x: _op("tf.split", x, sizes=(1, 2), axis=1)[1] ** 2, [M]),
        "tf.split_even": Case(lambda x: _op("tf.split_even", x, num=3, axis=1)[1] ** 2,
                              [M]),
        "tf.ensure_rank": Case(lambda x: _op("tf.ensure_rank", x, rank=2, what="a") ** 2,
                               [M]),
        "tf.squeeze_all": Case(lambda x: _op("tf.squeeze_all", x) ** 2, [(1, 3, 1)]),
        "tf.transpose_reversed": Case(lambda x: _op("tf.transpose_reversed", x) ** 2,
                                      [(2, 3, 1)]),
        "tf.expand_like": Case(lambda g, x: _op("tf.expand_like", g, x, axes=(1,)) ** 2,
                               [(2,), M]),
        "tf.tile": Case(lambda x: _op("tf.tile", x, multiples=(2, 1)) ** 2, [M]),
        "tf.tile_dynamic": Case(lambda x: _op("tf.tile_dynamic", x, nd.asarray(
            [2, 1], device=x.device)) ** 2, [M]),
        "tf.tile_grad_dynamic": Case(lambda g, x: _op("tf.tile_grad_dynamic", g, x, nd.asarray(
            [2, 1], device=x.device)) ** 2, [(4, 3), M]),
        "tf.tile_grad": Case(lambda g, x: _op("tf.tile_grad", g, x, multiples=(2, 1)) ** 2,
                             [(4, 3), M]),
        "tf.transpose": Case(lambda x: _op("tf.transpose", x, perm=(1, 0)) ** 2, [M]),
        "tf.matrix_transpose": Case(lambda x: _op("tf.matrix_transpose", x) ** 2, [M]),
        # (TF1's Select: a vector condition over the first dimension picks rows)
        "tf.select": Case(lambda x, y: _op("tf.select", nd.asarray([True, False],
                                                                   device=x.device),
                                           x, y) ** 2, [M, M]),
    }


def exemptions():
    why = ("a NumPy-only kernel (graph mode runs on NumPy): its gradient is checked against "
           "finite differences through tf.gradients in tests/tf")
    return {n: why for n in ("tf.gather", "tf.gather_grad", "tf.strided_slice_dyn",
                             "tf.conv2d", "tf.max_pool", "tf.avg_pool", "tf.pad",
                             "tf.boolean_mask", "tf.top_k", "tf.conv2d_transpose",
                             "tf.reverse_sequence", "tf.gather_nd", "tf.gather_nd_grad",
                             "tf.scatter_nd", "tf.segment_sum", "tf.check_loss_weights",
                             "tf.conv2d_backprop_filter_sized",
                             "tf.conv2d_transpose_ensure_batch", "tf.depthwise_conv2d",
                             "tf.depthwise_conv2d_backprop_input",
                             "tf.depthwise_conv2d_backprop_filter", "tf.matrix_diag_part",
                             "tf.matrix_set_diag", "tf.matrix_diag", "tf.tensor_scatter_nd",
                             # tests/tf/test_manip_and_counts.py
                             "tf.roll", "tf.unsorted_segment_sum_n", "tf.confusion_matrix",
                             "tf.confusion_matrix_gather", "tf.confusion_matrix_scatter",
                             # LAPACK through NumPy: tests/tf/test_linalg_ops.py checks
                             # first and second derivatives against finite differences
                             "tf.cholesky", "tf.matrix_triangular_solve", "tf.matrix_solve",
                             "tf.self_adjoint_eig", "tf.self_adjoint_eigvals", "tf.svd",
                             "tf.svdvals", "tf.qr", "tf.slogdet", "tf.matrix_solve_ls",
                             "tf.matrix_solve_ls_grad")} | {
        n: ("ndgrad.tf's segment reductions, MulNoNan, NextAfter and Bessel functions: "
            "values and gradients checked against TensorFlow 2.15's and finite "
            "differences in tests/tf/test_math_extra_ops.py")
        for n in ("tf.segment_minmax_grad", "tf.segment_minmax_grad_t", "tf.segment_max",
                  "tf.unsorted_segment_max", "tf.segment_min", "tf.unsorted_segment_min",
                  "tf.segment_prod", "tf.unsorted_segment_prod", "tf.segment_mean",
                  "tf.mul_no_nan",
                  "tf.nextafter", "tf.bessel_i0", "tf.bessel_i0e", "tf.bessel_i1",
                  "tf.bessel_i1e")} | {
        n: ("dynamic_partition / dynamic_stitch and their gradient ops: values and "
            "gradients checked against TensorFlow 2.15's, second derivatives against "
            "finite differences, in tests/tf/test_partition_ops.py")
        for n in ("tf.dynamic_partition", "tf.dynamic_partition_grad", "tf.dynamic_stitch",
                  "tf.dynamic_stitch_grad")} | {
        n: ("gather with batch dimensions and its gradient op: values and gradients "
            "checked against TensorFlow 2.15's, second derivatives against finite "
            "differences, in tests/tf/test_batch_gather.py")
        for n in ("tf.batch_gather", "tf.batch_gather_grad")} | {
        n: ("sparse_to_dense and its gradient op: values and gradients checked against "
            "TensorFlow 2.15's, second derivatives against finite differences, in "
            "tests/tf/test_sparse_to_dense.py")
        for n in ("tf.sparse_to_dense", "tf.sparse_to_dense_grad")} | {
        n: ("3-D convolution and pooling and their backward ops: values and gradients "
            "checked against TensorFlow 2.15's, second derivatives against finite "
            "differences, in tests/tf/test_conv3d.py")
        for n in ("tf.conv3d", "tf.conv3d_backprop_input", "tf.conv3d_backprop_filter",
                  "tf.conv3d_transpose", "tf.max_pool3d", "tf.max_pool3d_grad",
                  "tf.max_pool3d_grad_grad", "tf.avg_pool3d", "tf.avg_pool3d_grad")} | {
        n: ("a backward op (linear in its cotangent): its rule is checked against finite "
            "differences of the first derivative in tests/tf/test_second_order.py")
        for n in ("tf.strided_slice_dyn_grad", "tf.conv2d_backprop_input",
                  "tf.conv2d_backprop_filter", "tf.max_pool_grad", "tf.max_pool_grad_grad",
                  "tf.avg_pool_grad", "tf.conv2d_transpose_filter", "tf.pad_reflect",
                  "tf.pad_reflect_grad", "tf.top_k_grad", "tf.top_k_gather",
                  "tf.boolean_mask_grad", "tf.segment_gather", "tf.segment_scatter")}
