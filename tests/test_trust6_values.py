"""Values next to NumPy's found while sweeping signed zeros, ``axis=()`` and ``keepdims``
(``/tmp`` sweep of ~100 calls; these are the ones that differed)."""
import numpy as np
import pytest

import ndgrad as nd


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_extreme_with_initial_keeps_numpys_signed_zero(name):
    # NumPy's reduce starts from ``initial``; of two equal values its maximum/minimum
    # keep the second
    for vals, init in (([0.0], -0.0), ([-0.0], 0.0), ([0.0, -0.0], -0.0), ([-0.0, 1.0], 0.0)):
        want = getattr(np, name)(np.asarray(vals), initial=init)
        got = getattr(nd, name)(nd.asarray(vals), initial=init)
        assert float(got) == float(want) and np.signbit(got) == np.signbit(want), (vals, init)


def test_extreme_with_initial_or_where_on_every_backend(device):
    x = nd.asarray([[1.0, 7.0], [3.0, -2.0]], device=device)
    xn = np.asarray([[1.0, 7.0], [3.0, -2.0]])
    mask = np.asarray([[True, False], [True, True]])
    for kw in ({"initial": 5.0}, {"initial": -9.0, "axis": 0}, {"axis": 1, "initial": 2.0},
               {"where": mask, "initial": 0.0, "axis": 0}):
        for name in ("max", "min"):
            got = getattr(nd, name)(x, **kw)
            assert str(got.device) == str(x.device)
            np.testing.assert_array_equal(np.asarray(got.to_device("cpu")),
                                          getattr(np, name)(xn, **kw), err_msg=str(kw))


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "minimum", "logical_and",
                                  "logical_or"])
def test_ufunc_reduce_takes_where_and_initial(name):
    # add.reduce(x, where=m) summed every element (where= and initial= were dropped)
    x = np.arange(1.0, 7.0).reshape(2, 3) + 0.5
    m = np.array([[True, False, True], [True, True, False]])
    for kw in ({"where": m, "initial": 2.0}, {"initial": 10.0}, {"initial": 0.0},
               {"where": m, "initial": -1.0, "keepdims": True}):
        if name.startswith("logical") and "where" in kw:
            kw = {"where": m, "initial": True}
        for axis in (0, 1, None):
            want = getattr(np, name).reduce(x, axis=axis, **kw)
            got = getattr(nd, name).reduce(nd.asarray(x), axis=axis, **kw)
            assert np.asarray(got).dtype == np.asarray(want).dtype
            np.testing.assert_array_equal(np.asarray(got), want, err_msg=f"{kw} axis={axis}")


def test_a_masked_add_reduce_differentiates_the_selected_elements():
    m = np.array([[True, False, True], [True, True, False]])
    g = nd.grad(lambda v: nd.sum(nd.add.reduce(v, axis=0, where=m)))(nd.ones((2, 3)))
    np.testing.assert_array_equal(g, m.astype(float))


@pytest.mark.parametrize("name,q", [("quantile", 0.5), ("nanquantile", [0.2, 0.9]),
                                    ("percentile", 50), ("nanpercentile", [20, 90])])
def test_weighted_quantiles_as_numpy(name, q):
    # nanquantile/nanpercentile ignored weights= (and gave the unweighted value, or no
    # error without method='inverted_cdf'); quantile(weights=, out=) left out unwritten
    x = np.array([1.0, 2.0, 7.0, 4.0, 10.0])
    if name.startswith("nan"):
        x[2] = np.nan
    w = np.array([1.0, 1.0, 1.0, 1.0, 10.0])
    want = getattr(np, name)(x, q, weights=w, method="inverted_cdf")
    got = getattr(nd, name)(nd.asarray(x), q, weights=w, method="inverted_cdf")
    np.testing.assert_array_equal(np.asarray(got), want)
    o = np.zeros(np.shape(want))
    r = getattr(nd, name)(nd.asarray(x), q, weights=w, method="inverted_cdf", out=o)
    assert r is o
    np.testing.assert_array_equal(o, want)
    with pytest.raises(ValueError, match="inverted_cdf"):
        getattr(nd, name)(nd.asarray(x), q, weights=w)


def test_nanpercentile_takes_an_integer_out_as_numpy():
    x = np.arange(1.0, 7.0).reshape(2, 3) / 3
    want, got = np.zeros(3, int), np.zeros(3, int)
    np.nanpercentile(x, 30, axis=0, out=want)
    nd.nanpercentile(nd.asarray(x), 30, axis=0, out=got)
    np.testing.assert_array_equal(got, want)
