"""Fixes found by more of NumPy's own tests (nep50, regression, ...) run against ndgrad: each case compares ndgrad with NumPy directly."""
import numpy as np
import pytest

import ndgrad as nd
from helpers import exact as same  # dtype, shape and values exactly as NumPy's


# -- test_nep50_promotions ------------------------------------------------------------------
@pytest.mark.parametrize("make, value", [
    (lambda m: m.float32(1), 1.0),
    (lambda m: m.array([1, 2], m.float32), 1.5),
    (lambda m: m.array([1, 2], m.uint8), -1),        # NumPy wraps the weak int: 255
    (lambda m: m.array([1, 2], m.int8), 1000),
    (lambda m: m.array([1, 2], m.float16), 1j),
    (lambda m: m.array([1, 2], m.int8), 2.5),
    (lambda m: m.array([True]), True),
])
@pytest.mark.parametrize("casting", ["same_kind", "no"])
def test_concatenate_takes_python_scalars_as_weak(make, value, casting):
    # np.concatenate([np.float32(1), 1.], axis=None) was float64; NumPy's float32
    # (test_nep50_in_concat_and_choose)
    def run(m):
        return m.concatenate([make(m), value], axis=None, casting=casting)
    try:
        expected = run(np)
    except TypeError:
        with pytest.raises(TypeError):
            run(nd)
        return
    same(run(nd), expected)


def test_concatenate_python_scalars_alone_and_into_out():
    same(nd.concatenate([1, 2.0], axis=None), np.concatenate([1, 2.0], axis=None))
    o, e = nd.zeros(2, nd.float16), np.zeros(2, np.float16)
    nd.concatenate([nd.array([1], nd.float32), 1.0], axis=None, out=o)
    np.concatenate([np.array([1], np.float32), 1.0], axis=None, out=e)
    same(o, e)


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("choices", [
    lambda m: [m.float32(1), 1.0],
    lambda m: [m.array([1, 2], m.uint8), -1],
    lambda m: [m.array([1, 2], m.float32), 2.5],
])
def test_choose_takes_python_scalars_as_weak(choices, grad):
    # np.choose(1, [np.float32(1), 1.]) was float64; NumPy's float32
    # (test_nep50_in_concat_and_choose); the recorded path as the plain one
    cs = choices(nd)
    if grad and cs[0].dtype.kind == "f":
        cs[0] = nd.asarray(cs[0]).copy().requires_grad_()
    r = nd.choose([0, 1], cs)
    same(r.detach() if grad else r, np.choose([0, 1], choices(np)))

