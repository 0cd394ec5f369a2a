"""NumPy programs that used to stop under ``import ndgrad as np``, and keeping and copying
arrays (issue 8): each case compares with NumPy (values, dtype, printed text).

- structured and string data from ``loadtxt``/``genfromtxt``, record arrays, and the
  NumPy entry points that take them (field access, sorting by field, printing);
- the submodules ``np.lib`` (``recfunctions``, ``stride_tricks``), ``np.dtypes``,
  ``np.core``/``np._core`` ``.records``;
- scalars from scalar input, ufunc methods exactly where NumPy has them, typecodes;
- ``resize``, ``order='F'``, ``view(Subclass)``;
- pickle, deepcopy, ``dump``, ``load`` of ``.npz``;
- four NumPy programs in the style of the user guide's structured-array, I/O and
  stride-tricks pages and a handbook's record-array chapter, run under both libraries.
"""
import copy
import io
import os
import pickle
import subprocess
import sys
import warnings

import numpy
import pytest

import ndgrad as nd



def same(expected, got, exact_text=True):
    """``got`` is an ndgrad array with ``expected``'s (NumPy's) values, dtype, shape and
    printed text."""
    assert isinstance(got, nd.Array), f"expected an ndgrad array, got {type(got)}"
    host = numpy.asarray(got)
    assert host.shape == expected.shape and host.dtype == expected.dtype
    numpy.testing.assert_array_equal(host, expected)
    if exact_text:
        assert str(got) == str(expected)


def both(f):
    """``f(numpy)`` and ``f(ndgrad)``: (NumPy's result, ndgrad's result)."""
    return f(numpy), f(nd)


def same_text(f):
    want, got = both(f)
    assert repr(got) == repr(want), f"\nnumpy:  {want!r}\nndgrad: {got!r}"
    assert str(got) == str(want)
    return want, got


CSV = "name,age,weight\nalice,31,61.5\nbob,25,80.25\ncarol,47,55.0\n"


# -- 1. structured and string data from the text readers ------------------------------------
def test_genfromtxt_names_gives_numpys_structured_array():
    want, got = same_text(lambda np: np.genfromtxt(io.StringIO(CSV), delimiter=",",
                                                   names=True, dtype=None, encoding=None))
    assert type(got) is numpy.ndarray and got.dtype == want.dtype
    assert got.dtype.names == ("name", "age", "weight")
    same_text(lambda np: np.sort(np.genfromtxt(io.StringIO(CSV), delimiter=",", names=True,
                                               dtype=None, encoding=None), order="age"))
    same_text(lambda np: np.genfromtxt(io.StringIO(CSV), delimiter=",", names=True,
                                       dtype=None, encoding=None)["weight"].mean())


@pytest.mark.parametrize("kwargs", [
    {"dtype": [("k", "U5"), ("v", "i4"), ("w", "f8")], "delimiter": ",", "skiprows": 1},
    {"dtype": str, "delimiter": ",", "skiprows": 1},
    {"dtype": "U5", "delimiter": ",", "skiprows": 1, "usecols": 0},
    {"dtype": float, "delimiter": ",", "skiprows": 1, "usecols": (1, 2)},
    {"dtype": float, "delimiter": ",", "skiprows": 1, "usecols": (1, 2), "unpack": True},
])
def test_loadtxt_structured_string_and_numeric(kwargs):
    want, got = same_text(lambda np: np.loadtxt(io.StringIO(CSV), **kwargs))
    if kwargs["dtype"] is float:  # numbers are ndgrad arrays
        for g in (got if isinstance(got, tuple) else (got,)):
            assert isinstance(g, nd.Array) and g.dtype == numpy.float64
    else:
        assert type(got) is numpy.ndarray and got.dtype == want.dtype


def test_genfromtxt_string_and_missing_values():
    text = "1,x,2.5\n2,,\n3,z,4.5\n"
    same_text(lambda np: np.genfromtxt(io.StringIO(text), delimiter=",", dtype=None,
                                       encoding=None))
    got = nd.genfromtxt(io.StringIO(text), delimiter=",", usecols=(0, 2))
    assert isinstance(got, nd.Array)
    same(numpy.genfromtxt(io.StringIO(text), delimiter=",", usecols=(0, 2)), got)


def test_numpy_entry_points_take_records_and_strings():
    rec = numpy.array([(3, 1.5), (1, 0.5), (2, 2.5)], dtype=[("a", "i8"), ("b", "f8")])
    s = numpy.array(["pear", "apple", "fig"])
    for f in (lambda np: np.sort(rec, order="b"), lambda np: np.argsort(rec, order="a"),
              lambda np: np.concatenate([rec, rec]), lambda np: np.take(rec, [2, 0]),
              lambda np: np.reshape(rec, (3, 1)), lambda np: np.flip(rec),
              lambda np: np.zeros_like(rec), lambda np: np.asarray(rec),
              lambda np: np.unique(s), lambda np: np.sort(s), lambda np: np.where(
                  [True, False, True], s, "-"), lambda np: np.isin(s, ["fig"]),
              lambda np: np.full(2, "ab"), lambda np: np.zeros(2, dtype="U3"),
              lambda np: np.char.upper(s), lambda np: np.array_equal(rec, rec),
              lambda np: np.stack([s, s]), lambda np: np.repeat(s, 2)):
        same_text(f)


# -- 2. record arrays ---------------------------------------------------------------------
def test_recarray_record_and_rec_functions():
    same_text(lambda np: np.rec.fromarrays([[1, 2], [0.5, 1.5]], names="x,y"))
    same_text(lambda np: np.rec.fromrecords([(1, "a"), (2, "b")], names="n,s"))
    same_text(lambda np: np.rec.fromarrays([np.asarray([1, 2]), np.asarray([0.5, 1.5])],
                                           names="x,y").y)
    same_text(lambda np: np.recarray((2,), dtype=[("x", "i4")]).shape)
    same_text(lambda np: np.zeros(3).view(np.recarray))
    same_text(lambda np: np.array([(1, 2.0)], dtype=[("p", "i4"), ("q", "f8")]).view(
        np.recarray).q)
    assert nd.record is numpy.record and nd.recarray is numpy.recarray
    r = nd.rec.fromarrays([[1, 2]], names="x")[0]
    assert isinstance(r, nd.record) and r.x == 1
    with pytest.raises(TypeError, match="requires grad"):
        nd.rec.fromarrays([nd.asarray([1.0], requires_grad=True)], names="x")


# -- 3. submodules ----------------------------------------------------------------------
def test_submodules_import_as_numpys_do():
    code = ("import ndgrad.lib.recfunctions as rfn, ndgrad.lib.stride_tricks as st, "
            "ndgrad.dtypes, ndgrad.core.records, ndgrad._core.records\n"
            "from ndgrad.lib.stride_tricks import sliding_window_view\n"
            "from ndgrad.lib import recfunctions\n"
            "import ndgrad as np\n"
            "assert np.lib.recfunctions is rfn\n"
            "assert np.core.records.fromarrays is np._core.records.fromarrays\n"
            "print(rfn.structured_to_unstructured(np.array([(1, 2.0)], "
            "dtype=[('a', 'i4'), ('b', 'f8')])))\n"
            "print(type(np.ones(2).dtype).__name__, np.dtypes.Float64DType.__name__)\n")
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert out == "[[1. 2.]]\nFloat64DType Float64DType\n"


def test_recfunctions_match_numpys():
    import numpy.lib.recfunctions as nrfn
    import ndgrad.lib.recfunctions as rfn
    a = numpy.array([(1, 2.0, "u"), (3, 4.0, "v")], dtype=[("x", "i4"), ("y", "f8"),
                                                          ("s", "U1")])
    num = a[["x", "y"]]
    cases = [(lambda m: m.drop_fields(a, "s")), (lambda m: m.rename_fields(a, {"x": "z"})),
             (lambda m: m.get_names(a.dtype)), (lambda m: m.repack_fields(num)),
             (lambda m: m.merge_arrays((a[["x"]], a[["y"]]), flatten=True)),
             (lambda m: m.append_fields(num, "w", [5.0, 6.0], usemask=False)),
             (lambda m: m.structured_to_unstructured(num)),
             (lambda m: m.unstructured_to_structured(numpy.eye(2), names=["p", "q"])),
             (lambda m: m.stack_arrays((num, num), usemask=False))]
    for f in cases:
        want, got = f(nrfn), f(rfn)
        assert repr(got) == repr(want)
    got = rfn.structured_to_unstructured(num)
    assert isinstance(got, nd.Array) and got.dtype == numpy.float64
    assert repr(rfn.unstructured_to_structured(nd.eye(2), names=["p", "q"])) == repr(
        nrfn.unstructured_to_structured(numpy.eye(2), names=["p", "q"]))


def test_sliding_window_view_is_a_differentiable_view():
    st = nd.lib.stride_tricks
    x = nd.arange(6.0)
    w = st.sliding_window_view(x, 3)
    same(numpy.lib.stride_tricks.sliding_window_view(numpy.arange(6.0), 3), w)
    x[0] = 100.0  # NumPy's view: a later write shows through
    assert float(w[0, 0]) == 100.0
    with pytest.raises(ValueError, match="read-only"):
        w[0, 0] = 1.0
    a = numpy.arange(12.0).reshape(3, 4)
    for window, axis in (((2, 2), None), (2, 0), (3, 1), ((2, 3), (0, 1))):
        same(numpy.lib.stride_tricks.sliding_window_view(a, window, axis),
             st.sliding_window_view(nd.asarray(a), window, axis))
    # the gradient: each element gets the cotangents of every window that reads it
    v = nd.asarray([1.0, 2.0, 3.0, 4.0])
    nd.check_grads(lambda t: nd.sum(st.sliding_window_view(t, (2,)) ** 3), v, order=2)
    g = nd.grad(lambda t: nd.sum(st.sliding_window_view(t, 3)))(v)
    same(numpy.array([1.0, 2.0, 2.0, 1.0]), g)
    # NumPy's own function dispatches to it on ndgrad arrays
    t = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    numpy.lib.stride_tricks.sliding_window_view(t, 2).sum().backward()
    same(numpy.array([1.0, 2.0, 1.0]), t.grad)


def test_as_strided_reads_memory_as_numpys():
    st = nd.lib.stride_tricks
    a = numpy.arange(10.0)
    same(numpy.lib.stride_tricks.as_strided(a, (4, 3), (8, 8)),
         st.as_strided(nd.asarray(a), (4, 3), (8, 8)))
    f = numpy.asfortranarray(numpy.arange(6.0).reshape(2, 3))
    same(numpy.lib.stride_tricks.as_strided(f, (3,), (f.strides[1],)),
         st.as_strided(nd.asfortranarray(nd.asarray(f)), (3,), (f.strides[1],)))
    b = numpy.arange(10.0)[::2]
    nb = nd.arange(10.0)[::2]
    same(numpy.lib.stride_tricks.as_strided(b, (3,), b.strides), st.as_strided(nb, (3,),
                                                                                nb.strides))
    x = nd.asarray(numpy.arange(5.0), requires_grad=True)
    st.as_strided(x, (3, 2), (8, 8)).sum().backward()
    same(numpy.array([1.0, 2.0, 2.0, 1.0, 0.0]), x.grad)
    # reading memory beside x: values as NumPy's, but no gradient (a clear error)
    y = nd.arange(10.0)[::2]
    same(numpy.lib.stride_tricks.as_strided(b, (3,), (8,)), st.as_strided(y, (3,), (8,)))
    with pytest.raises(ValueError, match="outside"):
        nd.grad(lambda t: nd.sum(st.as_strided(t[::2], (3,), (8,))))(nd.arange(10.0))


# -- 4. scalars from scalar input ---------------------------------------------------------------
@pytest.mark.parametrize("expr", ["np.isclose(1.0, 1.0)", "np.isclose(1.0, 1.1)",
                                  "np.isclose(np.float64(1.0), 1.0)", "np.isnan(1.0)",
                                  "np.isinf(np.inf)", "np.isposinf(np.inf)",
                                  "np.isneginf(-np.inf)", "np.iscomplex(1.0)",
                                  "np.allclose(1.0, 1.0)", "np.array_equal(1, 1)",
                                  "np.isclose([1.0], 1.0)", "np.signbit(-0.0)",
                                  "np.isin(1, [1, 2])", "np.greater(2, 1)"])
def test_scalar_input_prints_numpys_scalar(expr):
    want, got = both(lambda np: eval(expr, {"np": np}))
    assert repr(got) == repr(want) and bool(numpy.all(got)) == bool(numpy.all(want))


# -- 5. ufunc methods exactly where NumPy has them -------------------------------------------
def _ufunc_names():
    return sorted(n for n in dir(nd) if isinstance(getattr(numpy, n, None), numpy.ufunc))


@pytest.mark.parametrize("method", ["reduce", "accumulate", "outer", "reduceat", "at"])
def test_ufunc_methods_match_numpys_results_and_errors(method):
    F = [1.5, 2.5, 4.0]
    for name in _ufunc_names():
        def call(np):
            u = getattr(np, name)
            with numpy.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if method == "outer":
                    return u.outer(F[:2], F[:2])
                if method == "reduceat":
                    return u.reduceat(np.asarray(F), [0, 2])
                if method == "at":
                    a = np.asarray([1.0, 2.0, 3.0])
                    u.at(a, [0, 0]) if u.nin == 1 else u.at(a, [0, 0], 2.0)
                    return a
                return getattr(u, method)(np.asarray(F))
        outcome = []
        for lib in (numpy, nd):
            try:
                outcome.append(repr(call(lib)))
            except Exception as e:  # NumPy's error, of NumPy's class and text
                outcome.append(f"{type(e).__name__}: {e}")
        assert outcome[1] == outcome[0], f"np.{name}.{method}"


def test_divmod_has_numpys_methods():
    with pytest.raises(ValueError, match="single value"):
        nd.divmod.reduce([1, 2])
    with pytest.raises(ValueError, match="binary"):
        nd.sin.reduce([1.0, 2.0])
    same_text(lambda np: np.divmod.outer([7, 8], [2, 3]))
    assert (nd.divmod.nin, nd.divmod.nout) == (2, 2)


def test_ufunc_methods_differentiate_or_refuse():
    g = nd.grad(lambda t: nd.fmod.reduce(t * t))(nd.asarray([5.0, 3.0]))
    same(numpy.array([10.0, -12.0]), g)
    g = nd.grad(lambda t: nd.hypot.accumulate(t)[-1])(nd.asarray([3.0, 4.0]))
    same(numpy.array([0.6, 0.8]), g)
    same(numpy.subtract.reduce(numpy.array([[1.0, 5.0], [3.0, 2.0]]), axis=1, keepdims=True),
         nd.subtract.reduce(nd.asarray([[1.0, 5.0], [3.0, 2.0]], requires_grad=True), axis=1,
                            keepdims=True).detach())
    with pytest.raises(TypeError, match="requires grad"):
        nd.add.reduceat(nd.asarray([1.0, 2.0], requires_grad=True), [0])


# -- 6. typecodes ---------------------------------------------------------------------------
@pytest.mark.parametrize("args", [("f", "d"), ("d", "f"), ("i4", "f8"), ("i8", "f4"),
                                  ("?", "i"), ("b1", "u1"), ("F", "D"), ("e", "f"),
                                  ("i8", "f4", "same_kind"), ("d", "f", "unsafe"),
                                  ("u8", "i8", "same_kind"), ("f4", "f4", "no")])
def test_can_cast_result_type_dtype_take_typecodes(args):
    assert nd.can_cast(*args) == numpy.can_cast(*args)
    assert nd.result_type(*args[:2]) == numpy.result_type(*args[:2])
    assert nd.dtype(args[0]) == numpy.dtype(args[0])
    assert nd.promote_types(*args[:2]) == numpy.promote_types(*args[:2])


# -- 7. resize ------------------------------------------------------------------------------
def test_resize_follows_numpys_reference_check():
    a, b = nd.arange(4), numpy.arange(4)
    a.resize((3, 2)); b.resize((3, 2))
    same(b, a)
    a.resize(2); b.resize(2)
    same(b, a)
    c = nd.arange(4)
    v = c[:2]
    with pytest.raises(ValueError, match="references or is referenced"):
        c.resize((2, 2))
    with pytest.raises(ValueError, match="does not own its data"):
        v.resize(4)
    same(numpy.arange(4), c)  # a refused resize changes nothing
    c.resize((3, 2), refcheck=False)
    same(numpy.array([[0, 1], [2, 3], [0, 0]]), c)
    assert c.flags.owndata
    c[0, 0] = 9
    same(numpy.array([0, 1]), v)  # the old view keeps the old values
    same_text(lambda np: np.resize(np.arange(3), (2, 4)))
    with pytest.raises(RuntimeError, match="gradient"):
        nd.asarray([1.0, 2.0], requires_grad=True).resize(3)


# -- 8. memory order ---------------------------------------------------------------------------
def test_order_f_is_kept_on_creation():
    a = numpy.arange(6.0).reshape(2, 3)
    for f in (lambda np: np.zeros((2, 3), order="F"), lambda np: np.ones((2, 3), order="F"),
              lambda np: (lambda e: np.copyto(e, 1) or e)(np.empty((2, 3), order="F")), lambda np: np.full((2, 3), 7, order="F"),
              lambda np: np.eye(3, order="F"), lambda np: np.array(np.asarray(a), order="F"),
              lambda np: np.asarray(np.asarray(a), order="F"),
              lambda np: np.asarray([[1, 2], [3, 4]], order="F"),
              lambda np: np.array([[1, 2], [3, 4]], order="F"),
              lambda np: np.asfortranarray(np.asarray(a)),
              lambda np: np.asarray(a).copy(order="F"),
              lambda np: np.copy(np.asarray(a), order="F"),
              lambda np: np.zeros_like(np.asfortranarray(np.asarray(a))),
              lambda np: np.asfortranarray(np.asarray(a)) * 2,
              lambda np: np.ascontiguousarray(np.asfortranarray(np.asarray(a))),
              lambda np: np.array(np.asfortranarray(np.asarray(a)), order="K"),
              lambda np: np.array(np.asfortranarray(np.asarray(a)), order="C")):
        want, got = both(f)
        same(want, got)
        for flag in ("C_CONTIGUOUS", "F_CONTIGUOUS"):
            assert got.flags[flag] == want.flags[flag], (flag, want.flags)
        assert got.strides == want.strides
        assert got.tobytes("A") == want.tobytes("A")
    fa = nd.asfortranarray(nd.asarray(a))
    assert nd.isfortran(fa) and not nd.isfortran(nd.asarray(a))
    for order in "CFAK":
        same(numpy.asfortranarray(a).ravel(order), fa.ravel(order))
        same(numpy.asfortranarray(a).flatten(order), fa.flatten(order))
        same(a.reshape((3, 2), order=order if order in "CF" else "C"),
             nd.asarray(a).reshape((3, 2), order=order if order in "CF" else "C"))
    with pytest.raises(ValueError, match="order must be one of"):
        nd.zeros(2, order="X")
    # values and gradients are unaffected by the layout
    g = nd.grad(lambda t: nd.sum(nd.asfortranarray(t) * nd.arange(6.0).reshape(2, 3)))(
        nd.ones((2, 3)))
    same(numpy.arange(6.0).reshape(2, 3), g)


# -- 9. subclass views ------------------------------------------------------------------------
class Tagged(numpy.ndarray):
    def __array_finalize__(self, obj):
        self.tag = getattr(obj, "tag", "fresh")


def test_view_as_subclass_runs_array_finalize():
    for lib in (numpy, nd):
        base = lib.arange(4.0)
        t = base.view(Tagged)
        assert type(t) is Tagged and t.tag == "fresh"
        t.tag = "mine"
        assert t[1:].tag == "mine"  # NumPy's __array_finalize__ on slices of it
        t[0] = 10.0  # a view: writes reach the array
        assert float(base[0]) == 10.0
        assert type(base.view(type=Tagged)) is Tagged
        assert type(base.view(numpy.float64, Tagged)) is Tagged
    with pytest.raises(TypeError, match="detach"):
        nd.asarray([1.0], requires_grad=True).view(Tagged)
    x = nd.asarray([1.0], requires_grad=True)
    assert type(x.detach().view(Tagged)) is Tagged
    with pytest.raises(TypeError, match="subclass of numpy.ndarray"):
        nd.arange(2).view(type=list)


# -- 10. keeping and copying ---------------------------------------------------------------------
def test_pickle_keeps_requires_grad_and_printing():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    y = pickle.loads(pickle.dumps(x))
    assert y.requires_grad and y.is_leaf and repr(y) == repr(x)
    (y * y).sum().backward()
    same(numpy.array([2.0, 4.0]), y.grad)
    assert not pickle.loads(pickle.dumps(nd.asarray([1.0]))).requires_grad
    for v in (nd.zeros(()), nd.sum(nd.ones(2)), nd.asarray(numpy.eye(2, dtype="f4")),
              nd.asfortranarray(nd.ones((2, 3)))):
        w = pickle.loads(pickle.dumps(v))
        assert repr(w) == repr(v) and w.dtype == v.dtype and w.strides == v.strides
    r = pickle.loads(pickle.dumps((x * 2).sum()))  # a result: a leaf that asks for grad
    assert r.requires_grad and r.is_leaf


def test_deepcopy_keeps_grad_and_requires_grad():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    y = copy.deepcopy(x)
    assert y.requires_grad and y.is_leaf and y is not x
    same(numpy.array([2.0, 4.0]), y.grad)
    assert y.grad is not x.grad
    y.grad[0] = 0.0
    same(numpy.array([2.0, 4.0]), x.grad)
    d = copy.deepcopy({"w": x, "same": x})
    assert d["w"] is d["same"]  # the memo keeps shared references shared
    # a result of a recorded computation: the copy stays in the computation
    g = nd.grad(lambda t: nd.sum(copy.deepcopy(t * 3.0) ** 2))(nd.asarray([1.0, 2.0]))
    same(numpy.array([18.0, 36.0]), g)
    z = copy.deepcopy(nd.asarray([1.0, 2.0]))
    assert not z.requires_grad and z.grad is None
    f = copy.deepcopy(nd.asfortranarray(nd.ones((2, 3))))
    assert f.flags.f_contiguous and f.strides == numpy.ones((2, 3), order="F").strides


def test_dump_writes_a_pickle_and_load_needs_allow_pickle(tmp_path):
    p = tmp_path / "a.pkl"
    x = nd.asarray([1.5, 2.5], requires_grad=True)
    x.dump(str(p))
    assert p.exists() and not (tmp_path / "a.pkl.npy").exists()
    with open(p, "rb") as f:
        assert pickle.load(f).requires_grad
    with pytest.raises(ValueError, match="allow_pickle"):
        nd.load(p)
    back = nd.load(p, allow_pickle=True)
    assert isinstance(back, nd.Array) and back.requires_grad
    same(numpy.array([1.5, 2.5]), back.detach())
    numpy.arange(3.0).dump(tmp_path / "n.pkl")  # NumPy's pickle loads the same way
    same(numpy.arange(3.0), nd.load(tmp_path / "n.pkl", allow_pickle=True))
    assert pickle.loads(nd.arange(2).dumps()).tolist() == [0, 1]
    with pytest.raises(ValueError, match="allow_pickle"):
        nd.save(tmp_path / "o.npy", numpy.array([None], dtype=object))
        nd.load(tmp_path / "o.npy")


def test_load_npz_gives_lazy_ndgrad_arrays(tmp_path):
    p = tmp_path / "z.npz"
    nd.savez(p, w=nd.arange(3.0), b=nd.ones(2, dtype="f4"), s=numpy.array(["a"]))
    with nd.load(p) as f:
        assert f.files == ["w", "b", "s"] and "w" in f and len(f) == 3
        assert isinstance(f["w"], nd.Array) and f["b"].dtype == numpy.float32
        same(numpy.arange(3.0), f.f.w)
        assert type(f["s"]) is numpy.ndarray and f["s"].tolist() == ["a"]
        assert sorted(f.keys()) == ["b", "s", "w"] and len(f.items()) == 3
    c = tmp_path / "c.npz"
    nd.savez_compressed(c, nd.eye(2))
    same(numpy.eye(2), nd.load(c)["arr_0"])
    nd.save(tmp_path / "a.npy", nd.asarray([[1, 2]], dtype="int16"))
    same(numpy.array([[1, 2]], dtype="int16"), nd.load(tmp_path / "a.npy"))
    buf = io.BytesIO()
    nd.savez(buf, nd.arange(2))
    buf.seek(0)
    same(numpy.arange(2), nd.load(buf)["arr_0"])


# -- 11. NumPy programs in the style of the user guide and the handbooks ---------------------------
PROGRAM_STRUCTURED = r'''
people = np.array([('Rex', 9, 81.0), ('Fido', 3, 27.0), ('Ada', 7, 14.5)],
                  dtype=[('name', 'U10'), ('age', 'i4'), ('weight', 'f4')])
print(people)
print(people.dtype, people.dtype.names, people.dtype.fields['age'])
print(people['age'], people[1], people[1]['name'])
people['age'] = [10, 4, 8]
print(people[['name', 'age']])
print(np.sort(people, order='weight'))
print(people[people['age'] > 5]['name'])
print(np.mean(people['weight']), people['weight'].max(), np.argmax(people['age']))
grid = np.zeros(3, dtype=[('pos', 'f8', (2,)), ('color', 'u1', 3)])
grid['pos'] = np.arange(6.0).reshape(3, 2)
grid['color'][1] = [255, 128, 0]
print(grid, grid.itemsize, grid['pos'].shape)
tuples = np.array([(1, 2.0), (3, 4.0)], dtype='i8,f8')
print(tuples, tuples.dtype.names)
print(np.dtype({'names': ['a', 'b'], 'formats': ['i2', 'f4']}), np.dtype('3int8, float32'))
rfn = np.lib.recfunctions
pts = np.array([(1.0, 2.0, 3), (4.0, 5.0, 6)], dtype=[('x', 'f8'), ('y', 'f8'), ('id', 'i4')])
print(rfn.structured_to_unstructured(pts[['x', 'y']]))
print(rfn.drop_fields(pts, 'id'), rfn.get_names(pts.dtype))
print(rfn.unstructured_to_structured(np.array([[1.0, 2.0]]), names=['u', 'v']))
print(rfn.append_fields(pts, 'z', np.array([0.5, 0.25]), usemask=False))
'''

PROGRAM_IO = r'''
import io, os, tempfile
text = "# id value label\n1 0.5 a\n2 1.5 b\n3 2.5 c\n"
ids, vals = np.loadtxt(io.StringIO(text), usecols=(0, 1), unpack=True)
print(ids, vals, vals.sum())
table = np.loadtxt(io.StringIO(text), dtype={'names': ('id', 'value', 'label'),
                                               'formats': ('i4', 'f8', 'U1')})
print(table, table['label'])
csv = "x,y,name\n1,2.5,ab\n3,,cd\n5,6.5,ef\n"
data = np.genfromtxt(io.StringIO(csv), delimiter=',', names=True, dtype=None, encoding=None)
print(data, data.dtype.names)
print(data['y'], np.isnan(data['y']).sum())
filled = np.genfromtxt(io.StringIO(csv), delimiter=',', skip_header=1, usecols=(0, 1),
                       filling_values=-1.0)
print(filled, filled.dtype)
conv = np.genfromtxt(io.StringIO("1%,2\n3%,4\n"), delimiter=',',
                     converters={0: lambda s: float(s.strip('%')) / 100})
print(conv)
d = tempfile.mkdtemp()
a = np.arange(12.0).reshape(3, 4)
np.save(os.path.join(d, 'a.npy'), a)
print(np.load(os.path.join(d, 'a.npy')))
np.savez(os.path.join(d, 'many.npz'), first=a, second=np.arange(3))
with np.load(os.path.join(d, 'many.npz')) as f:
    print(f.files, f['second'], f['first'].shape)
np.savetxt(os.path.join(d, 'out.csv'), a, delimiter=',', fmt='%.1f', header='a,b,c,d')
print(open(os.path.join(d, 'out.csv')).read())
print(np.loadtxt(os.path.join(d, 'out.csv'), delimiter=','))
buf = io.StringIO(); np.savetxt(buf, table, fmt='%d %.2f %s'); print(buf.getvalue())
print(np.fromstring('1 2 3', sep=' '), np.fromregex(io.StringIO('k=1;k=22'), r'k=(\d+)', [('n', 'i8')]))
'''

PROGRAM_STRIDES = r'''
st = np.lib.stride_tricks
x = np.arange(10.0)
w = st.sliding_window_view(x, 4)
print(w.shape, w)
print(w.mean(axis=-1))
img = np.arange(25.0).reshape(5, 5)
patches = st.sliding_window_view(img, (3, 3))
print(patches.shape, patches[1, 2])
print(patches.max(axis=(-2, -1)))
print(st.sliding_window_view(img, 2, axis=0).shape, st.sliding_window_view(img, (2, 2), axis=(0, 1))[::2, ::2, 0, 0])
x[0] = -1.0
print(w[0])
a = np.arange(8, dtype=np.int64)
pairs = st.as_strided(a, shape=(7, 2), strides=(a.itemsize, a.itemsize))
print(pairs, a.strides, pairs.strides)
f = np.asfortranarray(np.arange(6).reshape(2, 3))
print(f.flags['F_CONTIGUOUS'], f.strides, f.ravel(order='K'), np.isfortran(f))
print(np.zeros((2, 3), order='F').flags.f_contiguous, f.copy().flags.c_contiguous, f.copy(order='A').strides)
k = np.ones(3) / 3
smooth = (st.sliding_window_view(np.array([1.0, 4.0, 2.0, 8.0, 5.0]), 3) * k).sum(axis=1)
print(smooth, np.convolve(np.array([1.0, 4.0, 2.0, 8.0, 5.0]), k, mode='valid'))
b = np.broadcast_to(np.arange(3), (2, 3))
print(b, b.strides, np.broadcast_shapes((2, 1), (1, 4)))
r = np.arange(6); r.resize((2, 4), refcheck=False); print(r)
print(np.resize(np.arange(3), 7))
'''

PROGRAM_RECORDS = r'''
names = ['Alice', 'Bob', 'Cathy', 'Doug']
ages = [25, 45, 37, 19]
weights = [55.0, 85.5, 68.0, 61.5]
data = np.zeros(4, dtype={'names': ('name', 'age', 'weight'), 'formats': ('U10', 'i4', 'f8')})
data['name'] = names; data['age'] = ages; data['weight'] = weights
print(data)
print(data[data['age'] < 30]['name'])
rec = data.view(np.recarray)
print(rec.age, rec.weight.mean(), type(rec).__name__)
print(rec[0].name, rec[-1])
r2 = np.rec.fromarrays([np.array(names), np.array(ages)], names='name,age')
print(r2, r2.dtype)
r3 = np.rec.fromrecords([(1, 'x', 0.5), (2, 'y', 1.5)], names='id,tag,score')
print(r3.score * 2, r3.tag, r3[1])
r4 = np.rec.array([(1, 2.0), (3, 4.0)], dtype=[('a', 'i4'), ('b', 'f8')])
print(r4.a + r4.b)
print(np.core.records.fromarrays([[1, 2], [3, 4]], names='p,q'))
print(np._core.records.fromrecords([(5, 6)], names='p,q').q)
print(np.recarray((2,), dtype=[('v', 'f8')]).shape, isinstance(r4[0], np.record))
print(np.sort(data, order=['age']), np.argsort(data, order='weight'))
print(np.isclose(1.0, 1.0), np.isclose(np.array([1.0, 2.0]), 1.0), np.isnan(1.0))
print(np.can_cast('f', 'd'), np.can_cast('d', 'f'), np.result_type('i4', 'f'), np.dtype('?'))
print(np.add.reduce(np.array(ages)), np.maximum.accumulate(np.array(ages)), np.multiply.outer([1, 2], [3, 4]))
try:
    np.divmod.reduce([1, 2])
except ValueError as e:
    print('ValueError', e)
'''


@pytest.mark.parametrize("program", [PROGRAM_STRUCTURED, PROGRAM_IO, PROGRAM_STRIDES,
                                     PROGRAM_RECORDS],
                         ids=["structured-arrays", "text-and-binary-io", "stride-tricks",
                              "record-arrays"])
def test_program_prints_what_numpy_prints(program):
    from test_np_programs import run  # the seven earlier programs' runner
    pairs = zip(run(program, numpy).splitlines() + ["<end>"],
                run(program, nd).splitlines() + ["<end>"])
    for i, (e, g) in enumerate(pairs):
        assert g == e, f"line {i + 1} differs:\nnumpy:  {e}\nndgrad: {g}"


# -- property tests: every dtype, NaN/inf/-0, empty and 0-d shapes ---------------------------------
from hypothesis import given, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

_DTYPES = st.sampled_from(["bool", "int8", "uint8", "int32", "int64", "uint64", "float16",
                           "float32", "float64", "complex64", "complex128"])
_ARRAYS = _DTYPES.flatmap(lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=3,
                                                                      min_side=0,
                                                                      max_side=3)))


def _identical(want, got):
    host = numpy.asarray(got)
    assert host.dtype == want.dtype and host.shape == want.shape
    assert host.tobytes() == numpy.ascontiguousarray(want).tobytes()  # NaN, -0 bit for bit


@given(a=_ARRAYS, grad=st.booleans())
def test_pickle_and_deepcopy_round_trip_any_array(a, grad):
    x = nd.asarray(a)
    if grad and a.dtype.kind in "fc":
        x.requires_grad_()
    for y in (pickle.loads(pickle.dumps(x)), copy.deepcopy(x)):
        _identical(a, y.detach() if y.requires_grad else y)
        assert y.requires_grad == x.requires_grad and y.is_leaf
        assert repr(y) == repr(x)


@given(a=_ARRAYS, order=st.sampled_from("CFAK"))
def test_layout_follows_numpy_for_any_array(a, order):
    for f in (lambda np, v: np.array(v, order=order), lambda np, v: np.asarray(v).copy(order),
              lambda np, v: np.zeros_like(v, order=order), lambda np, v: np.asfortranarray(v),
              lambda np, v: np.asarray(v).ravel(order)):
        want = f(numpy, a)
        got = f(nd, nd.asarray(a))
        assert got.flags["F_CONTIGUOUS"] == want.flags["F_CONTIGUOUS"]
        assert got.flags["C_CONTIGUOUS"] == want.flags["C_CONTIGUOUS"]
        assert numpy.asarray(got).tobytes("A") == want.tobytes("A")
