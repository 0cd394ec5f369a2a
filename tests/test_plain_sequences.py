"""value_and_grad's plain path for flat lists and tuples of arrays (an MLP's parameter
list): the same values, gradients, structures and buffers as the general (pytree) path."""
import numpy as np
import pytest

import ndgrad as nd
from ndgrad._autograd import functional as F


@pytest.fixture
def taken(monkeypatch):
    """How many calls took the plain sequence path."""
    calls = []
    orig = F._plain_sequence_value_and_grad

    def spy(*a, **k):
        calls.append(1)
        return orig(*a, **k)
    monkeypatch.setattr(F, "_plain_sequence_value_and_grad", spy)
    return calls


def _vals():
    rng = np.random.default_rng(3)
    return [rng.standard_normal(s) for s in ((3, 2), (2,), (2, 4), (4,))]


def _mlp(ps, x):
    w1, b1, w2, b2 = ps
    h = nd.maximum(x @ w1 + b1, 0.0)
    return nd.sum(nd.tanh(h @ w2 + b2) ** 2)


def _as_dict(seq):
    return {f"k{i}": p for i, p in enumerate(seq)}


def _from_dict(d):
    return [d[f"k{i}"] for i in range(len(d))]


@pytest.mark.parametrize("kind", [list, tuple])
def test_sequence_argument_equals_the_general_path(taken, kind):
    vals = _vals()
    xv = np.random.default_rng(4).standard_normal((5, 3))
    ps = kind(nd.asarray(v.copy()) for v in vals)
    x = nd.asarray(xv)
    v, g = nd.value_and_grad(_mlp)(ps, x)
    assert taken == [1]
    assert type(g) is kind and len(g) == 4
    v2, g2 = nd.value_and_grad(lambda d, x: _mlp(_from_dict(d), x))(_as_dict(ps), x)
    assert len(taken) == 1   # (a dict takes the general path)
    assert float(v) == float(v2)
    seen = set()
    for a, b, p in zip(g, _from_dict(g2), ps):
        assert a.dtype == b.dtype == p.dtype and a.shape == p.shape
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        d = np.asarray(a)
        assert d.flags.writeable and id(d) not in seen
        assert not np.shares_memory(d, np.asarray(p))
        seen.add(id(d))
    for p, val in zip(ps, vals):   # the arguments keep their values
        np.testing.assert_array_equal(np.asarray(p), val)
    # against finite differences too (not only the other path)
    eps = 1e-6
    e = np.zeros_like(vals[0])
    e[1, 0] = eps
    up = _mlp([nd.asarray(vals[0] + e)] + [nd.asarray(v) for v in vals[1:]], x)
    dn = _mlp([nd.asarray(vals[0] - e)] + [nd.asarray(v) for v in vals[1:]], x)
    np.testing.assert_allclose(np.asarray(g[0])[1, 0], (float(up) - float(dn)) / (2 * eps),
                               rtol=1e-6)


def test_mixed_argnums_order_aux_and_keywords(taken):
    vals = _vals()
    a = nd.asarray(np.array([0.5, -2.0]))

    def f(s, ps, scale=1.0):
        return nd.sum(ps[1] * s) * scale + nd.sum(ps[0]) * 0.0, "aux"
    ps = [nd.asarray(v) for v in vals[:2]]
    (v, aux), (gps, gs) = nd.value_and_grad(f, argnums=(1, 0), has_aux=True)(a, ps,
                                                                              scale=3.0)
    assert taken == [1] and aux == "aux"
    assert type(gps) is list and len(gps) == 2
    np.testing.assert_array_equal(np.asarray(gps[0]), np.zeros((3, 2)))
    np.testing.assert_array_equal(np.asarray(gps[1]), 3.0 * np.asarray(a))
    np.testing.assert_array_equal(np.asarray(gs), 3.0 * vals[1])
    assert float(v) == 3.0 * float(np.sum(vals[1] * np.asarray(a)))


def test_one_array_twice_in_the_list_gets_a_gradient_per_position(taken):
    w = nd.asarray(np.array([1.0, 2.0]))
    v, (g0, g1) = nd.value_and_grad(lambda ps: nd.sum(ps[0] * ps[1] * ps[1]))([w, w])
    assert taken == [1]
    np.testing.assert_array_equal(np.asarray(g0), [1.0, 4.0])   # d/da a*b*b = b*b
    np.testing.assert_array_equal(np.asarray(g1), [2.0, 8.0])   # d/db = 2ab
    assert not np.shares_memory(np.asarray(g0), np.asarray(g1))


def test_not_plain_sequences_take_the_general_path(taken):
    def f(ps):
        if not ps:
            return nd.asarray(0.0)
        return nd.sum(ps[0][0]) if isinstance(ps[0], list) else nd.sum(ps[0])
    vg = nd.value_and_grad(f)
    x = nd.asarray([1.0, 2.0])
    vg([[x]])                                  # nested
    with pytest.raises(TypeError):
        vg([nd.asarray([1, 2])])               # an integer array: the general path's error
    assert vg([])[1] == []                     # empty
    r = nd.asarray([1.0, 2.0], requires_grad=True)
    v, g = nd.value_and_grad(lambda ps: nd.sum(ps[0] ** 2))([r])   # recorded: so is g
    assert g[0].requires_grad
    nd.sum(g[0]).backward()
    np.testing.assert_array_equal(np.asarray(r.grad), [2.0, 2.0])
    assert taken == []


def test_sgd_update_after_the_call_writes_in_place_without_a_copy():
    # the parameters are not left marked saved: ``p -= lr * g`` writes their own buffer
    ps = [nd.asarray(v.copy()) for v in _vals()]
    x = nd.asarray(np.random.default_rng(4).standard_normal((5, 3)))
    before = [np.asarray(p).__array_interface__["data"][0] for p in ps]
    for _ in range(2):
        v, g = nd.value_and_grad(_mlp)(ps, x)
        for p, gi in zip(ps, g):
            p -= 0.1 * gi
    after = [np.asarray(p).__array_interface__["data"][0] for p in ps]
    assert before == after
