"""The seed course's NumPy column, run with ndgrad: ``python examples/quickstart.py``.

Each line prints what NumPy prints; then the same code is differentiated.
"""
import ndgrad as np

a = np.zeros((2, 2)); b = np.ones((2, 2))
print(repr(np.sum(b, axis=1)))          # array([2., 2.])
print(a.shape)                          # (2, 2)
print(repr(np.reshape(a, (1, 4))))      # array([[0., 0., 0., 0.]])
print(repr(b * 5 + 1))
print(repr(np.matmul(a, b)))            # np.dot(a, b)
print(a[0, 0], repr(a[:, 0]), repr(a[0, :]))

# the same NumPy-style code, differentiated
def f(w):
    return np.sum((b @ w - 1.0) ** 2)

w = np.asarray([[0.5, -0.5], [1.0, 2.0]])
print("f(w) =", float(f(w)))
print("grad f(w) =")
print(np.grad(f)(w))
