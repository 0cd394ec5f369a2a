"""ndgrad's own ``cupy.testing`` for compat/cupy_tests: the NumPy-comparison decorators, dtype
and order loops, ``shaped_*`` makers, ``assert_*`` and ``parameterize`` that CuPy's tests use,
written from CuPy's documented behaviour (not CuPy's code).

``numpy_cupy_*`` run the test body with ``xp=numpy`` and with ``xp=cupy`` (here: ndgrad) and
compare the results: both raise (the error classes must agree on NumPy's public ones), or
both return results of one type, dtype (``type_check``), shape and value.  Departures from
CuPy's helpers, for triage: a dtype loop runs every dtype and reports all that failed (CuPy
stops at the first); a test that the ndgrad run skips through a ``CupyOnly`` placeholder is
skipped.
"""
import contextlib
import functools
import importlib.metadata
import inspect
import itertools
import random
import sys
import types
import unittest
import warnings

import numpy
import pytest
from _pytest.outcomes import Skipped

import cupy

_SKIPS = (unittest.SkipTest, Skipped)
_PUBLIC_ERRORS = (AttributeError, IndexError, TypeError, ValueError, NotImplementedError,
                  DeprecationWarning, numpy.exceptions.AxisError, numpy.linalg.LinAlgError)


# ---- array assertions: NumPy's, after a host copy ------------------------------------------

def _host(a):
    if isinstance(a, (list, tuple)):
        return [_host(x) for x in a]
    return cupy.asnumpy(a) if isinstance(a, cupy.ndarray) else a


def assert_allclose(actual, desired, rtol=1e-7, atol=0, err_msg="", verbose=True, *,
                    strict=False):
    numpy.testing.assert_allclose(_host(actual), _host(desired), rtol=rtol, atol=atol,
                                  err_msg=err_msg, verbose=verbose, strict=strict)


def assert_array_almost_equal(actual, desired, decimal=6, err_msg="", verbose=True):
    numpy.testing.assert_array_almost_equal(_host(actual), _host(desired), decimal,
                                            err_msg, verbose)


def assert_array_almost_equal_nulp(x, y, nulp=1):
    numpy.testing.assert_array_almost_equal_nulp(_host(x), _host(y), nulp)


def assert_array_max_ulp(a, b, maxulp=1, dtype=None):
    numpy.testing.assert_array_max_ulp(_host(a), _host(b), maxulp, dtype)


def assert_array_equal(actual, desired, err_msg="", verbose=True, *, strict=False,
                       strides_check=False):
    numpy.testing.assert_array_equal(_host(actual), _host(desired), err_msg=err_msg,
                                     verbose=verbose, strict=strict)
    if strides_check and actual.strides != desired.strides:
        raise AssertionError(f"strides differ: {actual.strides} != {desired.strides} {err_msg}")


def assert_array_list_equal(xlist, ylist, err_msg="", verbose=True):
    if len(xlist) != len(ylist):
        raise AssertionError(f"list lengths differ: {len(xlist)} != {len(ylist)}")
    for x, y in zip(xlist, ylist):
        assert_array_equal(x, y, err_msg, verbose)


def assert_array_less(x, y, err_msg="", verbose=True, *, strict=False):
    numpy.testing.assert_array_less(_host(x), _host(y), err_msg, verbose, strict=strict)


@contextlib.contextmanager
def assert_warns(expected):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        yield
    if not any(isinstance(m.message, expected) for m in w):
        raise AssertionError(f"{getattr(expected, '__name__', expected)} not raised")


# ---- running a body with numpy and with cupy (ndgrad) --------------------------------------

def _without(impl, *names):
    """``impl``'s signature without ``names`` (pytest must not look for fixtures of them)."""
    def deco(wrapper):
        wrapper = functools.wraps(impl)(wrapper)
        sig = inspect.signature(impl)
        wrapper.__signature__ = sig.replace(
            parameters=[p for n, p in sig.parameters.items() if n not in names])
        return wrapper
    return deco


def _run(impl, args, kw, name, module, sp_name, scipy_name):
    kw = dict(kw, **{name: module})
    if sp_name or scipy_name:
        if module is numpy:
            import scipy
            import scipy.sparse
            kw.update({k: v for k, v in ((sp_name, scipy.sparse), (scipy_name, scipy)) if k})
        else:
            pytest.skip("CuPy-only: cupyx.scipy (no ndgrad counterpart in this run)")
    try:
        return impl(*args, **kw), None
    except (Exception, Skipped) as e:
        if e.__traceback__.tb_next is None:
            raise
        return None, e


def _compare_errors(c_err, n_err, accept_error):
    if isinstance(c_err, _SKIPS):
        raise c_err                      # CuPy-only placeholder or the test's own skip
    if isinstance(n_err, _SKIPS):
        raise n_err
    if c_err is None:
        raise AssertionError(f"only numpy raised: {type(n_err).__name__}: {n_err}") from n_err
    if n_err is None:
        raise AssertionError(f"only ndgrad raised: {type(c_err).__name__}: {c_err}") from c_err
    if any(isinstance(c_err, e) != isinstance(n_err, e) for e in _PUBLIC_ERRORS):
        raise AssertionError(f"different errors: ndgrad {type(c_err).__name__}: {c_err} / "
                             f"numpy {type(n_err).__name__}: {n_err}") from c_err
    accept = Exception if accept_error is True else (accept_error or ())
    if not (isinstance(c_err, accept) and isinstance(n_err, accept)):
        raise AssertionError(f"both raised (not accepted by the test): ndgrad "
                             f"{type(c_err).__name__}: {c_err} / numpy {type(n_err).__name__}: "
                             f"{n_err}") from c_err


def _as_arrays(c, n):
    if isinstance(c, cupy.ndarray) and isinstance(n, (numpy.ndarray, numpy.generic)):
        return c, n
    if isinstance(n, numpy.poly1d) and isinstance(c, getattr(cupy, "poly1d", ())):
        return c.coeffs, n.coeffs
    if isinstance(c, numpy.generic) and isinstance(n, numpy.generic):
        return c, n
    if numpy.isscalar(c) and numpy.isscalar(n):
        return numpy.array(c), numpy.array(n)
    raise AssertionError(f"different result types: ndgrad {type(c)}, numpy {type(n)}")


_UNSIGNED = tuple(numpy.dtype(c).type for c in "BHILQ")
_SIGNED_OR_FLOAT = tuple(numpy.dtype(c).type for c in "bhilqefd")


def _is_dtype(v):
    return isinstance(v, (numpy.dtype, str)) or (isinstance(v, type)
                                                  and issubclass(v, numpy.number))


def _positive_masks(impl, args, kw, name):
    """Where the same body over signed dtypes gives values >= 0 (CuPy's rule: converting a
    negative value to an unsigned type is undefined, so those elements are not compared)."""
    kw = {k: (numpy.dtype(numpy.dtype(v).char.lower()).type if v in _UNSIGNED else v)
          for k, v in kw.items()}
    res, err = _run(impl, args, kw, name, numpy, None, None)
    if err is not None:
        return None
    res = res if isinstance(res, (tuple, list)) else (res,)
    return [numpy.asarray(r) >= 0 for r in res]


def _both(impl, args, kw, name, sp_name, scipy_name, accept_error):
    """The body's results with cupy (ndgrad) and with numpy, or None when either raised
    (and the errors agreed, else AssertionError)."""
    c_res, c_err = _run(impl, args, kw, name, cupy, sp_name, scipy_name)
    n_res, n_err = _run(impl, args, kw, name, numpy, sp_name, scipy_name)
    if c_err is not None or n_err is not None:
        _compare_errors(c_err, n_err, accept_error)
        return None
    return c_res, n_res


def _make_decorator(check, name, type_check, contiguous_check, accept_error, sp_name=None,
                    scipy_name=None):
    def decorator(impl):
        @_without(impl, *[n for n in (name, sp_name, scipy_name) if n])
        def test_func(*args, **kw):
            both = _both(impl, args, kw, name, sp_name, scipy_name, accept_error)
            if both is None:
                return
            c_res, n_res = both
            c_res = c_res if isinstance(c_res, (tuple, list)) else (c_res,)
            n_res = n_res if isinstance(n_res, (tuple, list)) else (n_res,)
            assert len(c_res) == len(n_res), f"{len(c_res)} results, numpy {len(n_res)}"
            pairs = [_as_arrays(c, n) for c, n in zip(c_res, n_res)]
            for c, n in pairs:
                if type_check and c.dtype != n.dtype:
                    raise AssertionError(f"dtypes differ: ndgrad {c.dtype}, numpy {n.dtype}")
            if contiguous_check:
                for c, n in zip(c_res, n_res):
                    if isinstance(n, numpy.ndarray) and isinstance(c, cupy.ndarray):
                        for flag in ("c_contiguous", "f_contiguous"):
                            if getattr(n.flags, flag) and not getattr(c.flags, flag):
                                raise AssertionError(f"numpy's result is {flag}, ndgrad's not")
            for c, n in pairs:
                if c.shape != n.shape:
                    raise AssertionError(f"shapes differ: ndgrad {c.shape}, numpy {n.shape}")
            masks = [None] * len(pairs)
            values = {v for v in kw.values() if _is_dtype(v)}
            if (any(v in values for v in _UNSIGNED) and any(v in values for v in _SIGNED_OR_FLOAT)
                    and any(c.dtype.type in _UNSIGNED for c, _ in pairs)):
                found = _positive_masks(impl, args, kw, name)
                if found is not None:
                    masks = [m if c.dtype.type in _UNSIGNED else None
                             for m, (c, _) in zip(found, pairs)]
            for (c, n), mask in zip(pairs, masks):
                c, n = _host(c), numpy.asarray(n)
                if mask is not None:
                    if c.shape == ():
                        if not mask.all():
                            continue
                    else:
                        c, n = c[mask], n[mask]
                check(c, n)
        return test_func
    return decorator


def _tolerance(tol, dtype):
    if not isinstance(tol, dict):
        return tol
    for key, value in tol.items():      # ndgrad's float32 equals numpy.float32 (hashes apart)
        if key != "default" and numpy.dtype(key) == dtype:
            return value
    if "default" in tol:
        return tol["default"]
    raise TypeError(f"no tolerance given for {dtype}")


def numpy_cupy_allclose(rtol=1e-7, atol=0, err_msg="", verbose=True, name="xp",
                        type_check=True, accept_error=False, sp_name=None, scipy_name=None,
                        contiguous_check=True, *, _check_sparse_format=True):
    def check(c, n):
        assert_allclose(c, n, _tolerance(rtol, c.dtype), _tolerance(atol, c.dtype),
                        err_msg, verbose)
    return _make_decorator(check, name, type_check, contiguous_check, accept_error, sp_name,
                           scipy_name)


def numpy_cupy_array_almost_equal(decimal=6, err_msg="", verbose=True, name="xp",
                                  type_check=True, accept_error=False, sp_name=None,
                                  scipy_name=None):
    return _make_decorator(lambda c, n: assert_array_almost_equal(c, n, decimal, err_msg,
                                                                  verbose),
                           name, type_check, False, accept_error, sp_name, scipy_name)


def numpy_cupy_array_almost_equal_nulp(nulp=1, name="xp", type_check=True,
                                       accept_error=False, sp_name=None, scipy_name=None):
    return _make_decorator(lambda c, n: assert_array_almost_equal_nulp(c, n, nulp), name,
                           type_check, False, accept_error, sp_name, scipy_name)


def numpy_cupy_array_max_ulp(maxulp=1, dtype=None, name="xp", type_check=True,
                             accept_error=False, sp_name=None, scipy_name=None):
    return _make_decorator(lambda c, n: assert_array_max_ulp(c, n, maxulp, dtype), name,
                           type_check, False, accept_error, sp_name, scipy_name)


def numpy_cupy_array_equal(err_msg="", verbose=True, name="xp", type_check=True,
                           accept_error=False, sp_name=None, scipy_name=None,
                           strides_check=False):
    return _make_decorator(lambda c, n: assert_array_equal(c, n, err_msg, verbose,
                                                           strides_check=strides_check),
                           name, type_check, False, accept_error, sp_name, scipy_name)


def numpy_cupy_array_list_equal(err_msg="", verbose=True, name="xp", sp_name=None,
                                scipy_name=None):
    return _make_decorator(lambda c, n: assert_array_equal(c, n, err_msg, verbose), name,
                           False, False, False, sp_name, scipy_name)


def numpy_cupy_array_less(err_msg="", verbose=True, name="xp", type_check=True,
                          accept_error=False, sp_name=None, scipy_name=None):
    return _make_decorator(lambda c, n: assert_array_less(c, n, err_msg, verbose), name,
                           type_check, False, accept_error, sp_name, scipy_name)


def numpy_cupy_equal(name="xp", sp_name=None, scipy_name=None):
    """The two results compare equal with ``==`` (Python values: shapes, flags, lists)."""
    def decorator(impl):
        @_without(impl, *[n for n in (name, sp_name, scipy_name) if n])
        def test_func(*args, **kw):
            both = _both(impl, args, kw, name, sp_name, scipy_name, False)
            if both is None:
                return
            c_res, n_res = both
            if c_res != n_res:
                raise AssertionError(f"results differ: ndgrad {c_res!r}, numpy {n_res!r}")
        return test_func
    return decorator


def numpy_cupy_raises(name="xp", sp_name=None, scipy_name=None, accept_error=Exception):
    def decorator(impl):
        @_without(impl, *[n for n in (name, sp_name, scipy_name) if n])
        def test_func(*args, **kw):
            _, c_err = _run(impl, args, kw, name, cupy, sp_name, scipy_name)
            _, n_err = _run(impl, args, kw, name, numpy, sp_name, scipy_name)
            if c_err is None and n_err is None:
                raise AssertionError("neither numpy nor ndgrad raised")
            _compare_errors(c_err, n_err, accept_error)
        return test_func
    return decorator


# ---- loops over dtypes and orders ----------------------------------------------------------

def _loop(impl, names, cases, label):
    """Run ``impl`` for every case (a dict of keyword arguments); fail naming every failing
    case, skip only when every case skipped."""
    @_without(impl, *names)
    def test_func(*args, **kw):
        failed, skipped = [], []
        for case in cases:
            try:
                impl(*args, **dict(kw, **case))
            except _SKIPS as e:
                skipped.append(e)
            except Exception as e:
                failed.append((case, e))
        if failed:
            lines = [f"{label(c)}: {type(e).__name__}: {str(e).strip()[:600]}" for c, e in failed]
            raise AssertionError(f"{len(failed)} of {len(cases)} cases failed:\n"
                                 + "\n".join(lines)) from failed[0][1]
        if skipped and len(skipped) == len(cases):
            raise skipped[0]
    return test_func


def _dtype_label(case):
    return ", ".join(f"{k}={numpy.dtype(v).name}" for k, v in case.items())


def for_dtypes(dtypes, name="dtype"):
    def decorator(impl):
        cases = [{name: numpy.dtype(d).type} for d in dtypes]
        return _loop(impl, [name], cases, _dtype_label)
    return decorator


_complex_dtypes = (numpy.complex64, numpy.complex128)
_regular_float_dtypes = (numpy.float64, numpy.float32)
_float_dtypes = _regular_float_dtypes + (numpy.float16,)
_signed_dtypes = tuple(numpy.dtype(i).type for i in "bhilq")
_unsigned_dtypes = _UNSIGNED
_int_dtypes = _signed_dtypes + _unsigned_dtypes
_int_bool_dtypes = _int_dtypes + (numpy.bool_,)


def _all_dtypes(no_float16=False, no_bool=False, no_complex=False):
    return ((_regular_float_dtypes if no_float16 else _float_dtypes)
            + (_int_dtypes if no_bool else _int_bool_dtypes)
            + (() if no_complex else _complex_dtypes))


def for_all_dtypes(name="dtype", no_float16=False, no_bool=False, no_complex=False):
    return for_dtypes(_all_dtypes(no_float16, no_bool, no_complex), name)


def for_float_dtypes(name="dtype", no_float16=False):
    return for_dtypes(_regular_float_dtypes if no_float16 else _float_dtypes, name)


def for_signed_dtypes(name="dtype"):
    return for_dtypes(_signed_dtypes, name)


def for_unsigned_dtypes(name="dtype"):
    return for_dtypes(_unsigned_dtypes, name)


def for_int_dtypes(name="dtype", no_bool=False):
    return for_dtypes(_int_dtypes if no_bool else _int_bool_dtypes, name)


def for_complex_dtypes(name="dtype"):
    return for_dtypes(_complex_dtypes, name)


def for_dtypes_combination(types, names=("dtype",), full=None):
    """Every pair for two names of few types; otherwise each type once per name, matched with
    a fixed shuffle (CuPy samples the same way, with an unseeded shuffle)."""
    types = list(types)
    if len(types) == 1:
        return for_dtypes(types, names[0])
    if full or (len(names) <= 2 and len(types) <= 4):
        combos = [dict(zip(names, c)) for c in itertools.product(types, repeat=len(names))]
    else:
        rng = random.Random(" ".join(names))
        columns = []
        for _ in names:
            shuffled = types[:]
            rng.shuffle(shuffled)
            columns.append(types + shuffled)
        combos = [dict(t) for t in dict.fromkeys(tuple(zip(names, c)) for c in zip(*columns))]

    def decorator(impl):
        return _loop(impl, list(names), combos, _dtype_label)
    return decorator


def for_all_dtypes_combination(names=("dtyes",), no_float16=False, no_bool=False, full=None,
                               no_complex=False):
    return for_dtypes_combination(_all_dtypes(no_float16, no_bool, no_complex), names, full)


def for_signed_dtypes_combination(names=("dtype",), full=None):
    return for_dtypes_combination(_signed_dtypes, names, full)


def for_unsigned_dtypes_combination(names=("dtype",), full=None):
    return for_dtypes_combination(_unsigned_dtypes, names, full)


def for_int_dtypes_combination(names=("dtype",), no_bool=False, full=None):
    return for_dtypes_combination(_int_dtypes if no_bool else _int_bool_dtypes, names, full)


def for_orders(orders, name="order"):
    def decorator(impl):
        return _loop(impl, [name], [{name: o} for o in orders], lambda c: f"{name}={c[name]!r}")
    return decorator


def for_CF_orders(name="order"):
    return for_orders([None, "C", "F", "c", "f"], name)


def for_contiguous_axes(name="axis"):
    """The axes that stay contiguous for ``self``'s ``shape`` and ``order`` keywords: the last
    1, 2, ... axes for C order, the first 1, 2, ... for F order."""
    def decorator(impl):
        @_without(impl, name)
        def test_func(self, *args, **kw):
            ndim, order = len(kw["shape"]), kw["order"]
            if order not in "cCfF":
                raise ValueError(f"for_contiguous_axes: order {order!r}")
            for i in range(ndim):
                axes = tuple(range(i, ndim)) if order in "cC" else tuple(range(ndim - i))
                impl(self, *args, **dict(kw, **{name: axes}))
        return test_func
    return decorator


# ---- test data -------------------------------------------------------------------------------

def _fill(a, dtype):
    dtype = numpy.dtype(dtype)
    if dtype == numpy.bool_:
        return a % 2 == 0
    if dtype.kind == "c":
        return a + a * 1j
    return a


def shaped_arange(shape, xp=cupy, dtype=numpy.float32, order="C"):
    """1, 2, ..., N in ``shape`` (booleans: even -> True; complex: k + kj)."""
    a = _fill(numpy.arange(1, numpy.prod(shape, dtype=int) + 1), dtype)
    return xp.array(a.astype(dtype).reshape(shape), order=order)


def shaped_reverse_arange(shape, xp=cupy, dtype=numpy.float32):
    """N, ..., 1 in ``shape``."""
    a = _fill(numpy.arange(numpy.prod(shape, dtype=int), 0, -1), dtype)
    return xp.array(a.astype(dtype).reshape(shape))


def shaped_random(shape, xp=cupy, dtype=numpy.float32, scale=10, seed=0, order="C"):
    """Uniform on [0, scale) from ``RandomState(seed)`` (booleans: fair coin flips)."""
    rng = numpy.random.RandomState(seed)
    dtype = numpy.dtype(dtype)
    if dtype == numpy.bool_:
        a = rng.randint(2, size=shape)
    elif dtype.kind == "c":
        a = (rng.rand(*shape) + 1j * rng.rand(*shape)) * scale
    else:
        a = rng.rand(*shape) * scale
    return xp.asarray(a, dtype=dtype, order=order)


def shaped_linspace(start, stop, shape, xp=cupy, dtype=numpy.float32):
    dtype = numpy.dtype(dtype)
    if dtype == numpy.bool_:
        start, stop = False, True
    elif dtype.kind == "u":
        start, stop = max(start, 0), max(stop, 0)
    return xp.linspace(start, stop, numpy.prod(shape, dtype=int), dtype=dtype).reshape(shape)


def generate_matrix(shape, xp=cupy, dtype=numpy.float32, *, singular_values=None):
    """A matrix (stack) with the given singular values: ``U @ diag(s) @ V`` with random
    unitary ``U``, ``V`` (from QR of Gaussian draws)."""
    if singular_values is None:
        raise TypeError("generate_matrix: singular_values is required")
    if len(shape) < 2:
        raise ValueError(f"generate_matrix: shape {shape} needs two dimensions")
    s = numpy.asarray(singular_values)
    dtype = numpy.dtype(dtype)
    n, m = shape[-2:]
    k = min(n, m)
    s = numpy.broadcast_to(s, shape[:-2] + (k,))

    def unitary(size):
        a = numpy.random.randn(*shape[:-2], size, size)
        if dtype.kind == "c":
            a = a + 1j * numpy.random.randn(*shape[:-2], size, size)
        return numpy.linalg.qr(a)[0]
    u, vh = unitary(n)[..., :k], unitary(m)[..., :k, :]
    a = numpy.einsum("...ik,...k,...kj->...ij", u, s, vh)
    return xp.asarray(a.astype(dtype))


# ---- parameterized classes, markers, random seeds ---------------------------------------------

def product(parameter):
    keys = sorted(parameter)
    return [dict(zip(keys, v)) for v in itertools.product(*(parameter[k] for k in keys))]


def product_dict(*parameters):
    return [{k: v for d in ds for k, v in d.items()} for ds in itertools.product(*parameters)]


def _param_str(v):
    s = getattr(v, "__name__", None)
    s = s if isinstance(s, str) else repr(v)
    return s if len(s) <= 60 else s[:28] + "..." + s[-29:]


def parameterize(*params, **_ignored):
    """One subclass of the decorated class per parameter set, added to the class's module
    (``TestX_param_0_{a=1, b=2}``); the original class is removed (the name binds ``None``)."""
    def deco(cls):
        module = sys.modules[cls.__module__]
        for i, param in enumerate(params):
            members = {k: (staticmethod(v) if isinstance(v, types.FunctionType) else v)
                       for k, v in param.items()}
            text = ", ".join(f"{k}={_param_str(v)}" for k, v in sorted(param.items()))
            sub = type(f"{cls.__name__}_param_{i}_{{{text}}}", (cls,), members)
            sub.__module__ = cls.__module__
            setattr(module, sub.__name__, sub)
        return None
    return deco


def installed(*specifiers):
    from packaging.requirements import Requirement
    for spec in specifiers:
        req = Requirement(spec)
        try:
            version = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            return False
        if not req.specifier.contains(version, prereleases=True):
            return False
    return True


def with_requires(*requirements):
    return pytest.mark.skipif(not installed(*requirements),
                              reason=f"requires {', '.join(requirements)}")


def numpy_satisfies(version_range):
    return installed(f"numpy{version_range}")


slow = pytest.mark.slow if hasattr(pytest.mark, "slow") else pytest.mark.skip


def multi_gpu(gpu_num):
    return pytest.mark.skip(reason=f"CuPy-only: needs {gpu_num} GPUs")


def generate_seed():
    return random.Random(0).randrange(2 ** 31)


def fix_random():
    """Seed NumPy's and ndgrad's global streams before the test (method or TestCase class)."""
    def seed():
        numpy.random.seed(0)
        cupy.random.seed(0)

    def decorator(impl):
        if isinstance(impl, type):
            set_up = impl.setUp if hasattr(impl, "setUp") else (lambda self: None)

            def setUp(self):
                seed()
                set_up(self)
            impl.setUp = setUp
            return impl

        @functools.wraps(impl)
        def test_func(*args, **kw):
            seed()
            return impl(*args, **kw)
        return test_func
    return decorator


@contextlib.contextmanager
def assert_function_is_called(*args, times_called=1, **kwargs):
    from unittest import mock
    with mock.patch(*args, **kwargs) as handle:
        yield
        assert handle.call_count == times_called


AssertFunctionIsCalled = assert_function_is_called


class NumpyAliasBasicTestBase(unittest.TestCase):
    def test_argspec(self):
        assert inspect.signature(getattr(cupy, self.func)) == inspect.signature(
            getattr(numpy, self.func))


class NumpyAliasValuesTestBase(unittest.TestCase):
    def test_values(self):
        assert getattr(cupy, self.func)(*self.args) == getattr(numpy, self.func)(*self.args)


def _repeat(times, min_success):
    """Run the test ``times`` times; pass once ``min_success`` runs passed."""
    def deco(f):
        @functools.wraps(f)
        def wrapper(*args, **kw):
            ok, first = 0, None
            for _ in range(times):
                try:
                    f(*args, **kw)
                    ok += 1
                except AssertionError as e:
                    first = first or e
                if ok >= min_success:
                    return
            raise AssertionError(f"{ok} of {times} runs passed, {min_success} needed") from first
        return wrapper
    return deco


_condition = types.ModuleType("cupy.testing._condition", "repeated runs of a test")
_condition.repeat = lambda times, intensive_times=None: _repeat(times, times)
_condition.retry = lambda times: _repeat(times, 1)
_condition.repeat_with_success_at_least = _repeat
_loops = types.ModuleType("cupy.testing._loops", "names of CuPy's module of the same name")
_loops._wraps_partial = _without
for _m in (_condition, _loops):
    sys.modules[_m.__name__] = _m
sys.modules["cupy.testing._protocol_helpers"] = cupy.CupyOnlyModule(
    "cupy.testing._protocol_helpers")
