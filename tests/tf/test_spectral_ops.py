"""TF's FFT kernels (``tf.fft`` ... ``ifft3d``, ``tf.spectral``, ``tf.signal``): values,
dtypes, shapes and gradients as TensorFlow 2.15.1's (compat.v1 graph mode), and TF's dtype
errors. TF has no gradient for ``rfft3d`` / ``irfft3d`` and fails to build one for an
``rfft`` that crops (``fft_length`` below the input's length) or an ``irfft`` whose
``fft_length`` is not ``2 * (n - 1)``; ndgrad's are ``nd.fft``'s rules (checked against
finite differences in tests/test_fft.py), so those are left out of the compared loss."""
import numpy as np
import pytest

import ndgrad.tf as tf

# (dtype, shape, sum of |value|, sum of the real part) of TensorFlow 2.15.1's results, the
# float64 / complex128 run; outputs 0-18 then the gradients in r and c
WANT = [
    ('complex128', (2, 3, 4, 5), 336.83, -24.478),
    ('complex128', (2, 3, 4, 5), 67.366, -4.896),
    ('complex128', (2, 3, 4, 5), 670.822, -20.142),
    ('complex128', (2, 3, 4, 5), 33.541, -1.007),
    ('complex128', (2, 3, 4, 5), 1183.744, -18.642),
    ('complex128', (2, 3, 4, 5), 19.729, -0.311),
    ('complex128', (2, 3, 4, 3), 132.567, -7.366),
    ('complex128', (2, 3, 4, 5), 216.053, -12.621),
    ('complex128', (2, 3, 4, 2), 65.875, -2.981),
    ('float64', (2, 3, 4, 8), 72.694, -4.896),
    ('float64', (2, 3, 4, 6), 58.118, -4.896),
    ('complex128', (2, 3, 4, 3), 277.188, -4.912),
    ('complex128', (2, 3, 3, 4), 249.517, -2.86),
    ('float64', (2, 3, 4, 8), 36.7, -1.007),
    ('float64', (2, 3, 4, 7), 34.503, -1.007),
    ('complex128', (2, 3, 4, 3), 496.864, -8.304),
    ('float64', (2, 2, 4, 6), 12.98, -0.311),
    ('float64', (2, 3, 4, 5), 94.988, 9.746),
    ('complex128', (2, 3, 4, 5), 151.618, 9.746),
    ('float64', (2, 3, 4, 5), 35.92, -5.031),
    ('complex128', (2, 3, 4, 5), 87.735, -6.08),
]
NOT_IN_LOSS = {8, 10, 12, 14, 15, 16}


def _run(dt, cdt):
    rng = np.random.default_rng(0)
    xr = rng.standard_normal((2, 3, 4, 5))
    xc = xr + 1j * rng.standard_normal((2, 3, 4, 5))
    w = rng.standard_normal((2, 3, 4, 5))
    g = tf.Graph()
    with g.as_default():
        r = tf.placeholder(dt, xr.shape)
        c = tf.placeholder(cdt, xc.shape)
        sig = tf.signal
        outs = [tf.fft(c), tf.ifft(c), tf.fft2d(c), tf.ifft2d(c), tf.fft3d(c), tf.ifft3d(c),
                tf.spectral.rfft(r), tf.spectral.rfft(r, [8]), tf.spectral.rfft(r, [3]),
                tf.spectral.irfft(c), tf.spectral.irfft(c, [6]), sig.rfft2d(r),
                sig.rfft2d(r, [3, 6]), sig.irfft2d(c), sig.irfft2d(c, [4, 7]), sig.rfft3d(r),
                sig.irfft3d(c, [2, 4, 6]), sig.fftshift(r, axes=-1), sig.ifftshift(c)]
        m = float(np.mean(w))
        loss = tf.add_n([tf.reduce_sum(tf.abs(o) * m) for k, o in enumerate(outs)
                         if k not in NOT_IN_LOSS])
        grads = tf.gradients(loss, [r, c])
        with tf.Session() as s:
            return s.run(outs + grads, {r: xr.astype(dt.as_numpy_dtype),
                                        c: xc.astype(cdt.as_numpy_dtype)})


@pytest.mark.parametrize("dt, cdt, rtol", [(tf.float64, tf.complex128, 1e-5),
                                            (tf.float32, tf.complex64, 1e-4)])
def test_ffts_as_tensorflow(dt, cdt, rtol):
    got = _run(dt, cdt)
    assert len(got) == len(WANT)
    for v, (kind, shape, total_abs, total_real) in zip(got, WANT):
        v = np.asarray(v)
        want_dt = {"complex128": cdt, "float64": dt}[kind].as_numpy_dtype
        assert v.dtype == want_dt and v.shape == shape
        np.testing.assert_allclose([np.sum(np.abs(v)), np.sum(v.real)],
                                   [total_abs, total_real], rtol=rtol, atol=2e-3)


def test_fft_dtypes_refused_as_tensorflow():
    with pytest.raises(TypeError, match="complex64"):
        tf.fft(tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="float32"):
        tf.spectral.rfft(tf.constant([1.0 + 0j, 2.0]))
    with pytest.raises(ValueError, match="fft_length"):
        tf.signal.rfft2d(tf.zeros([2, 4]), [4])
