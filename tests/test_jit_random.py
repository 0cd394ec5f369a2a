"""nd.jit refuses a function that draws from NumPy's or Python's random generators while
tracing (the compiled code would repeat that one draw at every call), and puts the
generator back as it was; functions that do not draw are unaffected."""
import random
import threading

import numpy as np
import pytest

import ndgrad as nd
from numpy.random import normal as global_normal

RNG = np.random.default_rng(0)
PY_RNG = random.Random(0)


def _refused(f, *args, name):
    with pytest.raises(RuntimeError, match=name):
        f(*args)


def test_numpy_global_generator_is_refused_and_restored():
    @nd.jit
    def f(x):
        return x + nd.asarray(np.random.normal(size=3))

    np.random.seed(5)
    _refused(f, nd.zeros(3), name=r"NumPy's global generator")
    # the failed call drew nothing: the stream goes on as if it had not been made
    after = np.random.normal(size=2)
    np.random.seed(5)
    np.testing.assert_array_equal(after, np.random.normal(size=2))


def test_imported_global_function_is_refused():
    @nd.jit
    def f(x):
        return x * global_normal()

    _refused(f, nd.ones(2), name="global generator")


def test_module_level_generator_is_refused_and_restored():
    @nd.jit
    def f(x):
        return x + RNG.normal(size=x.shape)

    before = RNG.bit_generator.state
    _refused(f, nd.zeros(4), name=r"`RNG`")
    assert RNG.bit_generator.state == before


def test_generator_on_self_is_refused():
    class Noisy:
        def __init__(self):
            self.rng = np.random.default_rng(1)

        def sample(self, n):
            return self.rng.standard_normal(n)

        @nd.jit
        def __call__(self, x):
            return x + self.sample(3)

    m = Noisy()
    before = m.rng.bit_generator.state
    _refused(m, nd.zeros(3), name=r"`self\.rng`")
    assert m.rng.bit_generator.state == before


def test_generator_passed_as_argument_is_refused():
    f = nd.jit(lambda x, rng: x + rng.uniform(size=2), static_argnums=1)
    rng = np.random.default_rng(2)
    _refused(f, nd.zeros(2), rng, name="rng")


def test_python_random_is_refused_and_restored():
    @nd.jit
    def f(x):
        return x * random.random()

    random.seed(3)
    _refused(f, nd.ones(2), name="Python's random module")
    a = random.random()
    random.seed(3)
    assert a == random.random()

    @nd.jit
    def g(x):
        return x * PY_RNG.gauss(0.0, 1.0)

    _refused(g, nd.ones(2), name="PY_RNG")


def test_legacy_random_state_instance_is_refused():
    rs = np.random.RandomState(4)

    @nd.jit
    def f(x):
        return x + rs.rand()

    before = rs.get_state(legacy=False)["state"]["key"].copy()
    _refused(f, nd.zeros(1), name="rs")
    np.testing.assert_array_equal(rs.get_state(legacy=False)["state"]["key"], before)


def test_samples_passed_in_agree_with_eager():
    # the way the error says: draw outside, pass the samples; each call sees new ones
    def f(x, noise):
        return nd.sum((x + noise) ** 2)

    jf = nd.jit(f)
    rng = np.random.default_rng(7)
    x = nd.asarray([0.5, -1.0, 2.0])
    for _ in range(3):
        noise = nd.asarray(rng.normal(size=3))
        assert float(jf(x, noise)) == float(f(x, noise))


def test_reading_a_generator_without_drawing_is_allowed():
    @nd.jit
    def f(x):
        seeded = RNG is not None and np.random is not None   # (reads, draws nothing)
        return x * 2.0 if seeded else x

    np.testing.assert_array_equal(np.asarray(f(nd.ones(2))), [2.0, 2.0])


def test_a_seeded_generator_made_inside_is_allowed():
    # a generator the function makes from a fixed seed gives the same numbers at every
    # eager call: compiling them in is exact
    def f(x):
        return x + nd.asarray(np.random.default_rng(11).normal(size=2))

    jf = nd.jit(f)
    x = nd.zeros(2)
    for _ in range(2):
        np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(f(x)))


def test_other_threads_drawing_during_a_trace_of_a_function_that_does_not():
    # a function that never names a generator is not watched: another thread's draws
    # from the global generator do not refuse it
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            np.random.random()

    t = threading.Thread(target=draw)
    t.start()
    try:
        @nd.jit
        def f(x):
            return nd.sum(nd.sin(x) * x)

        for n in range(1, 6):
            assert float(f(nd.ones(n))) == pytest.approx(n * np.sin(1.0))
    finally:
        stop.set()
        t.join()
