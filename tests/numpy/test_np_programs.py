"""NumPy programs run unchanged with ``import ndgrad as np`` and print what NumPy prints.

Each program is executed twice, with ``np`` bound to NumPy and to ndgrad, and the printed
text must be identical (the exercises are in the style of the well-known "100 NumPy
exercises", NumPy's quickstart tutorial and everyday NumPy scripts).
"""
import contextlib
import io
import warnings

import numpy
import pytest

import ndgrad

PROGRAM_1 = r'''
Z = np.zeros(10); Z[4] = 1; print(Z)
print(np.arange(10,50)[::-1])
print(np.arange(9).reshape(3,3))
print(np.nonzero([1,2,0,0,4,0]))
print(np.eye(3))
np.random.seed(0); Z = np.random.random((3,3)); print(Z.min(), Z.max(), Z.mean())
Z = np.ones((5,5)); Z[1:-1,1:-1] = 0; print(Z)
print(np.pad(np.ones((2,2)), pad_width=1, mode='constant', constant_values=0))
print(0 * np.nan, np.nan == np.nan, np.inf > np.nan, np.nan - np.nan, 0.3 == 3 * 0.1)
print(np.diag(1+np.arange(4),k=-1))
Z = np.zeros((8,8),dtype=int); Z[1::2,::2] = 1; Z[::2,1::2] = 1; print(Z)
print(np.unravel_index(99,(6,7,8)))
print(np.tile(np.array([[0,1],[1,0]]), (2,2)))
np.random.seed(1); Z = np.random.random((3,3)); Z = (Z - np.mean (Z)) / (np.std (Z)); print(Z)
print(np.dot(np.ones((5,3)), np.ones((3,2))))
Z = np.arange(11); Z[(3 < Z) & (Z < 8)] *= -1; print(Z)
print(sum(range(5),-1))
Z = np.arange(5); print(Z**Z, 2 << Z >> 2, Z <- Z, 1j*Z, Z/1/1)
np.random.seed(2); Z = np.random.uniform(-10,+10,10); print(np.copysign(np.ceil(np.abs(Z)), Z))
print(np.intersect1d(np.array([0,1,2,5]), np.array([5,2,7])))
A = np.ones(3)*1; B = np.ones(3)*2; np.add(A,B,out=B); np.divide(A,2,out=A); np.negative(A,out=A); np.multiply(A,B,out=A); print(A)
np.random.seed(3); Z = np.random.uniform(0,10,10); print(Z - Z%1); print(Z // 1); print(np.floor(Z)); print(Z.astype(int)); print(np.trunc(Z))
Z = np.zeros((5,5)); Z += np.arange(5); print(Z)
def generate():
    for x in range(10):
        yield x
print(np.fromiter(generate(),dtype=float,count=-1))
print(np.linspace(0,1,11,endpoint=False)[1:])
np.random.seed(4); Z = np.random.random(10); Z.sort(); print(Z)
print(np.add.reduce(np.arange(10)))
np.random.seed(5); A = np.random.randint(0,2,5); B = np.random.randint(0,2,5); print(np.allclose(A,B), np.array_equal(A,B))
np.random.seed(6); Z = np.random.random((10,2)); X,Y = Z[:,0], Z[:,1]; R = np.sqrt(X**2+Y**2); T = np.arctan2(Y,X); print(R); print(T)
np.random.seed(7); Z = np.random.random(10); Z[Z.argmax()] = 0; print(Z)
Z = np.zeros((5,5), [('x',float),('y',float)]) if False else np.meshgrid(np.linspace(0,1,5), np.linspace(0,1,5)); print(Z)
X = np.arange(8); Y = X + 0.5; C = 1.0 / np.subtract.outer(X, Y); print(np.linalg.det(C))
for dtype in [np.int8, np.int32, np.int64]: print(np.iinfo(dtype).min, np.iinfo(dtype).max)
Z = np.arange(100); v = 37.3; print(Z[(np.abs(Z-v)).argmin()])
np.random.seed(8); Z = np.random.random((10,2)); X,Y = np.atleast_2d(Z[:,0], Z[:,1]); D = np.sqrt( (X-X.T)**2 + (Y-Y.T)**2); print(D.shape, D[0, :3])
Z = (np.random.rand(10)*100).astype(np.float32); Y = Z.astype(np.int32, copy=False); print(Y.dtype)
Z = np.arange(9).reshape(3,3)
for index, value in np.ndenumerate(Z): print(index, value)
for index in np.ndindex(Z.shape): print(index, Z[index])
X, Y = np.meshgrid(np.linspace(-1,1,4), np.linspace(-1,1,4)); D = np.sqrt(X*X+Y*Y); sigma, mu = 1.0, 0.0; G = np.exp(-( (D-mu)**2 / ( 2.0 * sigma**2 ) ) ); print(G)
n = 5; p = 3; Z = np.zeros((n,n)); np.random.seed(9); np.put(Z, np.random.choice(range(n*n), p, replace=False),1); print(Z)
np.random.seed(10); X = np.random.rand(5, 10); Y = X - X.mean(axis=1, keepdims=True); print(Y.shape, Y.sum())
np.random.seed(11); Z = np.random.randint(0,10,(3,3)); print(Z); print(Z[Z[:,1].argsort()])
Z = np.random.randint(0,3,(3,10)); print((~Z.any(axis=0)).any())
Z = np.random.uniform(0,1,10); z = 0.5; m = Z.flat[np.abs(Z - z).argmin()]; print(type(m).__name__ in ('float64','ndarray', 'Array', 'float'))
A = np.arange(3).reshape(3,1); B = np.arange(3).reshape(1,3); print(A + B)
Z = np.ones(10); I = np.random.randint(0,len(Z),20); Z += np.bincount(I, minlength=len(Z)); print(Z.shape)
X = [1,2,3,4,5,6]; I = [1,3,9,3,4,1]; F = np.bincount(I,X); print(F)
A = np.random.randint(0,10,(3,4,3,4)); sum = A.sum(axis=(-2,-1)); print(sum.shape)
del sum
np.random.seed(12); A = np.random.uniform(0,1,(5,5)); B = np.random.uniform(0,1,(5,5)); print(np.diag(np.dot(A, B))); print(np.einsum("ij,ji->i", A, B))
Z = np.array([1,2,3,4,5]); nz = 3; Z0 = np.zeros(len(Z) + (len(Z)-1)*(nz)); Z0[::nz+1] = Z; print(Z0)
A = np.arange(25).reshape(5,5); A[[0,1]] = A[[1,0]]; print(A)
C = np.bincount([1,1,2,3,4,4,6]); A = np.repeat(np.arange(len(C)), C); print(A)
def moving_average(a, n=3):
    ret = np.cumsum(a, dtype=float); ret[n:] = ret[n:] - ret[:-n]; return ret[n - 1:] / n
print(moving_average(np.arange(20)))
Z = np.random.randint(0,2,100); np.logical_not(Z, out=Z); print(Z.dtype)
Z = np.random.uniform(-1.0,1.0,100); np.negative(Z, out=Z); print(Z.shape)
Z = np.arange(10); print(np.percentile(Z, [2.5, 97.5]))
np.random.seed(13); Z = np.random.randint(0,5,(10,3)); E = np.all(Z[:,1:] == Z[:,:-1], axis=1); print(Z[~E])
I = np.array([0, 1, 2, 3, 15, 16, 32, 64, 128]); B = ((I.reshape(-1,1) & (2**np.arange(8))) != 0).astype(int); print(B[:,::-1])
print(np.unpackbits(I[:, np.newaxis].astype(np.uint8), axis=1))
A = np.arange(3); B = np.arange(3)*2; print(np.einsum('i->', A), np.einsum('i,i->i', A, B), np.einsum('i,i', A, B), np.einsum('i,j->ij', A, B))
np.random.seed(14); X = np.random.randn(100); N = 100; idx = np.random.randint(0, X.size, (N, X.size)); means = X[idx].mean(axis=1); confint = np.percentile(means, [2.5, 97.5]); print(confint)
print(np.arange(10).reshape(2,5).T)
print(np.ones((3,3)) @ np.arange(3))
x = np.array([1.5, 2.5, -0.5]); print(x.round(), np.round(x), np.around(x, 1), x.clip(0, 2), np.sign(x), np.abs(x).sum())
print(np.array([[1, 2], [3, 4]]).tolist(), np.array([1.5]).item())
print(repr(np.array([1, 2, 3], dtype=np.float32)), repr(np.linspace(0, 1, 3)))
M = np.array([[2., 1.], [1., 3.]]); print(np.linalg.inv(M)); print(np.linalg.solve(M, np.array([1., 2.]))); print(np.linalg.eigvalsh(M)); print(np.linalg.norm(M))
print(np.concatenate([np.zeros(2), np.ones(3)]), np.vstack([np.zeros(2), np.ones(2)]), np.hstack([np.zeros(2), np.ones(2)]))
print(np.where(np.arange(5) > 2, 1, 0), np.argmax([[1, 5], [7, 2]], axis=1), np.cumsum([[1, 2], [3, 4]], axis=0))
a = np.arange(6).reshape(2, 3); print(a.shape, a.ndim, a.size, a.dtype, a.itemsize, a.nbytes, len(a))
print(np.histogram([1, 2, 1, 4], bins=3))
print(np.unique([1, 1, 2, 3, 3, 3], return_counts=True))
print(np.mean([1, 2, 3, 4]), np.median([3, 1, 2]), np.std([1, 2, 3, 4]), np.var([1, 2, 3, 4]))
np.set_printoptions(precision=3); print(np.array([1/3, 2/3])); np.set_printoptions(precision=8)
print(np.array([[1,2],[3,4]]) * np.array([10, 20]))
print(np.sum(np.arange(10) ** 2), np.prod([1, 2, 3, 4]), np.max([1, 9, 3]), np.min([4, 2]))
print(np.isnan(np.array([1.0, np.nan])), np.isinf(np.inf), np.nanmean([1.0, np.nan, 3.0]))
print(np.array([True, False]).any(), np.array([True, False]).all(), np.count_nonzero([1, 0, 2]))
print(np.split(np.arange(6), 3), np.array_split(np.arange(7), 3))
print(np.flip(np.arange(4)), np.roll(np.arange(4), 1), np.sort([3, 1, 2])[::-1])
print(np.full((2, 2), 7), np.zeros_like(np.ones(3)), np.identity(2, dtype=int))
print(np.sin(np.pi / 2), np.cos(0), np.exp(1), np.log(np.e), np.sqrt(16), np.power(2, 10))
print(np.random.default_rng(0).normal(size=3))
print(np.random.default_rng(1).integers(0, 10, size=5))
print(np.array([1, 2, 3]).mean(), np.array([1, 2, 3]).sum(), np.arange(4).reshape(2, 2).max(axis=0))
'''

PROGRAM_2 = r'''
import io
x = np.array([3.5, -1.25, 2.0, 7.75, 0.5])
print(f"{x.mean():.3f} {x.std():.3f} {float(x.sum()):.2f} {int(np.argmax(x))}")
print('{:.2f}'.format(x.max()), x[x > 0].sum(), x[x > 0], (x > 1).sum(), np.sum(x > 1))
print(np.array([np.array([1, 2]), np.array([3, 4])]))
print(x.reshape(-1, 1).shape, x[:, np.newaxis].shape, x[None].shape, x[..., None].shape)
a = np.arange(12).reshape(3, 4)
print(a[1], a[:, 1], a[1:, ::2], a[[0, 2]], a[[0, 1], [1, 2]], a[a % 2 == 0])
a[a > 5] = 0; print(a)
a[:, 0] = [9, 8, 7]; print(a)
b = a.copy(); b[0, 0] = -1; print(a[0, 0], b[0, 0])
c = a[0]; c[1] = 100; print(a[0])
print(np.std([1, 2, 3, 4], ddof=1), np.var([1.0, 2.0], ddof=1))
xs = np.array([1.0, 2.0, 3.0, 4.0]); ys = np.array([2.1, 3.9, 6.2, 7.8])
print(np.cov(xs, ys)); print(np.corrcoef(xs, ys)); print(np.polyfit(xs, ys, 1))
print(np.digitize([0.5, 1.5, 2.5], [1, 2]), np.searchsorted([1, 3, 5], [2, 4]))
print(np.linalg.matrix_power(np.array([[1, 1], [0, 1]]), 3), np.trace(np.eye(3)), np.outer([1, 2], [3, 4]))
print(np.kron(np.eye(2), np.ones((2, 2))))
np.set_printoptions(suppress=True); print(np.array([1e-10, 1.0])); np.set_printoptions(suppress=False)
s = io.StringIO(); np.savetxt(s, np.array([[1.0, 2.0]]), fmt="%.1f"); print(s.getvalue().strip())
print(np.loadtxt(io.StringIO("1 2\n3 4")))
print(x.dtype, x.dtype.name, a.dtype, np.array([1, 2], dtype=np.uint8) + 250)
print(np.array([1, 2, 3]) / 2, np.array([1, 2, 3]) // 2, np.array([1, 2, 3]) % 2, -np.array([1, 2]) ** 2)
print(np.array([1.5, 2.5]).astype(int), np.array(['1', '2']).astype(float) if False else '', np.array([True, False]).astype(int))
L = [1, 2, 3]; print(np.mean(L), np.max(L), np.cumsum(L), np.array(L) * 2)
m = np.array([[4.0, 1.0], [2.0, 3.0]])
print(np.linalg.svd(m)[1], np.linalg.qr(m)[0].shape, np.linalg.cholesky(np.array([[4.0, 2.0], [2.0, 3.0]])))
print(np.linalg.lstsq(m, np.array([1.0, 2.0]), rcond=None)[0] if hasattr(np.linalg, 'lstsq') else '')
print(np.fft.fft(np.array([1.0, 0.0, -1.0, 0.0])), np.fft.fftfreq(4))
print(np.abs(np.fft.rfft(np.sin(np.linspace(0, 2 * np.pi, 8, endpoint=False)))).round(6))
print(np.isclose(0.1 + 0.2, 0.3), np.round(2.5), np.round(3.14159, 2), round(3.7))
print(np.array([[1, 2], [3, 4]]).flatten(), np.ravel(np.array([[1, 2], [3, 4]]), order='F'))
print(np.zeros((2, 3)).T.shape, np.ones((2, 3, 4)).transpose(2, 0, 1).shape)
print(np.array([3, 1, 2]).argsort()[::-1], np.argsort(-np.array([3, 1, 2])))
print(np.max(np.array([[1, 2], [3, 4]]), axis=1, keepdims=True))
print(np.array_equal(np.array([1, 2]), [1, 2]), np.any(np.array([0, 0])), bool(np.all([1, 1])))
print(np.nan_to_num(np.array([np.nan, 1.0])), np.clip(np.array([1, 5, 10]), 2, 8))
d = {"a": np.arange(3)}; print(d)
print(np.arange(6).reshape(2, 3).sum(axis=0).tolist())
print(np.where([[True, False], [False, True]]))
print(np.exp(np.array([0, 1], dtype=np.float32)), np.sqrt(np.array([4, 9])))
print(repr(np.array([1.0, 2.0], dtype=np.float32) * 2), repr(np.arange(3) * 1.5))
print(np.array([1, 2, 3])[np.array([True, False, True])], np.count_nonzero(np.array([[0, 1], [2, 0]]), axis=0))
z = np.zeros((3, 3)); np.fill_diagonal(z, 5); print(z)
print(np.sum(np.array([[1, 2], [3, 4]]), axis=(0, 1)), np.median(np.array([[1, 2], [3, 4]]), axis=0))
print(np.matmul(np.ones((2, 3)), np.ones(3)), np.ones((2, 2)) @ np.ones((2, 2)))
e = np.empty((2, 2)); e[:] = 3; print(e)
print(np.array(5), np.array(5).shape, np.array([5]).shape, np.asarray(5.0) + 1)
print(np.mean(np.array([[1, 2], [3, 4]]), axis=0), np.average([1, 2, 3], weights=[3, 2, 1]))
print(np.full(3, np.nan), np.isnan(np.full(3, np.nan)).all())
print(np.logical_and([True, False], [True, True]), np.logical_or.reduce([False, True]))
print(np.arange(1, 11).reshape(2, 5).prod(axis=1), np.cumprod([1, 2, 3, 4]))
print(np.tril(np.ones((3, 3))), np.triu(np.ones((3, 3)), 1))
print(np.random.seed(42) or np.random.rand(2), np.random.randn(2), np.random.randint(1, 7, size=4))
print(np.random.choice(['a', 'b', 'c'], 2) if False else np.random.choice([10, 20, 30], 2), np.random.permutation([1, 2, 3]))
lst = [1, 2, 3, 4]; np.random.seed(0); np.random.shuffle(lst); print(lst)
'''

PROGRAM_3 = r'''
def iterate(Z):
    N = (Z[0:-2,0:-2] + Z[0:-2,1:-1] + Z[0:-2,2:] + Z[1:-1,0:-2] + Z[1:-1,2:] + Z[2:  ,0:-2] + Z[2:  ,1:-1] + Z[2:  ,2:])
    birth = (N==3) & (Z[1:-1,1:-1]==0)
    survive = ((N==2) | (N==3)) & (Z[1:-1,1:-1]==1)
    Z[...] = 0
    Z[1:-1,1:-1][birth | survive] = 1
    return Z
np.random.seed(0)
Z = np.random.randint(0,2,(8,8))
for i in range(5): Z = iterate(Z)
print(Z)
x = np.linspace(-2, 1, 6); y = np.linspace(-1.5, 1.5, 5)
C = x[np.newaxis, :] + 1j * y[:, np.newaxis]
Zc = np.zeros_like(C); N = np.zeros(C.shape, dtype=int)
for n in range(10):
    I = np.abs(Zc) < 2.0
    N[I] = n
    Zc[I] = Zc[I] ** 2 + C[I]
print(N)
print(np.arange(0, 1, 0.1), np.linspace(0, 1, 5, retstep=True), np.logspace(0, 1, 5, base=2))
print(np.histogram(np.array([1., 2., 2., 3.]), bins=2, density=True))
z = np.array([1+2j, 3-4j]); print(z, np.abs(z), z.conj(), np.angle(z), z.real, z.imag)
x = np.array([3., -1., 2., -5., 4.])
print(np.sort(x)[::-1], np.argsort(x)[::-1][:3], np.maximum(x, 0), np.minimum(x, 0))
x[::2] = 0; print(x); x[x < 0] = 7; print(x)
a = np.arange(12.).reshape(3, 4)
print(np.percentile(a, 50, axis=0), np.round(a / 7, 2), np.sum(a, axis=1, keepdims=True))
print(np.where(a > 5)[0], np.argwhere(a > 9), np.unique(np.array([[1, 2], [1, 2], [3, 4]]), axis=0))
print(np.expand_dims(a, 0).shape, np.squeeze(a[None]).shape, np.swapaxes(a, 0, 1).shape)
print(a.max(axis=0).argmax(), np.isin(a, [1, 5]).sum(), np.delete(a, 1, axis=0), np.insert(np.arange(3), 1, [9, 9]))
print(np.add.reduceat(np.arange(8), [0, 4, 1, 5]))
print(np.lib.stride_tricks.sliding_window_view(np.arange(6), 3))
b = np.arange(10); b[2:5] = b[2:5][::-1]; print(b)
m = np.arange(16).reshape(4, 4); m[1:3, 1:3] += 100; print(m); print(m[::-1, ::-1].diagonal())
v = np.arange(5); w = v[1:4]; w *= 10; print(v)
print(np.array([[1, 2], [3, 4]]).T @ np.array([1, 1]), np.linalg.det(np.array([[1., 2.], [3., 4.]])))
print(np.array_split(np.arange(10), 4), np.hsplit(np.arange(12).reshape(2, 6), 3)[1])
print(np.meshgrid(np.arange(2), np.arange(3), indexing='ij')[0])
e = np.eye(3, dtype=bool); print(e, e.sum(), (~e).astype(int))
print(np.linalg.norm(np.array([3.0, 4.0])), np.linalg.norm(np.ones((2, 2)), axis=1), np.linalg.inv(np.eye(2) * 2))
r = np.random.RandomState(42); print(r.randint(0, 100, 5), r.normal(0, 1, 2), r.uniform(size=2))
g = np.random.default_rng(7); print(g.integers(0, 10, 4), g.random(2), g.choice(5, 3, replace=False), g.normal(size=2))
print(np.int64(5) + np.arange(3), np.float32(1.5) * np.ones(2, dtype=np.float32))
print(np.ones((2, 2), dtype=np.int8).dtype, np.zeros(3, dtype=np.complex128), np.array([1, 2], dtype='f4'))
print(np.bincount(np.array([0, 1, 1, 2, 2, 2])), np.cumsum(np.ones((2, 3)), axis=1), np.diff(np.array([1, 4, 9, 16]), n=2))
print(np.allclose(np.dot(np.linalg.inv(np.array([[2., 1.], [1., 3.]])), np.array([[2., 1.], [1., 3.]])), np.eye(2)))
print(np.trapezoid(np.array([1., 2., 3.]), dx=2), np.interp([1.5, 2.5], [1, 2, 3], [10, 20, 30]))
print(np.convolve([1, 2, 3], [0, 1, 0.5], 'same'), np.correlate([1, 2, 3], [0, 1, 0.5], 'full'))
print(np.gradient(np.array([1., 4., 9., 16.])), np.cross([1, 0, 0], [0, 1, 0]), np.einsum('ij->ji', np.arange(6).reshape(2, 3)))
'''

PROGRAM_4 = r'''
import io
csv = "a,b,c\n1,2.5,3\n4,,6\n7,8.5,-9\n2,1,0\n"
data = np.genfromtxt(io.StringIO(csv), delimiter=',', skip_header=1)
print(data); print(np.nanmean(data, axis=0), np.isnan(data).sum(axis=0), np.nanmax(data, axis=1), np.nanargmin(data[:, 1]))
clean = np.where(np.isnan(data), 0.0, data); print(clean[clean[:, 0] > 1.5])
print(np.round((clean - clean.mean(axis=0)) / clean.std(axis=0, ddof=1), 3))
print(np.corrcoef(clean.T).round(4)); print(np.percentile(clean, [25, 50, 75], axis=0))
print(np.histogram(clean[:, 0], bins=np.linspace(0, 8, 5)))
labels = np.array([2, 0, 2, 1, 0, 2]); u, inv = np.unique(labels, return_inverse=True); print(u, inv, np.bincount(inv))
print(np.lexsort((np.array([3, 1, 2]), np.array([1, 1, 0]))), np.searchsorted(np.array([1, 3, 5, 7]), [0, 3, 8], side='right'))
x = np.array([1.0, 4.0, 2.0, 8.0]); print(np.abs(np.diff(x)).max(), np.log1p(x), np.mean(x ** 2) ** 0.5, (x - x.mean()) / x.std(ddof=1))
np.random.seed(0)
X = np.column_stack([np.ones(20), np.random.rand(20)])
y = X @ np.array([1.5, -2.0]) + 0.01 * np.random.randn(20)
beta = np.linalg.solve(X.T @ X, X.T @ y); print(beta.round(3))
w = np.zeros(2)
for i in range(200):
    grad = 2 * X.T @ (X @ w - y) / len(y)
    w -= 0.5 * grad
print(w.round(3), np.mean((X @ w - y) ** 2).round(6))
p = np.polyfit(X[:, 1], y, 1); print(p.round(3), np.polyval(p, 0.5).round(3))
def sigmoid(z): return 1 / (1 + np.exp(-z))
np.random.seed(1); Xc = np.random.randn(30, 2); yc = (Xc[:, 0] + Xc[:, 1] > 0).astype(float)
wc = np.zeros(2); bc = 0.0
for i in range(100):
    pr = sigmoid(Xc @ wc + bc); wc -= 0.5 * Xc.T @ (pr - yc) / 30; bc -= 0.5 * np.mean(pr - yc)
print(wc.round(3), round(float(bc), 3), np.mean((sigmoid(Xc @ wc + bc) > 0.5) == yc))
def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True)); return e / e.sum(axis=1, keepdims=True)
print(softmax(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])).round(4))
A = np.random.rand(4, 4); Q, R = np.linalg.qr(A); print(np.allclose(Q @ R, A), np.allclose(np.triu(R), R))
print(np.linalg.matrix_rank(np.ones((3, 3))), np.linalg.eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]])))
dist = np.sqrt(((Xc[:5, None, :] - Xc[None, :5, :]) ** 2).sum(-1)); print(dist.round(3)); print(dist.argmin(axis=1), np.argsort(dist, axis=1)[:, 1])
print(np.cumsum(np.array([[1, 2], [3, 4]]), axis=None), np.cumprod(np.array([1., 2., 3.]))[-1])
onehot = np.eye(3)[np.array([0, 2, 1, 2])]; print(onehot, onehot.argmax(axis=1))
img = np.arange(16.).reshape(4, 4); k = np.array([[0., 1., 0.], [1., -4., 1.], [0., 1., 0.]])
out = np.zeros((2, 2))
for i in range(2):
    for j in range(2):
        out[i, j] = (img[i:i+3, j:j+3] * k).sum()
print(out)
print(np.pad(img, 1, mode='edge')[0], np.rot90(img)[0], np.flipud(img)[0], np.fliplr(img)[0])
print(img.mean(axis=(0, 1)), img.reshape(2, 2, 2, 2).mean(axis=(1, 3)))
'''

PROGRAM_5 = r'''
from numpy.lib import stride_tricks
Z = np.zeros(10)
Z.flags.writeable = False
try:
    Z[0] = 1
except ValueError as e:
    print("read-only")
Z = np.zeros((5,5), [('x',float),('y',float)])
Z['x'], Z['y'] = np.meshgrid(np.linspace(0,1,5), np.linspace(0,1,5))
print(Z)
np.random.seed(0)
Z = (np.random.rand(10)*100).astype(np.float32)
Y = Z.view(np.int32)
Y[:] = Z
print(Y)
A = np.arange(3).reshape(3,1); B = np.arange(3).reshape(1,3)
it = np.nditer([A,B,None])
for x,y,z in it: z[...] = x + y
print(it.operands[2])
def rolling(a, window):
    shape = (a.size - window + 1, window)
    strides = (a.strides[0], a.strides[0])
    return stride_tricks.as_strided(a, shape=shape, strides=strides)
print(rolling(np.arange(10), 3))
Z = np.arange(1,15,dtype=np.uint32)
print(stride_tricks.as_strided(Z,(11,4),(4,4)))
Z = np.random.randint(0,5,(6,6)); n = 3; i = 1 + (Z.shape[0]-3); j = 1 + (Z.shape[1]-3)
C = stride_tricks.as_strided(Z, shape=(i, j, n, n), strides=Z.strides + Z.strides); print(C[0, 0], C.shape)
Z = np.ones((16,16)); k = 4
S = np.add.reduceat(np.add.reduceat(Z, np.arange(0, Z.shape[0], k), axis=0), np.arange(0, Z.shape[1], k), axis=1); print(S)
Z = np.arange(100); np.random.shuffle(Z); n = 5
print(Z[np.argsort(Z)[-n:]]); print(np.sort(Z[np.argpartition(-Z,n)[:n]]))
def cartesian(arrays):
    arrays = [np.asarray(a) for a in arrays]
    shape = (len(x) for x in arrays)
    ix = np.indices(shape, dtype=int)
    ix = ix.reshape(len(arrays), -1).T
    for n, arr in enumerate(arrays):
        ix[:, n] = arrays[n][ix[:, n]]
    return ix
print(cartesian(([1, 2, 3], [4, 5], [6, 7])))
A = np.random.randint(0,5,(8,3)); B = np.random.randint(0,5,(2,2))
C = (A[..., np.newaxis, np.newaxis] == B); rows = np.where(C.any((3,1)).all(1))[0]; print(rows)
Z = np.random.randint(0,5,(10,3)); E = np.all(Z[:,1:] == Z[:,:-1], axis=1); print(Z[~E].shape, Z[Z.max(axis=1) != Z.min(axis=1),:].shape)
M = np.ones((3, 4, 5)); V = np.ones((3, 5, 1)); print(np.tensordot(M, V, axes=[[0, 2], [0, 1]]))
x = np.random.rand(int(5e3)); print(np.allclose(np.power(x,3), x*x*x), np.allclose(np.einsum('i,i,i->i',x,x,x), x**3))
X = np.asarray([1.0, 2.0, 3.0, 4.0]); N = 1000
idx = np.random.randint(0, X.size, (N, X.size)); means = X[idx].mean(axis=1); print(np.percentile(means, [2.5, 97.5]))
Z = np.ones(10); I = np.random.randint(0,len(Z),20); np.add.at(Z, I, 1); print(Z)
A = np.ones((5,5,3)); B = 2*np.ones((5,5)); print((A * B[:,:,None]).sum())
print(np.array(0) / np.array(0), np.array(0) // np.array(0))
print(np.sqrt(-1) == np.emath.sqrt(-1))
Z = np.random.uniform(0, 1, 10); Z[Z.argmax()] = 0; print(Z.round(3))
Z = np.random.random((5,5)); Zmax, Zmin = Z.max(), Z.min(); Z = (Z - Zmin)/(Zmax - Zmin); print(Z.round(2))
Z = np.dot(np.ones((5,3)), np.ones((3,2))); print(Z @ np.ones(2))
Z = np.arange(11); Z[(3 < Z) & (Z < 8)] *= -1; print(Z)
Z = np.random.random(30); m = Z.mean(); print(round(float(m), 4))
Z = np.zeros((10,10)); Z[:, [0, -1]] = 1; Z[[0, -1], :] = 1; print(Z.sum())
print(np.diag(np.arange(1, 5), k=-1).shape, np.unravel_index(99, (6, 7, 8)))
print(np.ones((3, 3)) * np.arange(3)[:, None] + np.arange(3))
'''

PROGRAM_6 = r'''
from numpy import pi, newaxis
a = np.arange(15).reshape(3, 5); print(a, a.shape, a.ndim, a.dtype.name, a.itemsize, a.size)
print(np.array([(1.5, 2, 3), (4, 5, 6)]), np.array([[1, 2], [3, 4]], dtype=complex))
print(np.zeros((3, 4)), np.ones((2, 3, 4), dtype=np.int16), np.arange(10, 30, 5), np.arange(0, 2, 0.3), np.linspace(0, 2, 9))
x = np.linspace(0, 2 * pi, 10); print(np.sin(x))
print(np.arange(10000)); print(np.arange(10000).reshape(100, 100))
a = np.array([20, 30, 40, 50]); b = np.arange(4); c = a - b; print(c, b**2, 10 * np.sin(a), a < 35)
A = np.array([[1, 1], [0, 1]]); B = np.array([[2, 0], [3, 4]]); print(A * B, A @ B, A.dot(B))
rg = np.random.default_rng(1); a = np.ones((2, 3), dtype=int); b = rg.random((2, 3)); a *= 3; print(a); b += a; print(b)
try:
    a += b
except Exception as e:
    print("cannot add float into int in place:", type(e).__name__ in ("UFuncTypeError", "TypeError", "UFuncOutputCastingError"))
a = np.ones(3, dtype=np.int32); b = np.linspace(0, pi, 3); print(b.dtype.name); c = a + b; print(c, c.dtype.name); d = np.exp(c * 1j); print(d, d.dtype.name)
a = rg.random((2, 3)); print(a, a.sum(), a.min(), a.max())
b = np.arange(12).reshape(3, 4); print(b.sum(axis=0), b.min(axis=1), b.cumsum(axis=1))
B = np.arange(3); print(np.exp(B), np.sqrt(B)); C = np.array([2., -1., 4.]); print(np.add(B, C))
a = np.arange(10)**3; print(a, a[2], a[2:5]); a[:6:2] = 1000; print(a, a[::-1])
for i in a[:4]: print(i**(1 / 3.))
def f(x, y): return 10 * x + y
b = np.fromfunction(f, (5, 4), dtype=int); print(b, b[2, 3], b[0:5, 1], b[:, 1], b[1:3, :], b[-1])
c = np.array([[[0, 1, 2], [10, 12, 13]], [[100, 101, 102], [110, 112, 113]]]); print(c.shape, c[1, ...], c[..., 2])
for row in b: print(row)
for element in b.flat: print(element, end=" ")
print()
a = np.floor(10 * rg.random((3, 4))); print(a, a.shape, a.ravel(), a.reshape(6, 2), a.T, a.T.shape)
a.resize((2, 6)); print(a); print(a.reshape(3, -1))
a = np.floor(10 * rg.random((2, 2))); b = np.floor(10 * rg.random((2, 2)))
print(np.vstack((a, b)), np.hstack((a, b)), np.column_stack((a, b)))
a = np.array([4., 2.]); b = np.array([3., 8.]); print(np.column_stack((a, b)), np.hstack((a, b)), a[:, newaxis], np.column_stack((a[:, newaxis], b[:, newaxis])), np.hstack((a[:, newaxis], b[:, newaxis])))
print(np.r_[1:4, 0, 4])
a = np.floor(10 * rg.random((2, 12))); print(np.hsplit(a, 3)); print(np.hsplit(a, (3, 4)))
a = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]); b = a; print(b is a)
c = a.view(); print(c is a, c.base is a, c.flags.owndata); c = c.reshape((2, 6)); print(a.shape); c[0, 4] = 1234; print(a)
s = a[:, 1:3]; s[:] = 10; print(a)
d = a.copy(); print(d is a, d.base is a); d[0, 0] = 9999; print(a)
a = np.arange(12)**2; i = np.array([1, 1, 3, 8, 5]); print(a[i]); j = np.array([[3, 4], [9, 7]]); print(a[j])
palette = np.array([[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]); image = np.array([[0, 1, 2, 0], [0, 3, 4, 0]]); print(palette[image])
a = np.arange(12).reshape(3, 4); i = np.array([[0, 1], [1, 2]]); j = np.array([[2, 1], [3, 3]]); print(a[i, j], a[i, 2], a[:, j]); l = (i, j); print(a[l])
s = np.array([i, j]); print(a[tuple(s)])
time = np.linspace(20, 145, 5); data = np.sin(np.arange(20)).reshape(5, 4); print(time, data)
ind = data.argmax(axis=0); print(ind); time_max = time[ind]; data_max = data[ind, range(data.shape[1])]; print(time_max, data_max, np.all(data_max == data.max(axis=0)))
a = np.arange(5); a[[1, 3, 4]] = 0; print(a); a = np.arange(5); a[[0, 0, 2]] = [1, 2, 3]; print(a); a = np.arange(5); a[[0, 0, 2]] += 1; print(a)
a = np.arange(12).reshape(3, 4); b = a > 4; print(b, a[b]); a[b] = 0; print(a)
a = np.arange(12).reshape(3, 4); b1 = np.array([False, True, True]); b2 = np.array([True, False, True, False]); print(a[b1, :], a[b1], a[:, b2], a[b1, b2])
a = np.array([2, 3, 4, 5]); b = np.array([8, 5, 4]); c = np.array([5, 4, 6, 8, 3]); ax, bx, cx = np.ix_(a, b, c); print(ax, bx, cx, ax.shape, bx.shape, cx.shape)
result = ax + bx * cx; print(result[3, 2, 4], a[3] + b[2] * c[4])
def ufunc_reduce(ufct, *vectors):
    vs = np.ix_(*vectors); r = ufct.identity
    for v in vs: r = ufct(r, v)
    return r
print(ufunc_reduce(np.add, a, b, c))
rg = np.random.default_rng(1); mu, sigma = 2, 0.5; v = rg.normal(mu, sigma, 10000); (n, bins) = np.histogram(v, bins=5, density=True); print(n, bins)
a = np.arange(30); b = a.reshape((2, -1, 3)); print(b.shape, b)
x = np.arange(0, 10, 2); y = np.arange(5); m = np.vstack([x, y]); xy = np.hstack([x, y]); print(m, xy)
'''

PROGRAM_7 = r'''
np.random.seed(3)
def distance(P0, P1, p):
    T = P1 - P0
    L = (T**2).sum(axis=1)
    U = -((P0[:,0]-p[...,0])*T[:,0] + (P0[:,1]-p[...,1])*T[:,1]) / L
    U = U.reshape(len(U),1)
    D = P0 + U*T - p
    return np.sqrt((D**2).sum(axis=1))
P0 = np.random.uniform(-10,10,(10,2)); P1 = np.random.uniform(-10,10,(10,2)); p = np.random.uniform(-10,10,( 1,2))
print(distance(P0, P1, p))
p = np.random.uniform(-10, 10, (10,2)); print(np.array([distance(P0,P1,p_i) for p_i in p]).shape)
Z = np.random.randint(0,10,(10,10)); shape = (5,5); fill = 0; position = (1,1)
R = np.ones(shape, dtype=Z.dtype)*fill
P = np.array(list(position)).astype(int); Rs = np.array(list(R.shape)).astype(int); Zs = np.array(list(Z.shape)).astype(int)
R_start = np.zeros((len(shape),)).astype(int); R_stop = np.array(list(shape)).astype(int)
Z_start = (P-Rs//2); Z_stop = (P+Rs//2)+Rs%2
R_start = (R_start - np.minimum(Z_start,0)).tolist(); Z_start = (np.maximum(Z_start,0)).tolist()
R_stop = np.maximum(R_start, (R_stop - np.maximum(Z_stop-Zs,0))).tolist(); Z_stop = (np.minimum(Z_stop,Zs)).tolist()
r = [slice(start,stop) for start,stop in zip(R_start,R_stop)]; z = [slice(start,stop) for start,stop in zip(Z_start,Z_stop)]
R[tuple(r)] = Z[tuple(z)]; print(Z); print(R)
Z = np.random.randint(0,2,(16,16)); k = 4
windows = np.lib.stride_tricks.sliding_window_view(Z, (k, k)); S = windows[::k, ::k, ...].sum(axis=(-2, -1)); print(S)
phi = np.arange(0, 10*np.pi, 0.1); a = 1; x = a*phi*np.cos(phi); y = a*phi*np.sin(phi)
dr = (np.diff(x)**2 + np.diff(y)**2)**.5; r = np.zeros_like(x); r[1:] = np.cumsum(dr)
r_int = np.linspace(0, r.max(), 20); x_int = np.interp(r_int, r, x); y_int = np.interp(r_int, r, y); print(x_int.round(4), y_int.round(4))
X = np.asarray([[1.0, 0.0, 3.0, 8.0], [2.0, 0.0, 1.0, 1.0], [1.5, 2.5, 1.0, 0.0]]); n = 4
M = np.logical_and.reduce(np.mod(X, 1) == 0, axis=-1); M &= (X.sum(axis=-1) == n); print(X[M])
Z = np.array([("Hello", 2.5, 3), ("World", 3.6, 2)])
R = np.rec.fromarrays(Z.T, names='col1, col2, col3', formats = 'S8, f8, i8'); print(R)
A = np.random.randint(0, 5, 5); print(np.unique(A), np.unique(A, return_counts=True))
print(np.array(['b', 'a', 'c']), np.sort(['b', 'a']) if False else '', np.unique(np.array(['x', 'y', 'x'])))
Z = np.zeros(10, [ ('position', [ ('x', float, 1), ('y', float, 1)]), ('color', [ ('r', float, 1), ('g', float, 1), ('b', float, 1)])]); print(Z)
Z = np.arange(10, dtype=np.float32); Z = Z.astype(np.int32, copy=False); print(Z)
today = np.datetime64('today', 'D'); print(type(today - np.timedelta64(1, 'D')).__name__)
Z = np.arange('2016-07', '2016-08', dtype='datetime64[D]'); print(Z[:3], Z.size)
p, n = 10, 20; A = np.ones((p,n,n)); B = np.ones((p,n,1)); print(np.tensordot(A, B, axes=[[0, 2], [0, 1]])[:2])
Z = np.random.randint(0,2,(6,3)); uZ = np.unique(Z, axis=0); print(uZ)
T = np.ascontiguousarray(Z).view(np.dtype((np.void, Z.dtype.itemsize * Z.shape[1]))); _, idx = np.unique(T, return_index=True); print(Z[idx])
np.testing.assert_allclose(np.ones(3), np.ones(3)); print("assert ok")
m = np.ma.masked_array(np.array([1.0, 2.0, 3.0]), mask=[0, 1, 0]); print(m.sum())
'''


def run(program, module):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(program, "<program>", "exec"), {"np": module, "__name__": "program"})
    return buf.getvalue()


@pytest.mark.parametrize("program", [PROGRAM_1, PROGRAM_2, PROGRAM_3, PROGRAM_4, PROGRAM_5,
                                     PROGRAM_6, PROGRAM_7],
                         ids=["exercises", "everyday", "life-mandelbrot-views",
                              "data-and-models", "exercises-advanced", "quickstart",
                              "records-dates-strings"])
def test_program_prints_what_numpy_prints(program):
    expected = run(program, numpy)
    got = run(program, ndgrad)
    exp_lines, got_lines = expected.splitlines(), got.splitlines()
    for i, (e, g) in enumerate(zip(exp_lines, got_lines)):
        assert g == e, f"line {i + 1} differs:\nnumpy:  {e}\nndgrad: {g}"
    assert len(got_lines) == len(exp_lines)
