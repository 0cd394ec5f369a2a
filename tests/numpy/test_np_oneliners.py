"""Three hundred one-line NumPy calls print the same under ``import ndgrad as np``
(0-d results inside tuples are left out: ndgrad's 0-d arrays print as ``array(2.)``
where NumPy's scalars print as ``np.float64(2.0)``)."""
import warnings

import numpy
import pytest

import ndgrad

LINES = [line for line in r'''
np.array([1, 2, 3]).dtype
np.ones((2, 3), dtype=bool)
np.full((2, 2), True)
np.array([[1, 2], [3, 4]]).T.flatten()
np.arange(9).reshape(3, 3)[::-1]
np.arange(9).reshape(3, 3)[:, ::-1]
np.flip(np.arange(6).reshape(2, 3), axis=None)
np.rot90(np.arange(4).reshape(2, 2), 2)
np.tile(np.arange(3), (2, 2))
np.repeat(np.arange(3), [1, 2, 3])
np.pad(np.ones((2, 2)), ((0, 1), (2, 0)), constant_values=5)
np.pad(np.arange(5), 2, mode='symmetric')
np.pad(np.arange(5), 2, mode='wrap')
np.append(np.ones((2, 2)), np.zeros((1, 2)), axis=0)
np.insert(np.arange(6).reshape(2, 3), 1, 9, axis=1)
np.delete(np.arange(10), np.s_[::3])
np.trim_zeros(np.array([0, 0, 1, 2, 0]), 'f')
np.isin(np.arange(5), [1, 3])
np.setdiff1d(np.arange(6), [2, 4])
np.union1d([3, 1], [2, 1])
np.ediff1d([1, 3, 6], to_begin=0, to_end=99)
np.cumsum(np.arange(6).reshape(2, 3), axis=1)
np.cumprod([1, 2, 3, 4])
np.diff(np.array([[1, 3, 6], [0, 5, 2]]), axis=0)
np.gradient(np.array([[1., 2., 6.], [3., 4., 5.]]))
np.trapezoid([1, 2, 3], x=[0, 1, 3])
np.convolve([1, 2, 3], [1, 1])
np.correlate([1, 2, 3], [1, 1], 'same')
np.interp([0, 1.5, 5], [1, 2, 3], [10, 20, 30], left=-1, right=99)
np.polyval([3, 0, 1], [1, 2])
np.roots([1, -3, 2])
np.poly([2, 3])
np.polyder([1, 2, 3, 4], 2)
np.polyint([3, 2, 1])
np.polydiv([1, -3, 2], [1, -1])
np.median(np.arange(10).reshape(2, 5), axis=1)
np.percentile(np.arange(10), [10, 50, 90], method='nearest')
np.quantile(np.arange(10.), 0.33, method='midpoint')
np.average(np.arange(6).reshape(3, 2), axis=0, weights=[1, 2, 3], returned=True)
np.cov(np.array([[1., 2., 4.], [2., 1., 0.]]), bias=True)
np.corrcoef(np.array([1., 2., 3., 4.]), np.array([2., 4., 5., 9.]))
np.histogram(np.array([1, 2, 2, 3, 3, 3]), bins=[1, 2, 3, 4])
np.histogram2d([0, 1, 1], [0, 0, 1], bins=2)
np.bincount([0, 1, 1, 3], minlength=6)
np.digitize([0.2, 6.4, 3.0, 1.6], [0.0, 1.0, 2.5, 4.0, 10.0], right=True)
np.searchsorted([1, 2, 3, 4, 5], [3, 6, 0], side='right')
np.argsort([3, 1, 2], kind='stable')
np.lexsort(([1, 5, 1, 4, 3], [9, 4, 0, 4, 0]))
np.sort(np.array([[3, 1], [2, 4]]), axis=0)
np.argmax(np.array([[1, 9], [7, 3]]), axis=0)
np.nanargmin([np.nan, 2.0, 1.0])
np.nanmean(np.array([[1, np.nan], [3, 4]]), axis=0)
np.nanstd([1.0, np.nan, 3.0], ddof=1)
np.nancumsum([1.0, np.nan, 2.0])
np.count_nonzero(np.eye(3))
np.flatnonzero(np.array([0, 2, 0, 3]))
np.argwhere(np.arange(6).reshape(2, 3) > 2)
np.where(np.arange(4) > 1, 'big' if False else 1.5, -1)
np.select([np.arange(5) < 2, np.arange(5) > 3], [np.arange(5), -np.arange(5)])
np.piecewise(np.linspace(-2, 2, 5), [np.linspace(-2, 2, 5) < 0], [lambda x: -x, lambda x: x * 2])
np.choose([2, 0, 1], [[1, 2, 3], [10, 20, 30], [100, 200, 300]])
np.compress([0, 1, 1], np.arange(6).reshape(3, 2), axis=0)
np.extract(np.arange(6) % 2 == 0, np.arange(6))
np.take(np.arange(10), [[1, 2], [3, 4]])
np.take_along_axis(np.array([[10, 30, 20], [60, 40, 50]]), np.array([[0], [1]]), axis=1)
np.diag(np.arange(9).reshape(3, 3), k=-1)
np.diagflat([1, 2], k=1)
np.tri(3, 4, k=1, dtype=int)
np.vander([1, 2, 3], increasing=True)
np.kron(np.eye(2, dtype=int), np.array([[1, 2], [3, 4]]))
np.outer(np.arange(3), np.arange(2))
np.inner(np.arange(6).reshape(2, 3), np.arange(3))
np.cross([1, 2], [3, 4])
np.einsum('ii->i', np.arange(9).reshape(3, 3))
np.einsum('ij,ij->i', np.ones((2, 3)), np.arange(6).reshape(2, 3))
np.tensordot(np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2), axes=([1], [0]))
np.vdot([1 + 2j, 3j], [2, 1j])
np.linalg.matrix_power(np.eye(2) * 2, 3)
np.round(np.array([1.2345, -2.5, 2.5]), 1)
np.around(1234.5678, -2)
np.fix([-1.7, 1.7])
np.sinc([0.0, 0.5, 1.0])
np.deg2rad([0, 90, 180])
np.hypot(3, 4)
np.exp2([1, 2])
np.log2([1, 8])
np.cbrt([27, -8])
np.fmod([-5, 5], 3)
np.mod([-5, 5], 3)
np.divmod([7, -7], 2)
np.modf([3.5, -2.25])
np.sign([-2, 0, 3])
np.heaviside([-1, 0, 1], 0.5)
np.clip(np.arange(10), 2, 7)
np.maximum([1, 5], [3, 2])
np.fmax([1, np.nan], [np.nan, 2])
np.nan_to_num([np.nan, np.inf, -np.inf], nan=0, posinf=1, neginf=-1)
np.isclose([1e10, 1e-7], [1.00001e10, 1e-8])
np.allclose([1e10, 1e-8], [1.00001e10, 1e-9])
np.array_equal([1, 2], [1, 2, 3])
np.logical_xor([True, False], [True, True])
np.bitwise_and(12, 10)
np.left_shift(1, [1, 2, 3])
np.unpackbits(np.array([5], dtype=np.uint8))
np.packbits([1, 0, 1, 1])
np.binary_repr(10)
np.base_repr(255, 16)
np.unravel_index([22, 41, 37], (7, 6))
np.ravel_multi_index(([3, 6, 6], [4, 5, 1]), (7, 6))
np.indices((2, 2)).sum(axis=0)
np.meshgrid([1, 2], [3, 4, 5], sparse=True)
np.mgrid[0:3, 0:2].shape
np.ogrid[0:3, 0:2][1]
np.r_[np.array([1, 2]), 0, 0, np.array([4, 5])]
np.r_[-1:1:5j]
np.c_[np.array([[1, 2, 3]]), 0, 0, np.array([[4, 5, 6]])]
np.atleast_2d(1.0)
np.expand_dims(np.arange(3), axis=(0, 2)).shape
np.squeeze(np.ones((1, 3, 1)), axis=0).shape
np.swapaxes(np.arange(6).reshape(1, 2, 3), 0, 2).shape
np.moveaxis(np.zeros((3, 4, 5)), [0, 1], [-1, -2]).shape
np.broadcast_to(np.arange(3), (2, 3))
np.stack([np.arange(3), np.arange(3)], axis=-1)
np.dstack(([1, 2], [3, 4]))
np.column_stack(([1, 2], [3, 4]))
np.split(np.arange(9), [2, 5])
np.array_split(np.arange(8).reshape(4, 2), 3)
np.block([[np.eye(2), np.zeros((2, 1))], [np.ones((1, 2)), np.full((1, 1), 5.0)]])
np.resize(np.array([[0, 1], [2, 3]]), (2, 3))
np.shape(np.ones((3, 2)))
np.iinfo(np.int16).max
np.finfo(np.float64).eps
np.promote_types('i4', 'f4')
np.result_type(np.int8, np.float32)
np.can_cast(np.int32, np.int64)
np.issubdtype(np.float64, np.floating)
np.isscalar(np.float64(1.0))
np.iscomplexobj(np.array([1j]))
np.isrealobj("A string")
np.isrealobj(None)
np.iscomplexobj(1j)
np.ndim([[1, 2]])
np.size(np.ones((3, 4)), 1)
np.mean(np.arange(10)[np.arange(10) % 3 == 0])
np.std(np.array([[1, 2], [3, 4]]), axis=1, ddof=1)
np.var(np.array([1, 2, 3, 4]), ddof=1)
np.ptp(np.array([[4, 9, 2, 10], [6, 9, 7, 12]]), axis=1)
np.amax(np.arange(4).reshape(2, 2), axis=0)
np.max(np.array([[1, 2], [3, 4]]), axis=1, keepdims=True)
np.sum(np.arange(6).reshape(2, 3), axis=(0, 1))
np.prod(np.arange(1, 5).reshape(2, 2), axis=0)
np.any(np.array([[True, False], [False, False]]), axis=1)
np.all(np.array([[True, False], [True, True]]), axis=0)
np.cumsum(np.array([1, 2, 3]), dtype=float)
np.unique(np.array([[1, 1], [2, 3]]), return_inverse=True)
np.linspace(1, 10, 4, dtype=int)
np.logspace(1, 3, 3, base=2)
np.geomspace(1, 256, 9)
np.arange(5, 0, -1)
np.arange(0.5, 3)
np.zeros_like(np.arange(4).reshape(2, 2), dtype=float)
np.full_like(np.arange(3), 0.9)
np.identity(3, dtype=int)
np.eye(3, 4, k=-1, dtype=int)
np.fromfunction(lambda i, j: i == j, (3, 3), dtype=int)
np.fromiter((x * x for x in range(5)), dtype=int)
np.frombuffer(b'\x01\x02\x03\x04', dtype=np.uint8)
np.array([1.5, 2.5]).astype(np.int32)
np.array([3, 1, 2]).argsort()
np.array([[1, 2], [3, 4]]).sum(axis=1).tolist()
np.array([1, 2, 3]).mean()
np.array([[1, 2], [3, 4]]).reshape(-1)
np.array([[1, 2], [3, 4]]).ravel('F')
np.array([1, 2, 3]).clip(2)
np.array([1.23456]).round(3)
np.array([[1, 2], [3, 4]]).trace()
np.array([[1, 2], [3, 4]]).diagonal()
np.array([4, 2, 9]).nonzero()
np.array([1, 2, 3]).cumsum()
np.array([[1, 2], [3, 4]]).max(axis=0)
np.array([[1, 2], [3, 4]]).argmax()
np.array([[1, 2], [3, 4]]).std()
np.array([1, 2, 3]).dot(np.array([4, 5, 6]))
np.array([1, 2]).repeat(3)
np.array([[1, 2], [3, 4]]).swapaxes(0, 1)
np.array([[[1, 2]]]).squeeze()
np.array([1, 2, 3]).itemsize
np.array([1, 2, 3], dtype=np.int16).nbytes
np.array([[1, 2], [3, 4]]).strides
np.array([1 + 2j]).conj()
np.array([1, 2, 3]).prod()
np.array([1, 2, 3]).var()
np.array([1, 2, 3]).any()
np.array([0.5]).item()
np.array([[1, 2], [3, 4]]).tolist()
np.apply_along_axis(lambda v: v * 2, 0, np.arange(6).reshape(2, 3))
np.apply_along_axis(np.sort, 1, np.array([[3, 1, 2], [9, 7, 8]]))
np.apply_over_axes(np.sum, np.arange(24).reshape(2, 3, 4), [0, 2])
np.vectorize(lambda a, b: a - b if a > b else a + b)([1, 2, 3, 4], 2)
np.frompyfunc(bin, 1, 1)(np.array([1, 2]))
np.array_str(np.array([1.5, 2.25]), precision=1)
np.array_repr(np.array([1, 2]))
np.array2string(np.arange(3), separator=', ')
np.format_float_positional(0.1 + 0.2)
np.real_if_close(np.array([2.1 + 4e-14j, 5.2 + 3e-15j]), tol=1000)
np.angle([1.0, 1j, 1 + 1j], deg=True)
np.unwrap([0, 3.3, 6.6])
np.i0([0.0, 1.0])
np.frexp([8.0, 0.5])
np.ldexp([1.0, 2.0], [2, 3])
np.gcd([12, 20], [18, 15])
np.lcm(4, [6, 10])
np.float_power([2, 3], 2)
np.logaddexp(np.log(1e-50), np.log(2.5e-50))
np.logaddexp2(-50.0, -51.0)
np.reciprocal(np.array([1., 2., 4.]))
np.positive([-1, 1])
np.negative([1, -1])
np.square(np.arange(4))
np.absolute(-3 + 4j)
np.conjugate(1 + 2j)
np.copysign([1, -2], -1)
np.signbit([-0.0, 0.0, -1.0])
np.nextafter(1, 2) - 1
np.spacing(1.0)
np.isnan([1.0, np.nan]), np.isinf([np.inf, 1.0]), np.isfinite([np.nan, 1.0])
np.isneginf([-np.inf, np.inf]), np.isposinf([-np.inf, np.inf])
np.isreal([1 + 1j, 1 + 0j]), np.iscomplex([1 + 1j, 1 + 0j])
np.trunc([-1.7, 1.7]), np.ceil([-1.7, 1.7]), np.floor([-1.7, 1.7]), np.rint([-1.5, 2.5])
np.arccos([1, 0]), np.arcsin([0, 1]), np.arctan([0, 1]), np.arctan2([1, -1], [1, 1])
np.arccosh([1, 2]), np.arcsinh([0, 1]), np.arctanh([0, 0.5])
np.sinh([0, 1]), np.cosh([0, 1]), np.tanh([0, 1])
np.log10([10, 100]), np.log1p([0, 1]), np.expm1([0, 1])
np.equal([1, 2], [1, 3]), np.not_equal([1, 2], [1, 3]), np.less_equal(1, [0, 1, 2])
np.add.outer([1, 2], [10, 20, 30])
np.multiply.reduce([1, 2, 3, 4])
np.maximum.reduce([[1, 5], [4, 2]], axis=1)
np.minimum.accumulate([3, 1, 2, 0])
np.add.reduceat(np.arange(8), [0, 4, 1, 5])
np.subtract.outer([5, 6], [1, 2])
np.tril_indices(3, -1)
np.triu_indices_from(np.ones((3, 3)), 1)
np.diag_indices_from(np.ones((2, 2)))
np.mask_indices(3, np.triu)
np.fill_diagonal(np.zeros((2, 2)), 3)
np.put(np.zeros(3), [0], 1)
np.nonzero(np.array([[0, 1], [1, 0]]))
np.ix_([0, 1], [0, 2])
np.s_[1:3, ::2]
np.index_exp[2:4]
list(np.ndindex(2, 2))
np.sort_complex([5, 3, 6, 2, 1])
np.partition(np.array([3, 4, 2, 1]), 2)[2]
np.argpartition(np.array([3, 4, 2, 1]), 1)[:2]
np.histogram_bin_edges([0, 1, 2, 10], bins='auto')
np.histogramdd(np.array([[0, 0], [1, 1], [1, 0]]), bins=2)[0]
np.corrcoef(np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0], [1.0, 1.5, 2.0]]))
np.cov(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 2.0]), ddof=0)
np.nanquantile(np.array([[np.nan, 1.0], [2.0, 3.0]]), 0.5, axis=0)
np.nanpercentile(np.array([np.nan, 1.0, 5.0]), 25)
np.nanprod(np.array([np.nan, 2.0, 3.0]))
np.nanvar(np.array([1.0, np.nan, 2.0, 4.0]))
np.median(np.array([[10, 7, 4], [3, 2, 1]]), axis=None)
np.average(np.array([1, 2, 3, 4]), weights=np.array([4, 3, 2, 1]))
np.matvec(np.eye(2), np.array([1.0, 2.0]))
np.vecdot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
np.matmul(np.ones((2, 2, 3)), np.ones((3, 1))).shape
np.linalg.norm(np.array([[1.0, 2.0], [3.0, 4.0]]), ord='fro')
np.linalg.det(np.eye(3) * 2)
np.linalg.solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0]))
np.linalg.inv(np.array([[1.0, 2.0], [3.0, 4.0]]))
np.linalg.pinv(np.array([[1.0, 2.0], [2.0, 4.0]])).round(4)
np.linalg.matrix_rank(np.eye(4))
np.linalg.eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))[0]
np.linalg.svd(np.array([[3.0, 0.0], [0.0, 4.0]]), compute_uv=False)
np.linalg.qr(np.array([[1.0, 2.0], [3.0, 4.0]]))[1].round(4)
np.linalg.cholesky(np.array([[4.0, 2.0], [2.0, 3.0]]))
np.linalg.matrix_power(np.array([[1, 1], [1, 0]]), 10)
np.fft.fft([1, 2, 3, 4])
np.fft.ifft(np.fft.fft([1.0, 2.0, 3.0])).real
np.fft.rfftfreq(8, d=0.1)
np.fft.fftshift(np.fft.fftfreq(6))
np.fft.irfft(np.fft.rfft([1.0, 2.0, 3.0, 4.0]))
np.random.seed(1) or np.random.randint(0, 10, (2, 3))
np.random.seed(2) or np.random.normal(5, 2, 3)
np.random.seed(3) or np.random.uniform(1, 2, (2, 2))
np.random.seed(4) or np.random.choice([1, 2, 3], size=(2, 2), p=[0.2, 0.3, 0.5])
np.random.seed(5) or np.random.permutation(np.arange(5))
np.random.seed(6) or np.random.binomial(10, 0.5, 5)
np.random.seed(7) or np.random.poisson(2.0, 5)
np.random.seed(8) or np.random.random_sample(3)
np.random.default_rng(9).permutation(5)
np.random.default_rng(10).uniform(0, 1, 2)
np.random.default_rng(11).exponential(2.0, 3)
np.random.default_rng(12).choice([10, 20, 30], 2, replace=False)
'''.strip().split("\n")]


def _show(line, module):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = eval(line, {"np": module})
            return str(r), repr(r)   # (repr: also NumPy's scalar or 0-d array, dtype)
        except Exception as e:  # both libraries must fail alike
            return f"error {type(e).__name__}"


@pytest.mark.parametrize("line", LINES)
def test_one_liner_prints_what_numpy_prints(line):
    assert _show(line, ndgrad) == _show(line, numpy)


@pytest.mark.parametrize("shape", [(3, 3), (3, 5), (2, 3, 4), (4, 2, 3, 2), (0, 3)])
def test_diagonal_is_numpys_read_only_view_on_any_axes(shape):
    """np.diagonal on any pair of axes and offsets: NumPy's values and shape, and, as
    NumPy's, a read-only view (a write raises instead of reaching the base)."""
    import itertools
    np, nd = numpy, ndgrad
    x = np.arange(float(np.prod(shape))).reshape(shape)
    n = len(shape)
    for a1, a2 in itertools.permutations(range(-n, n), 2):
        if a1 % n == a2 % n:
            continue
        for off in (-2, 0, 1, 3):
            want = np.diagonal(x, off, a1, a2)
            got = nd.diagonal(nd.asarray(x), off, a1, a2)
            assert got.shape == want.shape
            np.testing.assert_array_equal(np.asarray(got), want)
    a = nd.asarray(x)
    with pytest.raises(ValueError, match="read-only"):
        nd.diagonal(a)[...] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        a.diagonal()[...] = 5.0
    np.testing.assert_array_equal(np.asarray(a), x)
    with pytest.raises(ValueError, match="cannot be the same"):
        nd.diagonal(a, 0, 1, 1 - n)


def test_scalar_types_called_on_arrays_give_new_ndgrad_arrays():
    """np.float32(array) is NumPy's new array of that type: an ndgrad array here, never
    the argument itself (a write into it leaves the argument alone, as in NumPy); a 0-d
    array or a number gives NumPy's scalar."""
    x = ndgrad.asarray([1.5, 2.5])
    for t in (ndgrad.float32, ndgrad.float64, ndgrad.int64):
        y = t(x)
        assert isinstance(y, ndgrad.Array) and y.dtype == t
        want = getattr(numpy, t.dtype.name)(numpy.asarray([1.5, 2.5]))
        numpy.testing.assert_array_equal(numpy.asarray(y), want)
        y[0] = 9
        numpy.testing.assert_array_equal(numpy.asarray(x), [1.5, 2.5])
    lst = ndgrad.float32([1, 2])
    assert isinstance(lst, ndgrad.Array) and lst.dtype == numpy.float32
    assert type(ndgrad.float32(ndgrad.asarray(1.5))) is numpy.float32
    assert type(ndgrad.float64(2)) is numpy.float64
    w = ndgrad.asarray(2.0, requires_grad=True)
    v = ndgrad.float64(w)
    assert v is not w and repr(w) == "array(2.)"


def test_flat_slices_are_copies_as_numpys():
    """x.flat[a:b] (and fancy keys) read a copy, as NumPy's flat iterator: a write into
    the result leaves x alone; x.flat[i] = v writes x."""
    a = ndgrad.arange(6.0).reshape(2, 3)
    for key in (slice(None), slice(1, 4), [0, 2]):
        r = a.flat[key]
        r[0] = 99.0
        numpy.testing.assert_array_equal(numpy.asarray(a), numpy.arange(6.0).reshape(2, 3))
    a.flat[4] = -1.0
    assert float(a[1, 1]) == -1.0


def test_masked_arrays_get_numpys_results_or_a_clear_error():
    """numpy.ma masked arrays: NumPy's functions honour the mask; ndgrad's functions hand
    them to NumPy (the same results), and its elementwise functions refuse them (they
    computed with the masked values: np.mean gave nan where NumPy gives 2.67)."""
    m = numpy.ma.masked_array([1.0, 2.0, numpy.nan, 5.0], mask=[0, 0, 1, 0])
    for name in ("mean", "sum", "max", "std", "cumsum", "sort", "argmax"):
        got, want = getattr(ndgrad, name)(m), getattr(numpy, name)(m)
        assert str(got) == str(want) and type(got) is type(want), name
    with pytest.raises(TypeError, match="masked"):
        ndgrad.sqrt(m)
    with pytest.raises(TypeError, match="masked"):
        ndgrad.add(m, 1.0)
    # np.asarray drops the mask, as NumPy's does
    assert str(ndgrad.asarray(m)) == str(numpy.asarray(m))


def test_a_call_handed_to_numpy_converts_ndgrad_arguments():
    """A call with non-numeric data goes to NumPy's function; an ndgrad array among its
    arguments goes as NumPy's (NumPy handed the call back through __array_function__:
    RecursionError)."""
    a = ndgrad.arange(1, 9).reshape(2, 2, 2)
    obj = numpy.array(("a", "b", "c", "d"), dtype=object).reshape(2, 2)
    want = numpy.tensordot(numpy.arange(1, 9).reshape(2, 2, 2), obj)
    assert list(ndgrad.tensordot(a, obj)) == list(want)


def test_linalg_matmul_takes_lists_as_numpys():
    """np.linalg.matmul([2j, 3j], [2j, 3j]) is NumPy's -13+0j (it raised, naming the
    lists' shapes as ())."""
    for a, b in (([2j, 3j], [2j, 3j]), ([[1, 2]], [3, 4]), ([1.0, 2.0], [[1.0], [2.0]])):
        want = numpy.linalg.matmul(a, b)
        got = ndgrad.linalg.matmul(a, b)
        assert repr(got) == repr(want)
