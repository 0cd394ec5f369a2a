"""In-place writes inside ``nd.jit``: into the trace's own arrays they are part of the
compiled function (each call gives eager's values); into an array from outside the
arguments (a global, a closed-over ndgrad or NumPy array, an alias of one) they would
happen once, while tracing, so they are refused with a clear error, and the array keeps
its value."""
import threading

import numpy as np
import pytest

import ndgrad as nd
from ndgrad._ops.sharing import _COUNTS

_REFUSED = "writes in place into"


def _outside_writes():
    """(name, make) pairs: make(w, n) returns a function writing into the ndgrad array
    ``w`` or the NumPy array ``n`` from outside its arguments."""
    def add_assign(w, n):
        def f(x):
            nonlocal w
            w += 1.0
            return x * 2
        return f

    def setitem(w, n):
        def f(x):
            w[0] = 7.0
            return x * 2
        return f

    def view(w, n):
        def f(x):
            v = w[0:1]
            v[...] = 6.0
            return x * 2
        return f

    def reshape_view(w, n):
        def f(x):
            w.reshape(1, 2)[0, 1] = 3.0
            return x * 2
        return f

    def through_asarray(w, n):
        def f(x):
            nd.asarray(n)[0] = 5.0
            return x * 2
        return f

    def out_numpy(w, n):
        def f(x):
            nd.add(w, 1.0, out=n)
            return x * 2
        return f

    def out_ndgrad(w, n):
        def f(x):
            nd.multiply(w, 2.0, out=w)
            return x * 2
        return f

    def put(w, n):
        def f(x):
            nd.put(w, [0], [9.0])
            return x * 2
        return f

    def fill(w, n):
        def f(x):
            w.fill(2.0)
            return x * 2
        return f

    def sort(w, n):
        def f(x):
            w.sort()
            return x * 2
        return f

    def copyto(w, n):
        def f(x):
            nd.copyto(w, [4.0, 4.0])
            return x * 2
        return f

    def traced_into_global(w, n):
        def f(x):
            w[...] = x      # (a traced value: refused as a write, not as a read)
            return x * 2
        return f

    return [(f.__name__, f) for f in (add_assign, setitem, view, reshape_view,
                                      through_asarray, out_numpy, out_ndgrad, put, fill,
                                      sort, copyto, traced_into_global)]


@pytest.mark.parametrize("name,make", _outside_writes(), ids=[n for n, _ in _outside_writes()])
def test_a_write_into_an_array_from_outside_is_refused_and_changes_nothing(name, make):
    w = nd.asarray([3.0, 1.0])
    n = np.array([1.0, 1.0])
    f = nd.jit(make(w, n))
    with pytest.raises(ValueError, match=_REFUSED) as err:
        f(nd.asarray([1.0, 2.0]))
    assert "shape (2,)" in str(err.value) or "shape (1," in str(err.value)
    # the failed trace left both arrays as they were (eager would have written them)
    np.testing.assert_array_equal(np.asarray(w), [3.0, 1.0])
    np.testing.assert_array_equal(n, [1.0, 1.0])
    # and the function still runs eagerly, with the write
    make(w, n)(nd.asarray([1.0, 2.0]))
    assert not (np.array_equal(np.asarray(w), [3.0, 1.0]) and np.array_equal(n, [1.0, 1.0]))


_C = nd.asarray([2.0, 2.0])   # closed over by _own_writes (read, never written)


def _own_writes(x):
    """Writes into arrays the function makes (creation functions, op results, copies,
    fresh arrays from lists and from host functions), mixed with traced values."""
    c = _C
    a = nd.zeros(2)
    a += x
    a[0] = 3.0
    b = nd.asarray([1.0, 2.0])
    b += 1.0
    b[1] = 0.0
    d = c * 2.0          # an op result over the closed-over c: the trace's own
    d += 1.0
    d[0] = 4.0
    e = c.copy()
    e[0] = 5.0
    f = nd.arange(3.0)
    f[0] = 1.0
    g = h = k = 0.0
    if _COUNTS:
        # host functions' results and a NumPy temporary are proven nobody else's by
        # reference counts, where they are exact (elsewhere: test_host_results_...)
        h = nd.linspace(0.0, 1.0, 2)   # (NumPy's linspace returns a view)
        h *= 2.0
        g = nd.unique(c)
        g[0] = 3.0
        k = nd.asarray(np.array([1.0, 2.0]) * 2)   # a NumPy temporary nobody else holds
        k += 1.0
    y = x * 1.0
    y[0] = 5.0
    y += c
    v = y[0:1]
    v[...] = 2.0         # a view of a traced value passes the write on
    return a + b + d + e + f[:2] + g + h + k + y


def test_writes_into_arrays_the_function_made_give_eagers_values():
    jf = nd.jit(_own_writes)
    for x in ([1.0, 2.0], [-3.0, 0.5], [0.0, -0.0]):
        x = nd.asarray(x)
        np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(_own_writes(x)))
    assert jf.trace_count == 1
    np.testing.assert_array_equal(np.asarray(_C), [2.0, 2.0])


@pytest.mark.skipif(_COUNTS, reason="reference counts prove these arrays unshared here")
def test_host_results_are_refused_where_counts_cannot_prove_them_unshared():
    """Without exact counts (CPython 3.14, free-threaded builds) a host function's result
    or a wrapped NumPy temporary may be NumPy code's too: a write inside nd.jit is the
    clear refusal, never a write into someone else's buffer."""
    def unique(x):
        g = nd.unique(_C)
        g[0] = 3.0
        return x + g

    def linspace(x):
        h = nd.linspace(0.0, 1.0, 2)
        h *= 2.0
        return x + h

    def numpy_temporary(x):
        k = nd.asarray(np.array([1.0, 2.0]) * 2)
        k += 1.0
        return x + k

    for f in (unique, linspace, numpy_temporary):
        with pytest.raises(ValueError, match=_REFUSED):
            nd.jit(f)(nd.asarray([2.0, 2.0]))
    np.testing.assert_array_equal(np.asarray(_C), [2.0, 2.0])


def test_in_place_writes_into_the_trace_own_arrays_have_eager_gradients():
    def f(x):
        y = x * 1.0
        y[1] = y[0] * 3.0
        y *= x
        return nd.sum(y)

    for x in ([1.0, 2.0], [0.5, -4.0]):
        x = nd.asarray(x)
        g_eager = nd.grad(f)(x)
        g_jit = nd.jit(nd.grad(f))(x)
        np.testing.assert_allclose(np.asarray(g_jit), np.asarray(g_eager))


def test_a_trace_in_another_thread_does_not_refuse_this_threads_writes():
    w = nd.asarray([1.0, 1.0])
    started, release = threading.Event(), threading.Event()

    def slow(x):
        started.set()
        release.wait(10)
        return x + 1

    t = threading.Thread(target=lambda: nd.jit(slow)(nd.asarray([1.0])))
    t.start()
    try:
        assert started.wait(10)
        w += 1.0           # this thread runs no trace: an ordinary write
        w[0] = 5.0
    finally:
        release.set()
        t.join()
    np.testing.assert_array_equal(np.asarray(w), [5.0, 2.0])


def test_an_eager_tf_variable_from_outside_is_not_assigned_inside_jit():
    import ndgrad.tf as tf
    was = tf.executing_eagerly()
    tf.enable_eager_execution()
    try:
        v = tf.Variable([1.0, 2.0], trainable=False)
        v.assign_add([1.0, 1.0])          # (a list converts to the variable's float32)
        np.testing.assert_array_equal(v.numpy(), np.array([2.0, 3.0], np.float32))

        def f(x):
            v.assign_add([1.0, 1.0])
            return x * 2

        with pytest.raises(ValueError, match=_REFUSED):
            nd.jit(f)(nd.asarray([1.0, 1.0]))
        np.testing.assert_array_equal(v.numpy(), np.array([2.0, 3.0], np.float32))
    finally:
        if not was:
            tf.disable_eager_execution()


@pytest.mark.parametrize("call", [
    lambda x, o: nd.add(x, 1.0, out=o),                    # a ufunc's out=
    lambda x, o: nd.clip(x, 0.0, 1.5, out=o),              # a function's out=
    lambda x, o: nd.sum(x * 1.0, axis=0, out=o[0:1].reshape(())),
    lambda x, o: np.add(x, 1.0, out=o),                    # NumPy's ufunc, ndgrad input
])
def test_a_value_being_differentiated_is_never_written_into_a_numpy_out(call):
    """A NumPy array cannot carry a gradient: writing a recorded value into it would cut
    the gradient silently, so it is refused (outside nd.jit too), and ``out`` keeps its
    values; a detached value is written as NumPy writes it."""
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    o = np.zeros(2)
    with pytest.raises(TypeError, match="being differentiated"):
        call(x, o)
    np.testing.assert_array_equal(o, [0.0, 0.0])
    call(x.detach(), o)
    assert o.any()


# -- writes into the arguments reach the caller, as in eager code ---------------------------
def _sgd_step(w, g, lr=0.1):
    w -= lr * g          # an optimizer step in place: returns nothing


@pytest.mark.parametrize("make", [nd.asarray, np.array], ids=["ndgrad", "numpy"])
def test_an_in_place_step_on_an_argument_reaches_the_caller(make):
    """nd.jit(step)(w, g) updates ``w`` as the eager step does (it used to be a
    functional update the caller never saw: ``w`` silently kept its value)."""
    w, we = make([1.0, 1.0]), make([1.0, 1.0])
    g = make([1.0, 2.0])
    step = nd.jit(_sgd_step)
    for _ in range(3):
        assert step(w, g) is None
        _sgd_step(we, g)
        np.testing.assert_array_equal(np.asarray(w), np.asarray(we))
    assert step.trace_count == 1


def test_writes_into_arguments_in_containers_keywords_and_through_views():
    def f(xs, *, z):
        xs[0][1:] *= 10.0        # through a view of a list element
        z += 1.0
        return xs[1] * 2

    def run(fun):
        xs = [nd.asarray([1.0, 2.0, 3.0]), nd.asarray([4.0])]
        z = nd.asarray([0.5])
        r = fun(xs, z=z)
        return [np.asarray(a) for a in xs] + [np.asarray(z), np.asarray(r)]

    for got, want in zip(run(nd.jit(f)), run(f)):
        np.testing.assert_array_equal(got, want)


def test_a_written_argument_that_shares_memory_with_another_input_is_refused():
    def f(x, y):
        x[0] = 100.0
        return x + y             # eager: y sees the write when it is x (or a view of it)

    jf = nd.jit(f)
    a = nd.asarray([1.0, 2.0])
    b = nd.asarray(np.arange(4.0))
    jf(nd.asarray([1.0, 2.0]), nd.asarray([0.0, 0.0]))      # traced: writes into x
    for x, y in ((a, a), (b[:2], b[1:3])):
        before = (np.asarray(x).copy(), np.asarray(y).copy())
        with pytest.raises(ValueError, match="shares memory"):
            jf(x, y)
        np.testing.assert_array_equal(np.asarray(x), before[0])   # nothing ran
        np.testing.assert_array_equal(np.asarray(y), before[1])
    # disjoint views of one buffer are separate arrays: allowed, eager's results
    c, ce = nd.asarray(np.arange(4.0)), nd.asarray(np.arange(4.0))
    np.testing.assert_array_equal(np.asarray(jf(c[:2], c[2:])), np.asarray(f(ce[:2], ce[2:])))
    np.testing.assert_array_equal(np.asarray(c), np.asarray(ce))

    w = nd.asarray([1.0, 2.0])

    def g(x):
        x[0] = 100.0
        return x + w             # w read from outside: a written x must not be w

    jg = nd.jit(g)
    jg(nd.asarray([0.0, 0.0]))
    with pytest.raises(ValueError, match="shares memory"):
        jg(w)
    np.testing.assert_array_equal(np.asarray(w), [1.0, 2.0])


def test_a_write_back_keeps_the_values_a_recorded_rule_saved():
    """The caller's array, saved by a recorded product, is written by a jitted call:
    the write takes ndgrad's path (copy-on-write), so the gradient uses the old value."""
    a = nd.asarray([3.0, 4.0])
    x = nd.asarray([1.0, 1.0], requires_grad=True)
    y = nd.sum(x * a)

    def bump(v):
        v += 10.0

    nd.jit(bump)(a)
    np.testing.assert_array_equal(np.asarray(a), [13.0, 14.0])
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [3.0, 4.0])


@pytest.mark.parametrize("ret", ["scalar", "tuple_scalar", "tuple_array", "constant",
                                 "list_mixed", "dict", "none"])
def test_a_write_back_happens_whatever_the_function_returns(ret):
    """Every result shape alongside a write into an argument: the results are eager's and
    the argument is written back (a flat tuple of one Python number with a written
    argument once took the short result path: it returned the argument's new value in
    the number's place and skipped the write-back)."""
    def f(x):
        x += 1.0
        y = x * 2.0
        return {"scalar": 5.0, "tuple_scalar": (5.0,), "tuple_array": (y,),
                "constant": nd.ones(2), "list_mixed": [y, 3, x * 0.5],
                "dict": {"a": y, "b": 1}, "none": None}[ret]

    a, ae = nd.asarray([1.0, 2.0]), nd.asarray([1.0, 2.0])
    got, want = nd.jit(f)(a), f(ae)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(ae))
    flat = lambda r: r if isinstance(r, (list, tuple)) else (  # noqa: E731
        list(r.values()) if isinstance(r, dict) else [r])
    for g, w in zip(flat(got), flat(want)):
        if isinstance(w, nd.Array):
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
        else:
            assert g == w

