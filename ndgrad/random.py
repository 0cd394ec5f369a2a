"""``ndgrad.random``: NumPy's random module, returning ndgrad arrays.

On the CPU the streams are NumPy's own: ``nd.random.seed(0); nd.random.rand(3)`` gives the
numbers ``numpy.random.seed(0); numpy.random.rand(3)`` gives, because the legacy functions
draw from NumPy's global ``RandomState`` and ``default_rng`` wraps NumPy's ``Generator``.
``shuffle`` permutes an ndgrad array in place. Samples are constants (no gradient flows
into a distribution's parameters; write ``mu + sigma * nd.random.randn(...)`` for a
reparameterised sample that differentiates in ``mu`` and ``sigma``).

>>> import ndgrad as nd
>>> nd.random.seed(0); nd.random.randint(0, 10, size=3)
array([5, 0, 3])
"""
from __future__ import annotations

import numpy as _np

__all__ = ["seed", "get_state", "set_state", "rand", "randn", "randint", "random",
           "random_sample", "ranf", "sample", "random_integers", "uniform", "normal",
           "standard_normal", "choice", "shuffle", "permutation", "binomial", "poisson",
           "exponential", "standard_exponential", "beta", "gamma", "standard_gamma",
           "multivariate_normal", "multinomial", "dirichlet", "laplace", "logistic",
           "lognormal", "geometric", "gumbel", "hypergeometric", "chisquare", "noncentral_chisquare",
           "f", "noncentral_f", "standard_t", "standard_cauchy", "pareto", "power",
           "rayleigh", "triangular", "vonmises", "wald", "weibull", "zipf", "logseries",
           "negative_binomial", "bytes", "RandomState", "Generator", "default_rng",
           "BitGenerator", "get_bit_generator", "set_bit_generator", "SeedSequence", "PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"]

BitGenerator = _np.random.BitGenerator
get_bit_generator = _np.random.get_bit_generator
set_bit_generator = _np.random.set_bit_generator
SeedSequence = _np.random.SeedSequence
PCG64 = _np.random.PCG64
PCG64DXSM = _np.random.PCG64DXSM
MT19937 = _np.random.MT19937
Philox = _np.random.Philox
SFC64 = _np.random.SFC64

# NumPy's own objects above keep NumPy's docstrings; their examples run from here.
__test__ = {
    "BitGenerator": """
>>> import ndgrad as nd
>>> bg = nd.random.MT19937(0); isinstance(bg, nd.random.BitGenerator)
True
>>> bg.random_raw(2)
array([2058676884, 2606108953], dtype=uint64)
""",
    "SFC64": """
>>> import ndgrad as nd
>>> nd.random.Generator(nd.random.SFC64(0)).random(2)
array([0.56868925, 0.23483042])
""",
    "get_bit_generator": """
>>> import ndgrad as nd
>>> type(nd.random.get_bit_generator()).__name__
'MT19937'
""",
    "set_bit_generator": """
>>> import ndgrad as nd
>>> old = nd.random.get_bit_generator()
>>> try:
...     nd.random.set_bit_generator(nd.random.PCG64(0)); print(nd.random.rand(2))
... finally:
...     nd.random.set_bit_generator(old)
[0.63696169 0.26978671]
""",
}


def _refuse_in_jit():
    from ._autograd.functional import _in_jit
    if _in_jit():
        raise RuntimeError("ndgrad.random inside nd.jit would draw once, while tracing, "
                           "and every call of the compiled function would return those "
                           "same numbers; draw outside the jitted function and pass the "
                           "samples as an argument")


def _wrap(v, device=None):
    """NumPy sample -> ndgrad array (Python scalars stay scalars, as NumPy returns them;
    samples of strings or objects, which ndgrad arrays do not hold, stay NumPy arrays).
    ``device``: where the parameters live (the draw is made on the host, then moved there
    explicitly); None for the default device."""
    from ._ops.creation import asarray
    _refuse_in_jit()
    if isinstance(v, _np.ndarray) and v.dtype.kind in "biufc":
        return asarray(v, device=device)
    return v


def _unwrap(v):
    """Parameters as NumPy values: arrays on a device are copied to the host explicitly
    (the draws are NumPy's)."""
    from ._array import Array
    if isinstance(v, Array):
        from ._backend import to_numpy
        return to_numpy(v._data)
    if isinstance(v, (list, tuple)):
        return type(v)(_unwrap(x) for x in v)
    return v


def _device_of(args, kwargs):
    """The device of the first array parameter that is not on the CPU, else None."""
    from ._array import Array
    for v in (*args, *kwargs.values()):
        if isinstance(v, Array) and str(v.device) != "cpu":
            return v.device
    return None


def _sampler(name, owner):
    def f(*args, **kwargs):
        src = getattr(owner() if callable(owner) else owner, name)
        return _wrap(src(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()}),
                     _device_of(args, kwargs))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"NumPy's ``random.{name}`` (the same stream for the same seed), returning "
                 "an ndgrad array.")
    return f


_SAMPLERS = ["rand", "randn", "randint", "random", "random_sample", "ranf", "sample",
             "random_integers", "uniform", "normal", "standard_normal", "binomial",
             "poisson", "exponential", "standard_exponential", "beta", "gamma",
             "standard_gamma", "multivariate_normal", "multinomial", "dirichlet", "laplace",
             "logistic", "lognormal", "geometric", "gumbel", "hypergeometric", "chisquare",
             "noncentral_chisquare", "f", "noncentral_f", "standard_t", "standard_cauchy",
             "pareto", "power", "rayleigh", "triangular", "vonmises", "wald", "weibull",
             "zipf", "logseries", "negative_binomial"]


def _global():
    return _np.random.mtrand._rand


# Each sampler's docstring example: name -> (the call after ``nd.random.``, the text NumPy
# prints for ``numpy.random.seed(0); numpy.random.<call>``). Typed from NumPy's output (the
# same seed gives the same stream), never computed here.
_EXAMPLES = {
    "rand": ("rand(2, 2)", "array([[0.5488135 , 0.71518937],\n       [0.60276338, 0.54488318]])"),
    "randn": ("randn(3)", "array([1.76405235, 0.40015721, 0.97873798])"),
    "randint": ("randint(1, 7, size=5)", "array([5, 6, 1, 4, 4])"),
    "random": ("random(3)", "array([0.5488135 , 0.71518937, 0.60276338])"),
    "random_sample": ("random_sample((2, 2))",
        "array([[0.5488135 , 0.71518937],\n       [0.60276338, 0.54488318]])"),
    "ranf": ("ranf(3)", "array([0.5488135 , 0.71518937, 0.60276338])"),
    "sample": ("sample(3)", "array([0.5488135 , 0.71518937, 0.60276338])"),
    "uniform": ("uniform(-1, 1, size=3)", "array([0.09762701, 0.43037873, 0.20552675])"),
    "normal": ("normal(10, 0.1, size=3)", "array([10.17640523, 10.04001572, 10.0978738 ])"),
    "standard_normal": ("standard_normal(3)", "array([1.76405235, 0.40015721, 0.97873798])"),
    "binomial": ("binomial(10, 0.5, size=5)", "array([5, 6, 5, 5, 5])"),
    "poisson": ("poisson(3.0, size=5)", "array([5, 6, 2, 0, 7])"),
    "exponential": ("exponential(2.0, size=3)", "array([1.59174902, 2.51186153, 1.84644629])"),
    "standard_exponential": ("standard_exponential(3)",
        "array([0.79587451, 1.25593076, 0.92322315])"),
    "beta": ("beta(2.0, 5.0, size=3)", "array([0.47917138, 0.6550558 , 0.21501632])"),
    "gamma": ("gamma(2.0, 3.0, size=3)", "array([15.41648873,  6.71544274, 16.28139682])"),
    "standard_gamma": ("standard_gamma(2.0, size=3)",
        "array([5.13882958, 2.23848091, 5.42713227])"),
    "multivariate_normal": ("multivariate_normal([0, 10], [[1, 0], [0, 1]], size=2)",
        "array([[ 1.76405235, 10.40015721],\n       [ 0.97873798, 12.2408932 ]])"),
    "multinomial": ("multinomial(10, [0.2, 0.3, 0.5], size=2)",
        "array([[2, 4, 4],\n       [2, 3, 5]])"),
    "dirichlet": ("dirichlet([1.0, 2.0, 3.0])", "array([0.08199567, 0.29043792, 0.62756641])"),
    "laplace": ("laplace(0.0, 1.0, size=3)", "array([0.10272733, 0.56278358, 0.23007597])"),
    "logistic": ("logistic(0.0, 1.0, size=3)", "array([0.19587791, 0.92072284, 0.41699258])"),
    "lognormal": ("lognormal(0.0, 1.0, size=3)", "array([5.83603919, 1.49205924, 2.66109578])"),
    "geometric": ("geometric(0.35, size=5)", "array([2, 3, 3, 2, 2])"),
    "gumbel": ("gumbel(0.0, 1.0, size=3)", "array([ 0.22831376, -0.22787694,  0.07988431])"),
    "hypergeometric": ("hypergeometric(15, 15, 10, size=5)", "array([6, 7, 5, 7, 3])"),
    "chisquare": ("chisquare(2, size=3)", "array([1.59174902, 2.51186153, 1.84644629])"),
    "noncentral_chisquare": ("noncentral_chisquare(3, 2.0, size=3)",
        "array([ 6.23924552, 10.37824663,  1.42869724])"),
    "f": ("f(5, 10, size=3)", "array([2.12644055, 4.36838911, 0.71938701])"),
    "noncentral_f": ("noncentral_f(3, 20, 3.0, size=3)",
        "array([1.67513761, 0.36737271, 6.36651951])"),
    "standard_t": ("standard_t(10, size=3)", "array([ 1.66902321, -1.77333388,  1.01892094])"),
    "standard_cauchy": ("standard_cauchy(3)", "array([ 4.40839827,  0.43676244, -1.9109795 ])"),
    "pareto": ("pareto(3.0, size=3)", "array([0.30381098, 0.51989855, 0.36034868])"),
    "power": ("power(5.0, size=3)", "array([0.88692104, 0.93515631, 0.90371059])"),
    "rayleigh": ("rayleigh(1.0, size=3)", "array([1.26164536, 1.58488534, 1.35884005])"),
    "triangular": ("triangular(-3, 0, 8, size=3)", "array([1.69885632, 2.99367043, 2.08757047])"),
    "vonmises": ("vonmises(0.0, 4.0, size=3)", "array([0.5664411 , 0.55977779, 0.40406878])"),
    "wald": ("wald(3.0, 2.0, size=3)", "array([0.46052439, 1.84651223, 0.42309369])"),
    "weibull": ("weibull(5.0, size=3)", "array([0.9553641 , 1.04662991, 0.98415009])"),
    "zipf": ("zipf(2.0, size=5)", "array([ 2,  2,  1,  1, 27])"),
    "logseries": ("logseries(0.6, size=5)", "array([1, 1, 1, 1, 2])"),
    "negative_binomial": ("negative_binomial(1, 0.1, size=5)", "array([13,  0, 16,  1, 26])"),
}


def _example(name):
    call, expected = _EXAMPLES[name]
    return (f"\n\n>>> import ndgrad as nd\n>>> nd.random.seed(0); nd.random.{call}\n"
            f"{expected}\n")


for _n in _SAMPLERS:
    if hasattr(_np.random.RandomState, _n):
        globals()[_n] = _sampler(_n, _global)
    else:  # ranf/sample are module-level aliases of random_sample in NumPy
        globals()[_n] = _sampler("random_sample", _global)
        globals()[_n].__name__ = _n
    if _n in _EXAMPLES:
        globals()[_n].__doc__ += _example(_n)
globals()["random_integers"].__doc__ += """

Deprecated by NumPy (it warns): ``randint(low, high + 1)`` draws the same numbers.

>>> import ndgrad as nd, warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", DeprecationWarning)
...     nd.random.seed(0); print(nd.random.random_integers(1, 6, size=5))
[5 6 1 4 4]
"""


def seed(seed=None):
    """Seed NumPy's global RandomState (what the legacy functions draw from).

    >>> import ndgrad as nd
    >>> nd.random.seed(1); float(nd.random.rand())
    0.417022004702574
    """
    _np.random.seed(_unwrap(seed))


def get_state(legacy=True):
    """The global RandomState's state (NumPy's).

    >>> import ndgrad as nd
    >>> nd.random.seed(0); state = nd.random.get_state()
    >>> state[0], state[1][:3]
    ('MT19937', array([         0,          1, 1812433255], dtype=uint32))
    """
    return _np.random.get_state(legacy=legacy)


def set_state(state):
    """Restore the global RandomState's state.

    >>> import ndgrad as nd
    >>> nd.random.seed(0); state = nd.random.get_state()
    >>> nd.random.rand(2)
    array([0.5488135 , 0.71518937])
    >>> nd.random.set_state(state); nd.random.rand(2)
    array([0.5488135 , 0.71518937])
    """
    _np.random.set_state(state)


def bytes(length):  # noqa: A001
    r"""Random bytes.

    >>> import ndgrad as nd
    >>> nd.random.seed(0); nd.random.bytes(4)
    b'\xac\n\x7f\x8c'
    """
    return _np.random.bytes(length)


def _choice(src, a, size=None, replace=True, p=None, **kw):
    from ._array import Array
    if isinstance(a, Array) and a.ndim >= 1 and a._node is not None:
        if not kw and a.ndim != 1:
            # (the legacy choice, NumPy's check: a recorded 2-d array gave its rows)
            raise ValueError("a must be 1-dimensional")
        # draw indices, then gather: the picked values keep their gradient
        n = a.shape[kw.get("axis", 0) if kw else 0]
        idx = src.choice(n, size=size, replace=replace, p=_unwrap(p), **kw)
        from ._numpy import take
        return take(a, idx, axis=kw.get("axis", 0) if kw else 0)
    return _wrap(src.choice(_unwrap(a), size=size, replace=replace, p=_unwrap(p), **kw),
                 _device_of((a, p), {}))


def choice(a, size=None, replace=True, p=None):
    """Random sample from ``a`` (an int n means ``arange(n)``).

    >>> import ndgrad as nd
    >>> nd.random.seed(0); nd.random.choice(5, 3)
    array([4, 0, 3])
    """
    return _choice(_global(), a, size, replace, p)


def shuffle(x):
    """Shuffle ``x`` along its first axis, in place (NumPy's stream).

    >>> import ndgrad as nd
    >>> x = nd.arange(5); nd.random.seed(0); nd.random.shuffle(x); x
    array([2, 0, 1, 3, 4])
    """
    from ._array import Array
    if isinstance(x, Array):
        return _shuffle_array(_global(), x)
    _global().shuffle(x)


def _shuffle_array(source, x, axis=0):
    """``source.shuffle(x, axis)`` for an ndgrad array ``x`` (``source``: NumPy's
    RandomState or Generator), in place. NumPy's shuffle of an array is a permutation of
    the axis drawn the way it shuffles one: it is drawn on an index array and the values
    are gathered (a gradient follows them). An empty array draws nothing, as NumPy's (an
    index array of the axis's length consumed draws: the stream went on otherwise)."""
    if x.ndim == 0:
        raise TypeError("len() of unsized object")
    from ._ops._common import normalize_axis_index
    axis = normalize_axis_index(axis, x.ndim)
    if x.size == 0:
        return None
    idx = _np.arange(x.shape[axis])
    source.shuffle(idx)
    from ._numpy import take
    x[...] = take(x, idx, axis=axis)
    return None


def permutation(x):
    """A permuted copy (an int n permutes ``arange(n)``).

    >>> import ndgrad as nd
    >>> nd.random.seed(0); nd.random.permutation(4)
    array([2, 3, 1, 0])
    """
    from ._array import Array
    if isinstance(x, Array):
        if x.ndim == 0:
            raise IndexError("x must be an integer or at least 1-dimensional")
        idx = _global().permutation(x.shape[0])
        from ._numpy import take
        return take(x, idx, axis=0)
    return _wrap(_global().permutation(x))


def _delegate(source, name):
    """``source.name`` (a NumPy RandomState or Generator) taking and giving ndgrad arrays."""
    if name.startswith("_"):
        raise AttributeError(name)
    attr = getattr(source, name)
    if not callable(attr):
        return attr
    return _Method(source, name, attr)


class _Method:
    """``rng.name``: NumPy's method ``attr`` of ``source`` taking and giving ndgrad arrays.
    As NumPy's (builtin) methods, two of the same method of the same generator are equal
    (``rng.geometric in (rng.geometric,)``: a new function each time compared unequal), and
    one stored as a class attribute is not bound to the class's instances.

    >>> import ndgrad as nd
    >>> rng = nd.random.default_rng(0); rng.random == rng.random
    True
    """

    __slots__ = ("__self__", "__name__", "_attr")

    def __init__(self, source, name, attr):
        self.__self__, self.__name__, self._attr = source, name, attr

    def __call__(self, *args, **kwargs):
        out = kwargs.get("out")
        if out is not None:
            return _draw_into(self._attr, out, args, kwargs)
        return _wrap(self._attr(*_unwrap(args),
                                **{k: _unwrap(v) for k, v in kwargs.items()}),
                     _device_of(args, kwargs))

    def __eq__(self, other):
        return (isinstance(other, _Method) and other.__self__ is self.__self__
                and other.__name__ == self.__name__)

    def __hash__(self):
        return hash((id(self.__self__), self.__name__))

    def __repr__(self):
        return f"<ndgrad method {self.__name__} of {self.__self__!r}>"


def _draw_into(attr, out, args, kwargs):
    """``Generator.random(out=o)`` and its kind: NumPy's draws (the same stream) written
    into ``o``, which is returned, as NumPy returns it. A NumPy ``o`` is NumPy's own
    business; an ndgrad ``o`` gets the draws through an ordinary write (its views, its
    version and a gradient computation it takes part in see it, and on another device
    the values are copied there), after NumPy's checks of ``o`` (contiguous, its dtype,
    ``size`` equal to its shape) made on a host buffer laid out as ``o``."""
    from ._array import Array
    _refuse_in_jit()
    rest = {k: _unwrap(v) for k, v in kwargs.items() if k != "out"}
    if not isinstance(out, Array):
        attr(*_unwrap(args), out=out, **rest)
        return out
    from ._backend import to_numpy
    host = to_numpy(out._data)
    if not (host.flags.c_contiguous or host.flags.f_contiguous) or not host.flags.writeable:
        raise ValueError("Supplied output array must be contiguous, writable, aligned, "
                         "and in machine byte-order.")
    buf = _np.empty_like(host, order="F" if not host.flags.c_contiguous else "C")
    attr(*_unwrap(args), out=buf, **rest)
    out[...] = _wrap(buf, out.device if str(out.device) != "cpu" else None)
    return out


class RandomState:
    """NumPy's legacy ``RandomState``, returning ndgrad arrays.

    >>> import ndgrad as nd
    >>> nd.random.RandomState(0).rand(2)
    array([0.5488135 , 0.71518937])
    """

    def __init__(self, seed=None):
        if isinstance(seed, (RandomState, Generator, _np.random.RandomState,
                             _np.random.Generator)):
            # (it shared the given RandomState's stream; NumPy refuses it)
            raise TypeError(f"RandomState's seed must be None, an int, an array of ints or "
                            f"a BitGenerator, not {type(seed).__name__}")
        self._rs = _np.random.RandomState(_unwrap(seed))

    def __getattr__(self, name):
        if name.startswith("_"):
            # (self._rs itself, before __init__ set it -- unpickling: it recursed)
            raise AttributeError(name)
        return _delegate(self._rs, name)

    def choice(self, a, size=None, replace=True, p=None):
        return _choice(self._rs, a, size, replace, p)

    def shuffle(self, x):
        from ._array import Array
        if isinstance(x, Array):
            return _shuffle_array(self._rs, x)
        self._rs.shuffle(x)

    def permutation(self, x):
        from ._array import Array
        if isinstance(x, Array):
            if x.ndim == 0:
                raise IndexError("x must be an integer or at least 1-dimensional")
            from ._numpy import take
            return take(x, self._rs.permutation(x.shape[0]), axis=0)
        return _wrap(self._rs.permutation(x))

    def seed(self, seed=None):
        self._rs.seed(_unwrap(seed))

    def __repr__(self):
        return "RandomState(MT19937)"


class Generator:
    """NumPy's ``Generator`` (``default_rng``), returning ndgrad arrays.

    >>> import ndgrad as nd
    >>> nd.random.default_rng(0).integers(0, 10, 3)
    array([8, 6, 5])
    """

    def __init__(self, bit_generator):
        self._g = bit_generator if isinstance(bit_generator, _np.random.Generator) else \
            _np.random.Generator(bit_generator)

    @property
    def bit_generator(self):
        return self._g.bit_generator

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)   # (as RandomState's)
        return _delegate(self._g, name)

    def __reduce__(self):
        # NumPy's form: (constructor, (bit generator,), None)
        return _generator_ctor, (self._g.bit_generator,), None

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        return _choice(self._g, a, size, replace, p, axis=axis, shuffle=shuffle)

    def shuffle(self, x, axis=0):
        from ._array import Array
        if isinstance(x, Array):
            return _shuffle_array(self._g, x, axis)
        self._g.shuffle(x, axis=axis)

    def permutation(self, x, axis=0):
        from ._array import Array
        if isinstance(x, Array):
            from ._numpy import take
            from ._ops._common import normalize_axis_index, _AxisError
            if x.ndim == 0:
                raise _AxisError("axis 0 is out of bounds for array of dimension 0")
            axis = normalize_axis_index(axis, x.ndim)   # (NumPy's AxisError)
            return take(x, self._g.permutation(x.shape[axis]), axis=axis)
        return _wrap(self._g.permutation(x, axis=axis))

    def permuted(self, x, axis=None, out=None):
        from ._array import Array
        from ._numpy._core import write_out
        _refuse_in_jit()
        if out is not None:
            # NumPy's checks, before any draw: the shape, and a 'safe' cast into out (a
            # float x into an int32 out was truncated)
            xs, xd = ((tuple(x.shape), _np.dtype(x.dtype)) if isinstance(x, Array) else
                      (_np.shape(_unwrap(x)), _np.asarray(_unwrap(x)).dtype))
            if tuple(_np.shape(out)) != xs:
                raise ValueError(f"out must have the same shape as x: x has shape {xs}, "
                                 f"out {tuple(_np.shape(out))}")
            if not _np.can_cast(xd, _np.dtype(out.dtype), "safe"):
                raise TypeError(f"Cannot cast array data from {xd!r} to "
                                f"{_np.dtype(out.dtype)!r} according to the rule 'safe'")
        if isinstance(x, Array):
            r = self._permuted_gather(x, axis, x if out is None else out)
        elif out is not None:
            r = self._permuted_gather(_wrap(_np.asarray(_unwrap(x)), _device_of((x,), {})),
                                      axis, out)
        else:
            r = _wrap(self._g.permuted(_unwrap(x), axis=axis), _device_of((x,), {}))
        return write_out(r, out)

    def _permuted_gather(self, x, axis, layout):
        """``x`` permuted by gathering: NumPy's draws shuffle positions laid out as
        ``layout``'s buffer is (NumPy copies ``x`` into ``out``, or into a copy in ``x``'s
        memory order, and shuffles that in place), and the values are gathered, so a
        gradient follows them. (Laid out as ``x`` where ``out`` was given, a transposed
        ``out`` got other values than NumPy's.)"""
        from ._numpy import take, take_along_axis
        from ._ops._common import normalize_axis
        buf = getattr(layout, "_data", layout)
        if type(buf) is not _np.ndarray:
            buf = _np.empty(x.shape)
        pos = _np.empty_like(buf, dtype=_np.intp)
        if axis is None:
            pos[...] = _np.arange(x.size).reshape(x.shape)
            return take(x, self._g.permuted(pos, axis=None))
        ax = normalize_axis(axis, x.ndim)[0]
        shape = [1] * x.ndim
        shape[ax] = x.shape[ax]
        pos[...] = _np.arange(x.shape[ax]).reshape(shape)
        return take_along_axis(x, self._g.permuted(pos, axis=ax), axis=ax)

    def spawn(self, n_children):
        return [Generator(g) for g in self._g.spawn(n_children)]

    def __repr__(self):
        return repr(self._g)


def _generator_ctor(bit_generator="MT19937"):
    """(for pickle) A ``Generator`` over ``bit_generator``: a NumPy bit generator, or the
    name of one (as NumPy's constructor takes from older pickles).

    >>> import ndgrad as nd
    >>> nd.random._generator_ctor("PCG64").bit_generator.__class__.__name__
    'PCG64'
    """
    if isinstance(bit_generator, str):
        bit_generator = getattr(_np.random, bit_generator)()
    return Generator(bit_generator)


def default_rng(seed=None):
    """A ``Generator`` on NumPy's PCG64 stream: the same seed, the same numbers as NumPy.

    >>> import ndgrad as nd
    >>> nd.random.default_rng(42).random(2)
    array([0.77395605, 0.43887844])
    """
    if isinstance(seed, Generator):
        return seed
    return Generator(_np.random.default_rng(_unwrap(seed)))
