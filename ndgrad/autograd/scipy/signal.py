"""autograd.scipy.signal: a lazy alias of ndgrad.scipy.signal, with autograd's own
``convolve(A, B, axes=None, dot_axes=[(), ()], mode="full")`` (convolved, contracted and
outer-product axes, as autograd's convnet example uses)."""
import string as _string

from . import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("signal"), name)


def _axis_list(axes, ndim, what, name):
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < ndim:
            raise ValueError(f"convolve: {what} axis {a} is out of range for {name} with "
                             f"{ndim} dimensions")
        out.append(a % ndim)
    return out


def convolve(A, B, axes=None, dot_axes=None, mode="full"):
    """autograd's generalized convolution, differentiable in ``A`` and ``B``: the axes
    paired in ``axes = (axes_of_A, axes_of_B)`` are convolved (``mode`` full, valid or
    same, as SciPy's), those paired in ``dot_axes`` are summed over, and every other axis
    of ``A`` then of ``B`` is kept (an outer product). The result's axes are
    ``A``'s kept axes, ``B``'s kept axes, then the convolved ones. Without ``axes`` and
    ``dot_axes`` it is SciPy's n-d ``convolve(A, B, mode)`` (note: ``mode`` is the fifth
    argument here, as in autograd; pass it by keyword).

    >>> import ndgrad.autograd.numpy as np
    >>> A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 1.0], [0.0, 1.0]])
    >>> convolve(A, B, axes=([1], [1]), dot_axes=([0], [0]))  # sum over rows of 1-d convs
    array([1., 6., 6.])
    >>> convolve(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    import numpy
    import ndgrad as nd
    if mode not in ("valid", "full", "same"):
        raise ValueError(f"convolve: mode must be 'valid', 'full' or 'same'; got {mode!r}")
    A, B = nd.asarray(A), nd.asarray(B)
    if axes is None and (dot_axes is None or not any(len(d) for d in dot_axes)):
        if A.ndim != B.ndim:
            raise ValueError(f"convolve: without axes, A and B need the same number of "
                             f"dimensions; got shapes {tuple(A.shape)} and {tuple(B.shape)}")
        return _target("signal").convolve(A, B, mode=mode)
    if axes is None:
        axes = (range(A.ndim), range(A.ndim))
    dot_axes = ((), ()) if dot_axes is None else dot_axes
    conv_a, conv_b = (_axis_list(axes[i], x.ndim, "a convolved", n)
                      for i, x, n in ((0, A, "A"), (1, B, "B")))
    dot_a, dot_b = (_axis_list(dot_axes[i], x.ndim, "a dot", n)
                    for i, x, n in ((0, A, "A"), (1, B, "B")))
    if len(conv_a) != len(conv_b) or len(dot_a) != len(dot_b):
        raise ValueError(f"convolve: axes {axes!r} and dot_axes {dot_axes!r} must pair "
                         "as many axes of A as of B")
    for used, x, n in ((conv_a + dot_a, A, "A"), (conv_b + dot_b, B, "B")):
        if len(set(used)) != len(used):
            raise ValueError(f"convolve: an axis of {n} is named twice in axes/dot_axes")
    for i, j in zip(dot_a, dot_b):
        if A.shape[i] != B.shape[j]:
            raise ValueError(f"convolve: dot axes {i} of A (size {A.shape[i]}) and {j} of B "
                             f"(size {B.shape[j]}) differ in size")
    n_a = [A.shape[i] for i in conv_a]
    n_b = [B.shape[j] for j in conv_b]
    swap = False
    if mode == "valid":
        if all(b >= a for a, b in zip(n_a, n_b)):
            swap = False
        elif all(a >= b for a, b in zip(n_a, n_b)):
            swap = True
        else:
            raise ValueError("convolve: in 'valid' mode one array must be at least as large "
                             f"as the other along all convolved axes; got sizes {n_a} and "
                             f"{n_b}")
    ign_a = [i for i in range(A.ndim) if i not in conv_a + dot_a]
    ign_b = [j for j in range(B.ndim) if j not in conv_b + dot_b]

    letters = iter(_string.ascii_letters)
    l_ign_a = "".join(next(letters) for _ in ign_a)
    l_ign_b = "".join(next(letters) for _ in ign_b)
    l_dot = "".join(next(letters) for _ in dot_a)
    l_out = "".join(next(letters) for _ in conv_a)  # output positions
    l_ker = "".join(next(letters) for _ in conv_a)  # kernel offsets
    if swap:  # the kernel (flipped, not windowed) is B; A slides
        (X, ign_x, dot_x, conv_x, l_ign_x), (Y, ign_y, dot_y, conv_y, l_ign_y) = \
            (B, ign_b, dot_b, conv_b, l_ign_b), (A, ign_a, dot_a, conv_a, l_ign_a)
    else:
        (X, ign_x, dot_x, conv_x, l_ign_x), (Y, ign_y, dot_y, conv_y, l_ign_y) = \
            (A, ign_a, dot_a, conv_a, l_ign_a), (B, ign_b, dot_b, conv_b, l_ign_b)
    c = len(conv_x)
    Xt = nd.permute_dims(X, tuple(ign_x + dot_x + conv_x))
    if c:
        Xt = nd.flip(Xt, axis=tuple(range(Xt.ndim - c, Xt.ndim)))
    Yt = nd.permute_dims(Y, tuple(ign_y + dot_y + conv_y))
    k = [X.shape[i] for i in conv_x]
    if mode != "valid":
        Yt = nd.pad(Yt, [(0, 0)] * (Yt.ndim - c) + [(n - 1, n - 1) for n in k])
    lead = Yt.ndim - c
    windows = []
    for i in range(c):  # Yt[..., out + offset] along each convolved axis
        length = Yt.shape[lead + i] - k[i] + 1
        idx = numpy.arange(length)[:, None] + numpy.arange(k[i])[None, :]
        shape = [1] * (2 * c)
        shape[2 * i], shape[2 * i + 1] = length, k[i]
        windows.append(idx.reshape(shape))
    W = Yt[(slice(None),) * lead + tuple(windows)] if c else Yt
    l_w = "".join(o + kk for o, kk in zip(l_out, l_ker))
    out = nd.einsum(f"{l_ign_x}{l_dot}{l_ker},{l_ign_y}{l_dot}{l_w}->"
                    f"{l_ign_a}{l_ign_b}{l_out}", Xt, W)
    if mode == "same":  # SciPy's centring: the first argument's size
        lead_out = len(ign_a) + len(ign_b)
        crop = tuple(slice((nb - 1) // 2, (nb - 1) // 2 + na) for na, nb in zip(n_a, n_b))
        out = out[(slice(None),) * lead_out + crop]
    return out
