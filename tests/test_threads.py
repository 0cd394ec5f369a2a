"""Recording state is per thread (as PyTorch's grad mode): threads computing gradients,
toggling no_grad and running ndgrad.tf sessions at once get the single-threaded results,
and recording is on afterwards in every thread."""
import sys
import threading

import numpy as np
import pytest

import ndgrad as nd

FUNCS = [
    lambda x: nd.sum(nd.sin(x) * x),
    lambda x: nd.sum(x ** 3) - nd.prod(x),
    lambda x: nd.sum(nd.exp(-x * x)),
    lambda x: nd.sum(nd.tanh(x) @ nd.ones((3, 2))),
    lambda x: nd.grad(lambda y: nd.sum(y ** 4))(x)[0] * nd.sum(x),   # nested
    lambda x: nd.jvp(lambda y: nd.sum(nd.cos(y) * y), (x,), (nd.ones(3),))[1],
    lambda x: nd.sum(nd.hessian(lambda y: nd.sum(y ** 3))(x)),
    lambda x: nd.sum(nd.log1p(x * x) / (1.0 + x)),
]
X = np.array([0.3, -0.7, 1.1])


@pytest.fixture
def fast_switching():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)           # switch threads as often as possible
    yield
    sys.setswitchinterval(old)


def _run_threads(targets):
    errors = []
    barrier = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            except BaseException as e:  # noqa: BLE001 (reported below)
                errors.append(e)
        return run
    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_concurrent_grads_and_no_grad_toggles(fast_switching):
    expected = [np.asarray(nd.grad(f)(nd.asarray(X))) for f in FUNCS]
    results = {i: [] for i in range(len(FUNCS))}

    def grads(i):
        def run():
            for _ in range(25):
                results[i].append(np.asarray(nd.grad(FUNCS[i])(nd.asarray(X))))
                w = nd.asarray(X, requires_grad=True)
                FUNCS[i](w).backward()
                results[i].append(np.asarray(w.grad))
        return run

    toggled = []

    def toggler():
        for _ in range(300):
            with nd.no_grad():
                y = nd.asarray(X, requires_grad=True) * 2.0
                toggled.append(y.requires_grad)
            nd.set_grad_enabled(False)
            toggled.append(nd.is_grad_enabled())
            nd.set_grad_enabled(True)

    _run_threads([grads(i) for i in range(len(FUNCS))] + [toggler, toggler])
    for i, exp in enumerate(expected):
        assert len(results[i]) == 50
        for r in results[i]:
            np.testing.assert_allclose(r, exp, rtol=1e-12, atol=1e-14)
    assert not any(toggled)
    assert nd.is_grad_enabled()


def test_a_new_thread_records_whatever_this_one_does():
    seen = []
    with nd.no_grad():
        t = threading.Thread(target=lambda: seen.append(
            (nd.is_grad_enabled(), (nd.asarray(1.0, requires_grad=True) * 2).requires_grad)))
        t.start()
        t.join()
        assert not nd.is_grad_enabled()
    assert seen == [(True, True)]
    assert nd.is_grad_enabled()


def test_tracing_depth_is_per_thread(fast_switching):
    from ndgrad._ops.registry import grad_state
    depths = []
    inside = threading.Event()
    done = threading.Event()

    def slow_trace(x):
        inside.set()
        done.wait(5)
        return nd.sum(x * x)

    def tracer():
        nd.grad(slow_trace)(nd.asarray([1.0]))

    t = threading.Thread(target=tracer)
    t.start()
    inside.wait(5)
    depths.append(grad_state.depth)       # this thread traces nothing
    # a plain vjp here must not think it is nested (it would return recorded values)
    y, pb = nd.vjp(nd.sin, nd.asarray(0.5))
    assert not y.requires_grad
    done.set()
    t.join()
    assert depths == [0]


tf = pytest.importorskip("ndgrad.tf")


def test_sessions_and_default_graphs_per_thread(fast_switching):
    base = tf.get_default_graph()
    out = {}

    def session_thread(k):
        def run():
            g = tf.Graph()
            with g.as_default():
                assert tf.get_default_graph() is g
                a = tf.placeholder(tf.float32, shape=(None,))
                w = tf.Variable(np.float32(k), name="w")
                loss = tf.reduce_sum(w * a * a)
                grad, = tf.gradients(loss, [w])
                with tf.Session() as sess:
                    assert tf.get_default_session() is sess
                    sess.run(tf.global_variables_initializer())
                    vals = [sess.run([loss, grad], {a: np.arange(3, dtype=np.float32) + i})
                            for i in range(20)]
            out[k] = (vals, w.name, tf.get_default_graph() is base)
        return run

    def other_thread():
        # a thread that entered no graph sees the global default graph, as TensorFlow
        out["other"] = (tf.get_default_graph() is base, tf.get_default_session())

    _run_threads([session_thread(k) for k in range(1, 5)] + [other_thread] + [
        lambda: nd.grad(FUNCS[0])(nd.asarray(X)) for _ in range(3)])
    for k in range(1, 5):
        vals, name, back_to_base = out[k]
        assert name == "w:0" and back_to_base
        for i, (loss, grad) in enumerate(vals):
            s = float(np.sum((np.arange(3) + i) ** 2))
            np.testing.assert_allclose(loss, k * s, rtol=1e-6)
            np.testing.assert_allclose(grad, s, rtol=1e-6)
    assert out["other"] == (True, None)
    assert nd.is_grad_enabled()


def test_one_session_run_from_many_threads(fast_switching):
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float64, shape=(3,))
        y = tf.reduce_sum(tf.sin(a) * a)
        dy, = tf.gradients(y, [a])
    sess = tf.Session(graph=g)
    inputs = [np.linspace(0, 1, 3) + k for k in range(6)]
    res = {}

    def run(k):
        def go():
            res[k] = [sess.run([y, dy], {a: inputs[k]}) for _ in range(20)]
        return go
    _run_threads([run(k) for k in range(6)])
    for k, x in enumerate(inputs):
        for v, d in res[k]:
            np.testing.assert_allclose(v, np.sum(np.sin(x) * x), rtol=1e-12)
            np.testing.assert_allclose(d, np.cos(x) * x + np.sin(x), rtol=1e-12)


_FUSED_PLAN_THREADS = r'''
import sys, threading
import numpy as np
import ndgrad as nd
import ndgrad.tf as tf
sys.setswitchinterval(1e-6)
rng = np.random.default_rng(0)
datas = [(rng.standard_normal((64, 8)), rng.standard_normal((8, 4))) for _ in range(8)]

def f(a, w):     # elementwise chains the plan compiler fuses into numexpr kernels
    h = nd.tanh(a @ w)
    return nd.sum(nd.exp(-h * h) * nd.sin(h)) + nd.sum(nd.cos(a) * a)

vg = nd.value_and_grad(f, (0, 1))
jf = nd.jit(vg)
ref = []
for a, w in datas:
    v, (ga, gw) = vg(nd.asarray(a), nd.asarray(w))
    ref.append((float(v), np.asarray(ga), np.asarray(gw)))
g = tf.Graph()
with g.as_default():
    xp = tf.placeholder(tf.float64, (64, 8))
    wp = tf.placeholder(tf.float64, (8, 4))
    h = tf.tanh(tf.matmul(xp, wp))
    y = tf.reduce_sum(tf.exp(-h * h) * tf.sin(h)) + tf.reduce_sum(tf.cos(xp) * xp)
    gx, gw = tf.gradients(y, [xp, wp])
sess = tf.Session(graph=g)
bad = []

def work(k):
    a, w = datas[k]
    rv, rga, rgw = ref[k]
    for _ in range(120):
        v, (ga, gw_) = jf(nd.asarray(a), nd.asarray(w))
        sv, sga, sgw = sess.run([y, gx, gw], {xp: a, wp: w})
        for got, want in ((float(v), rv), (np.asarray(ga), rga), (np.asarray(gw_), rgw),
                          (sv, rv), (sga, rga), (sgw, rgw)):
            if not np.allclose(got, want, rtol=1e-10, atol=1e-12):
                bad.append(k)
                return

ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("bad", sorted(set(bad)))
'''


def test_fused_plans_run_from_many_threads_at_once(tmp_path):
    # nd.jit and Session.run from 8 threads at once: a plan's fused numexpr kernel is
    # one object, and numexpr keeps its registers in it (and its thread pool in
    # globals); run concurrently it corrupted the heap ("double free or corruption",
    # an abort). A subprocess, so that such a crash fails this test, not the run.
    pytest.importorskip("numexpr")
    import subprocess
    script = tmp_path / "threads.py"
    script.write_text(_FUSED_PLAN_THREADS)
    r = subprocess.run([sys.executable, "-W", "ignore", str(script)], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    assert "bad []" in r.stdout, r.stdout


def test_backward_from_many_threads_accumulates_every_gradient(fast_switching):
    # Hogwild: threads call backward() on losses of one shared leaf; .grad's read-add-
    # write raced and lost accumulations (w.grad 288 where 600 is right); PyTorch's
    # AccumulateGrad takes a lock too
    n, threads, steps = 1 << 16, 4, 50
    w = nd.asarray(np.ones(n), requires_grad=True)
    start = threading.Barrier(threads)

    def work():
        start.wait()
        for _ in range(steps):
            nd.sum(w * 3.0).backward()
    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert np.all(np.asarray(w.grad) == 3.0 * threads * steps)
