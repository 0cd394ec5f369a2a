"""What random TF1 graph programs (about 900: placeholders, variables, 60 ops, tf.gradients
and an optimizer's steps) found when run under TensorFlow 2.21 (compat.v1) and under
ndgrad.tf; the expected numbers are TensorFlow's.

- ``tf.where(c, x, y)`` (TF1's Select) does not broadcast: a vector condition over x's
  first dimension picks whole rows. ndgrad broadcast it NumPy's way, against the *last*
  dimension, and picked columns: a silent wrong result. Shapes TF refuses are refused.
  ``tf.where_v2`` broadcasts.
- TF's ReluGrad and Relu6Grad multiply the cotangent by the mask, so a nan or inf
  cotangent gives nan where the mask is 0 (ndgrad gave 0 there, selecting).
- ``tf.einsum`` refuses a label whose dimensions differ (NumPy's einsum broadcasts 1s).
- ``tf.linalg`` (``band_part``, ``inv``, ``det`` ...) was missing.

A second round (2600 programs against TensorFlow 2.15.1, with ties, +-0 and NaN inputs)
found: ``tf.nn.elu`` selected on ``x > 0`` where TF's kernel tests ``x < 0`` (elu(-0) and
a NaN's gradient differed); ``tf.clip_by_value``'s gradient at a NaN was 1, TF's is 0;
``tf.tile`` by multiples built from ``tf.shape`` had no static sizes where TF's has them.
It also met differences that stay: TF's ``cumprod`` gradient is wrong where an element is
0 (ndgrad's is the product rule's, checked by brute force); TF's relu, relu6, maximum and
minimum give a -0 or a +0 depending on the dtype and the tensor's size (float32 of 5
elements: relu(-0) is -0; float64, or 1000 elements: +0), so no sign of zero is TF's.
"""
import numpy as np
import pytest

import ndgrad.tf as tf

X = np.arange(16.).reshape(4, 4)


def test_a_vector_condition_picks_rows(mode):
    x = tf.constant(X)
    out = mode(tf.where(tf.constant([True, False, True, False]), x, -x))
    np.testing.assert_array_equal(out, [[0, 1, 2, 3], [-4, -5, -6, -7], [8, 9, 10, 11],
                                        [-12, -13, -14, -15]])


def test_a_scalar_or_full_condition(mode):
    x = tf.constant(X)
    np.testing.assert_array_equal(mode(tf.where(tf.constant(True), x, -x)), X)
    c = tf.constant(X % 3 == 0)
    np.testing.assert_array_equal(mode(tf.where(c, x, -x)), np.where(X % 3 == 0, X, -X))


@pytest.mark.parametrize("cshape,yshape", [((1, 4), (4, 4)), ((4,), (4, 1)),
                                           ((3,), (4, 4)), ((4, 4), (4,))])
def test_shapes_tf_refuses(mode, cshape, yshape):
    x = tf.constant(X)
    with pytest.raises(ValueError):
        mode(tf.where(tf.constant(np.ones(cshape, bool)), x,
                      tf.constant(np.zeros(yshape))))


def test_where_v2_broadcasts(mode):
    x = tf.constant(np.arange(6.).reshape(2, 3))
    out = mode(tf.where_v2(tf.constant([True, False, True]), x, 0.0))
    np.testing.assert_array_equal(out, [[0, 0, 2], [3, 0, 5]])


def test_the_gradient_of_where_with_a_vector_condition():
    x = tf.constant(X)
    y = tf.where(tf.constant([True, False, True, False]), x * 2.0, x * 3.0)
    g = tf.Session().run(tf.gradients(tf.reduce_sum(y), x)[0])
    np.testing.assert_array_equal(g, np.repeat([[2.0], [3.0], [2.0], [3.0]], 4, axis=1))


@pytest.mark.parametrize("fn,want", [
    ("relu", [np.nan, np.nan, np.nan, -np.inf]),
    ("relu6", [np.nan, np.nan, np.nan, np.nan]),
    ("elu", [np.nan, np.inf, np.nan, -np.inf]),
    ("leaky_relu", [np.nan, np.inf, np.nan, -np.inf]),
])
def test_activation_gradients_of_nan_and_inf_cotangents(mode, fn, want):
    x = tf.constant([-1., 0., 2., 7.])
    g = tf.constant([np.nan, np.inf, np.nan, -np.inf])
    if mode == "eager":
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = getattr(tf.nn, fn)(x)
        out = np.asarray(tape.gradient(y, x, output_gradients=g))
    else:
        out = mode(tf.gradients(getattr(tf.nn, fn)(x), x, grad_ys=g)[0])
    np.testing.assert_array_equal(out, np.array(want, np.float32))


def test_relu_gradient_keeps_the_sign_of_zero():
    x = tf.constant([-1., 0., 2., 7.])
    g = tf.constant([-1., -2., 3., -4.])
    for fn, want in (("relu", [-0., -0., 3., -4.]), ("relu6", [-0., -0., 3., -0.])):
        out = tf.Session().run(tf.gradients(getattr(tf.nn, fn)(x), x, grad_ys=g)[0])
        np.testing.assert_array_equal(out, want)
        assert list(np.signbit(out)) == list(np.signbit(want))


def test_einsum_refuses_dimensions_tf_refuses(mode):
    with pytest.raises(ValueError, match="label 'j'"):
        mode(tf.einsum("ij,jk->ik", tf.constant(np.ones((3, 1))), tf.constant(np.ones((4, 4)))))
    out = mode(tf.einsum("ij,jk->ik", tf.constant(np.ones((3, 4))), tf.constant(np.ones((4, 2)))))
    np.testing.assert_array_equal(out, np.full((3, 2), 4.0))


def test_linalg_names(mode):
    x = tf.constant(np.arange(9.).reshape(3, 3) + np.eye(3))
    np.testing.assert_array_equal(mode(tf.linalg.band_part(x, 0, 1)),
                                  [[1, 1, 0], [0, 5, 5], [0, 0, 9]])
    np.testing.assert_allclose(mode(tf.linalg.det(x)), -5.0, rtol=1e-12)
    np.testing.assert_allclose(mode(tf.linalg.inv(x)), np.linalg.inv(np.arange(9.).reshape(3, 3)
                                                                     + np.eye(3)), rtol=1e-12)
    assert float(mode(tf.linalg.trace(x))) == 15.0


def test_broadcasting_gradients_with_unknown_dimensions():
    """``x[:1] + x`` with ``x`` of static shape (None, 4): the two operands' static shapes
    are equal, their run-time shapes (1, 4) and (3, 4) are not. The gradient of the first
    operand must be summed to (1, 4) at run time (it reached the slice's gradient at
    (3, 4) and failed; TF's BroadcastGradientArgs does this at run time)."""
    c = np.arange(12.).reshape(3, 4)
    x = tf.placeholder(tf.float64, (None, 4))
    a = tf.reshape(x, tf.shape(x))                 # static shape (None, None)
    ys = [x[:1] * 2.0 + x, tf.math.segment_sum(a, [0, 0, 1])[:1] + tf.zeros_like(a)]
    want = [c + np.vstack([2 * c.sum(0), np.zeros((2, 4))]),
            np.vstack([np.tile(c.sum(0), (2, 1)), np.zeros((1, 4))])]
    with tf.Session() as s:
        for y, w in zip(ys, want):
            g = tf.gradients(tf.reduce_sum(y * c), x)[0]
            np.testing.assert_allclose(s.run(g, {x: c / 7}), w, rtol=1e-12)


def test_constant_indices_past_three_on_an_unknown_dimension():
    """Static shape inference tried unknown dimensions of 2, 3 and 1: ``tf.gather(a, [0, 2,
    2])`` of a ``(?, ?)`` tensor failed at graph build ("indices[1] = 2 is not in [0,
    1)"), a valid TF program. Larger stand-ins are tried before giving up."""
    x = tf.placeholder(tf.float64, (3, 4))
    a = tf.reshape(x, tf.shape(x))
    y = tf.gather(a, [0, 2, 2, 2], axis=0)
    g = tf.gradients(tf.reduce_sum(y * 2.0), x)[0]
    v = np.arange(12.).reshape(3, 4)
    with tf.Session() as s:
        out, gv = s.run([y, g], {x: v})
    np.testing.assert_array_equal(out, v[[0, 2, 2, 2]])
    np.testing.assert_array_equal(gv, np.vstack([np.full(4, 2.0), np.zeros(4), np.full(4, 6.0)]))


def test_where_with_unknown_ranks_picks_rows_at_run_time():
    # placeholders of unknown rank: the row rule cannot be decided when the graph is
    # built, so TF1's Select is an op of its own that decides on the values' shapes (it
    # picked columns, NumPy's broadcasting, with no error); values and gradients are
    # TF 2.21's
    import ndgrad.tf as tf
    g = tf.Graph()
    with g.as_default():
        c = tf.placeholder(tf.bool)
        x = tf.placeholder(tf.float32)
        y = tf.placeholder(tf.float32)
        w = tf.where(c, x * x, 3.0 * y)
        grads = tf.gradients(tf.reduce_sum(w * w), [x, y])
        xs = np.arange(6, dtype=np.float32).reshape(3, 2)
        with tf.Session(graph=g) as s:
            r = s.run([w] + grads, {c: np.array([True, False, True]), x: xs, y: -xs})
            assert [v.tolist() for v in r] == [
                [[0.0, 1.0], [-6.0, -9.0], [16.0, 25.0]],
                [[0.0, 4.0], [0.0, 0.0], [256.0, 500.0]],
                [[0.0, 0.0], [-36.0, -54.0], [0.0, 0.0]]]
            with pytest.raises(Exception, match="picks rows|condition"):
                s.run(w, {c: np.array([True, False]), x: xs, y: -xs})


# -- a second round (2026-12-07: 1100 random programs of 60 ops with ties, +-0 and NaN
# inputs, ndgrad.tf against TensorFlow 2.15.1; the numbers below are TF's) --------------
def test_elu_keeps_negative_zero_and_passes_a_nans_cotangent(mode):
    # TF's kernel: x < 0 ? exp(x) - 1 : x; EluGrad: y < 0 ? g (y + 1) : g. ndgrad selected
    # on x > 0: elu(-0) was +0 and the gradient at a NaN 0 (TF: the cotangent)
    x = tf.constant([-0.0, 0.0, np.nan, -1.0, 1.0], tf.float32)
    y = mode(tf.nn.elu(x))
    np.testing.assert_array_equal(np.signbit(y), [True, False, False, True, False])
    if mode == "graph":
        g = mode(tf.gradients(tf.nn.elu(x), x, grad_ys=tf.constant([1., -1., 2., 3., 4.]))[0])
        np.testing.assert_allclose(g, [1., -1., 2., 3. * np.exp(-1.), 4.], rtol=1e-6)


def test_clip_by_value_gives_a_nan_no_gradient(mode):
    # TF's clip_by_value is a minimum then a maximum, each sending a NaN's cotangent to
    # the bound: 0 for x (ndgrad gave 1: the ClipByValue kernel's mask, which it does not
    # use). PyTorch's and JAX's clip give 0 too
    x = tf.constant([np.nan, -1.0, 0.5, 7.0], tf.float32)
    if mode == "graph":
        g = mode(tf.gradients(tf.reduce_sum(tf.clip_by_value(x, 0.0, 6.0)), x)[0])
    else:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.clip_by_value(x, 0.0, 6.0))
        g = np.asarray(tape.gradient(y, x))
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0, 0.0])


def test_tile_by_shape_tensors_has_tfs_static_shape():
    # TF's Tile shape function reads the multiples as far as the graph determines them;
    # ndgrad knew no size (tf.unstack of the result then refused: "Cannot infer num")
    x0 = tf.placeholder(tf.float64, [2, 1])
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, None)
    cases = [(tf.tile(x0[:1], [tf.shape(x0)[0], 1]), [2, 1]),
             (tf.tile(x, [tf.shape(x)[0], 2]), [None, 6]),
             (tf.tile(x, tf.shape(x)), [None, 9]),
             (tf.tile(x0, tf.constant([3, 1])), [6, 1]),
             (tf.tile(x, [tf.shape(x0)[0], tf.shape(x)[1]]), [None, 9]),
             (tf.tile(x0, tf.stack([tf.shape(x0)[1], 4])), [2, 4]),
             (tf.tile(y, [2]), [None])]
    for t, want in cases:
        assert t.get_shape().as_list() == want
    assert len(tf.unstack(tf.tile(x0[:1], [tf.shape(x0)[0], 1]), axis=1)) == 1
    with tf.Session() as s:
        out = s.run(tf.tile(x, [tf.shape(x)[0], 2]), {x: np.ones((2, 3))})
    assert out.shape == (4, 6)


def test_sign_of_a_complex_tensor_has_tf2s_gradient():
    # tf.sign of a complex tensor is div_no_nan(x, |x|) in TF 2, whose gradient moves
    # (it was TF's real SignGrad, zeros: a silent 0). TensorFlow 2.15.1's numbers; a real
    # tf.sign keeps the zero gradient (d(sign(x) x^2)/dx = 2|x|).
    g = tf.Graph()
    with g.as_default():
        z = tf.placeholder(tf.complex128, [4])
        x = tf.placeholder(tf.float64, [3])
        w = np.array([0.5 - 1j, 2 + 0j, 1 + 1j, -1j])
        gz, = tf.gradients(tf.reduce_sum(tf.math.real(tf.sign(z) * w)), [z])
        gx, = tf.gradients(tf.reduce_sum(tf.sign(x) * x * x), [x])
        with tf.Session() as s:
            rz, rx = s.run([gz, gx], {z: [1 + 1j, -2 + 0.5j, 0j, 3 - 4j],
                                      x: [1.5, -2.0, 0.0]})
    np.testing.assert_allclose(rz, [-0.17677669529663675 + 0.17677669529663698j,
                                    0.05706720589090186 + 0.2282688235636075j, 0j,
                                    0.096 + 0.07200000000000001j], rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(rx, [3.0, 4.0, 0.0])


def _tf_convention_fd(f, x, h=1e-6):
    """Finite differences in TF's complex convention: dL/dRe + i dL/dIm."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h) + 1j * (f(x + 1j * e) - f(x - 1j * e)) / (2 * h)
    return g


def test_complex_det_and_xlogy_gradients_are_the_derivatives_where_tf_differs():
    # TF 2.15.1's MatrixDeterminant gradient of a complex matrix and its xlogy, xdivy and
    # cumprod gradients (no conjugate) are not the derivatives; ndgrad.tf keeps the finite
    # differences' values (as for TF's cumprod gradient at a zero)
    rng = np.random.default_rng(0)
    m0 = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3)) + 3 * np.eye(3)
    z0 = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    g = tf.Graph()
    with g.as_default():
        m = tf.placeholder(tf.complex128, [3, 3])
        z = tf.placeholder(tf.complex128, [4])
        gm, = tf.gradients(tf.math.real(tf.linalg.det(m)), [m])
        gz, = tf.gradients(tf.reduce_sum(tf.math.real(tf.math.xlogy(z, z + 2))), [z])
        gd, = tf.gradients(tf.reduce_sum(tf.math.real(tf.math.xdivy(z, z + 2))), [z])
        w = np.array([0.3 - 1j, 2.0 + 0.5j, -1j, 1.5])
        gc, = tf.gradients(tf.reduce_sum(tf.math.real(tf.cumprod(z) * w)), [z])
        with tf.Session() as s:
            rm, rz, rd, rc = s.run([gm, gz, gd, gc], {m: m0, z: z0})
    from scipy.special import xlogy
    np.testing.assert_allclose(rm, _tf_convention_fd(
        lambda a: np.real(np.linalg.det(a)), m0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(rz, _tf_convention_fd(
        lambda a: np.sum(np.real(xlogy(a, a + 2))), z0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(rd, _tf_convention_fd(
        lambda a: np.sum(np.real(a / (a + 2))), z0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(rc, _tf_convention_fd(
        lambda a: np.sum(np.real(np.cumprod(a) * w)), z0), rtol=1e-6, atol=1e-8)
