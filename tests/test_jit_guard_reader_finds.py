"""What nd.jit's guards (``graph/jit_guards.py``) used to miss: a name rebound after the
trace whose old value the compiled function kept. Each test traces, rebinds, calls again
and compares with the function run now (or, where checking at each call would cost too
much, asserts the warning at trace time)."""
import enum
import functools
import warnings

import numpy as np

import ndgrad as nd

X = nd.asarray([1.0, 2.0])


class Obj:
    pass


def _quiet(j, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return j(*args, **kwargs)


def _check(f, rebind, *args, jitted=None, now=None, **kwargs):
    """Trace ``f`` (or call ``jitted``), rebind, and compare the next call's result with
    ``f`` (or ``now``) run eagerly after the rebinding."""
    j = nd.jit(f) if jitted is None else jitted
    _quiet(j, X, *args, **kwargs)
    rebind()
    got = _quiet(j, X, *args, **kwargs)
    want = (now or f)(X, *args, **kwargs)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want))


def _warns(f, *args):
    """The trace of ``f`` says that something it reads is not checked."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        nd.jit(f)(X, *args)
    assert any("not checked" in str(m.message) for m in w), [str(m.message) for m in w]


# -- EXTENDED_ARG (a function with many names or constants) ends no chain -------------

o_many = Obj()
o_many.w = 1.0
exec("def _many_names(x, t=None):\n    if t is not None:\n"
     + "".join(f"        t.a{i} = 0\n" for i in range(300))
     + "    return x * o_many.w\n")
BIG_K = {f"k{i}": float(i) for i in range(100)}
exec("def _many_consts(x):\n    y = x * 0.0\n"
     + "".join(f"    y = y + {i}.5\n" for i in range(300))
     + "    return y + x * BIG_K['k5']\n")


def test_extended_arg_before_attribute():
    _check(globals()["_many_names"], lambda: setattr(o_many, "w", 5.0))


def test_extended_arg_before_subscript_key():
    _check(globals()["_many_consts"], lambda: BIG_K.__setitem__("k5", 50.0))


# -- dict entries under keys other than str and int ----------------------------------

class Color(enum.IntEnum):
    RED = 7


class Shade(enum.Enum):
    DARK = "dark"


TUPLE_KEYED = {(0, "w"): nd.asarray([1.0, 1.0]), (1, "w"): nd.asarray([2.0, 2.0])}
ODD_KEYED = {0.5: 1.0, True: 1.0, None: 1.0, b"k": 1.0, Color.RED: 1.0, Shade.DARK: 1.0}


def _tuple_key(x):
    return x * TUPLE_KEYED[0, "w"]


def _tuple_keys_loop(x):
    for _, v in TUPLE_KEYED.items():
        x = x * v
    return x


def test_constant_tuple_key():
    _check(_tuple_key, lambda: TUPLE_KEYED.__setitem__((0, "w"), nd.asarray([5.0, 5.0])))


def test_loop_over_dict_with_tuple_keys():
    _check(_tuple_keys_loop,
           lambda: TUPLE_KEYED.__setitem__((1, "w"), nd.asarray([7.0, 7.0])))


def test_constant_float_bool_none_bytes_keys():
    for f, key in ((lambda x: x * ODD_KEYED[0.5], 0.5),
                   (lambda x: x * ODD_KEYED[True], True),
                   (lambda x: x * ODD_KEYED[None], None),
                   (lambda x: x * ODD_KEYED[b"k"], b"k")):
        _check(f, lambda: ODD_KEYED.__setitem__(key, ODD_KEYED[key] + 1.0))


def test_enum_keys():
    _check(lambda x: x * ODD_KEYED[Color.RED],
           lambda: ODD_KEYED.__setitem__(Color.RED, 5.0))
    _check(lambda x: x * ODD_KEYED[Shade.DARK],
           lambda: ODD_KEYED.__setitem__(Shade.DARK, 5.0))


# -- containers over 64 entries: one entry under a known key checked, else a warning ----

LONG_A = [1.0] * 100
LONG_B = [1.0] * 100
LONG_D = {f"k{i}": float(i) for i in range(100)}


def _zip_loop(x):
    for a, _ in zip(LONG_A, LONG_B):
        x = x * a
    return x


def _enumerate_loop(x):
    for _, a in enumerate(LONG_A):
        x = x * a
    return x


def _computed_index(x):
    i = 70
    return x * LONG_A[i]


def test_long_list_read_other_than_by_constant_key_warns():
    for f in (_zip_loop, _enumerate_loop, lambda x: x * sum(LONG_A),
              lambda x: x * sum(LONG_A[90:]), _computed_index):
        _warns(f)


def test_long_dict_get_with_constant_key():
    _check(lambda x: x * LONG_D.get("k3"), lambda: LONG_D.__setitem__("k3", -3.0))
    _check(lambda x: x * LONG_D.get("k4", 0.0), lambda: LONG_D.__setitem__("k4", -4.0))


def test_constant_in_long_dict():
    _check(lambda x: x * (2.0 if "zz" in LONG_D else 1.0),
           lambda: LONG_D.__setitem__("zz", 1.0))


def _by_default_name(x, name="k6"):
    return x * LONG_D.get(name, 0.0) * LONG_D[name]


def _by_name(x, name):
    return x * LONG_D[name]


def test_long_dict_entry_under_a_scalar_parameter():
    _check(_by_default_name, lambda: LONG_D.__setitem__("k6", -6.0))
    _check(_by_name, lambda: LONG_D.__setitem__("k7", -7.0), "k7")


def test_len_of_long_list():
    def grow():
        LONG_B.append(1.0)
    _check(lambda x: x * len(LONG_B), grow)


# -- getattr(obj, "name", default) with a default that is no constant -----------------

DEFAULT_W = 0.0
c_obj = Obj()
c_obj.w, c_obj.d, c_obj.v = 1.0, 0.0, [1.0]


class _GetattrSelf:
    def __init__(self):
        self.w = 1.0

    def __call__(self, x):
        return x * getattr(self, "w", DEFAULT_W)


def test_getattr_with_a_default_read_by_name():
    _check(lambda x: x * getattr(c_obj, "w", DEFAULT_W), lambda: setattr(c_obj, "w", 3.0))
    _check(lambda x: x * getattr(c_obj, "w", c_obj.d), lambda: setattr(c_obj, "w", 4.0))
    _check(lambda x: x * getattr(c_obj, "v", [])[0], lambda: setattr(c_obj, "v", [5.0]))
    m = _GetattrSelf()
    _check(m, lambda: setattr(m, "w", 3.0))


# -- functools.wraps: the wrapper's own names too -------------------------------------

WRAP_SCALE = 1.0
WRAP_CFG = {"s": 1.0}


def _scaled(f):
    @functools.wraps(f)
    def wrapper(x):
        return f(x) * WRAP_SCALE
    return wrapper


def _scaled_by(cfg):
    def deco(f):
        @functools.wraps(f)
        def wrapper(x):
            return f(x) * cfg["s"]
        return wrapper
    return deco


@_scaled
def _wrapped_g(x):
    return x + 1.0


@_scaled_by(WRAP_CFG)
def _wrapped_h(x):
    return x + 1.0


def test_wraps_wrapper_reads_a_global():
    def rebind():
        global WRAP_SCALE
        WRAP_SCALE = 3.0
    _check(_wrapped_g, rebind)


def test_wraps_wrapper_reads_a_closure_dict():
    _check(_wrapped_h, lambda: WRAP_CFG.__setitem__("s", 3.0))


# -- bound methods and callable objects under partial and nd.grad ---------------------

class _Model:
    def __init__(self):
        self.w = 1.0

    def f(self, a, x):
        return x * a * self.w

    def __call__(self, a, x):
        return x * a * self.w

    def loss(self, x):
        return nd.sum(x * x) * self.w


def test_partial_of_a_bound_method():
    m = _Model()
    _check(functools.partial(m.f, 2.0), lambda: setattr(m, "w", 5.0))


def test_partial_of_a_callable_object():
    m = _Model()
    _check(functools.partial(m, 2.0), lambda: setattr(m, "w", 5.0))


def test_grad_of_a_bound_method():
    m = _Model()
    _check(nd.grad(m.loss), lambda: setattr(m, "w", 3.0))


# -- defaults and partial-bound containers; __defaults__ rebound ----------------------

DEF_WS = [1.0, 2.0]
DEF_CFG = {"k": 1.0}
PART_P = {"k": 1.0}


def _list_default(x, ws=DEF_WS):
    return x * ws[1]


def _kwonly_default(x, *, cfg=DEF_CFG):
    return x * cfg["k"]


def _reads_cfg(cfg, x):
    return x * cfg["k"]


def test_container_defaults():
    _check(_list_default, lambda: DEF_WS.__setitem__(1, 5.0))
    _check(_kwonly_default, lambda: DEF_CFG.__setitem__("k", 5.0))


def test_partial_bound_container():
    _check(functools.partial(_reads_cfg, PART_P), lambda: PART_P.__setitem__("k", 5.0))


def test_defaults_rebound():
    fs = []
    for i in range(3):
        def f(x, d={"v": float(i)}):
            return x * d["v"]
        fs.append(f)
    _check(fs[1], lambda: fs[1].__defaults__[0].__setitem__("v", 9.0))

    def g(x, k=1.0):
        return x * k
    _check(g, lambda: setattr(g, "__defaults__", (3.0,)))

    def h(x, *, k=1.0):
        return x * k
    _check(h, lambda: setattr(h, "__kwdefaults__", {"k": 3.0}))


# -- objects passed through *args and **kwargs ----------------------------------------

def _star(x, *ms):
    return x * ms[0].w


def _starstar(x, **kw):
    return x * kw["mm"].w


def test_object_through_star_args():
    m = Obj()
    m.w = 1.0
    _check(_star, lambda: setattr(m, "w", 3.0), m)


def test_object_through_star_star_kwargs():
    m = Obj()
    m.w = 1.0
    _check(_starstar, lambda: setattr(m, "w", 5.0), mm=m)


# -- class attributes: classmethods, self.__class__, metaclasses ----------------------

class _ClsA:
    k = 1.0

    @classmethod
    def scale(cls):
        return cls.k


class _ClsB:
    k = 1.0

    def __init__(self):
        self.k = 100.0

    @classmethod
    def scale(cls):
        return cls.k

    def __call__(self, x):
        return x * self.scale() + self.k


class _ClsC:
    k = 1.0

    def __call__(self, x):
        return x * self.__class__.k


class _Meta(type):
    k = 1.0


class _ClsD(metaclass=_Meta):
    pass


def test_classmethod_on_the_class():
    _check(lambda x: x * _ClsA.scale(), lambda: setattr(_ClsA, "k", 3.0))


def test_classmethod_on_an_object_whose_attribute_shadows():
    b = _ClsB()
    _check(b, lambda: setattr(_ClsB, "k", 3.0))


def test_self_class_attribute():
    c = _ClsC()
    _check(c, lambda: setattr(_ClsC, "k", 3.0))


def test_metaclass_attribute():
    _check(lambda x: x * _ClsD.k, lambda: setattr(_Meta, "k", 3.0))


# -- past the depth limit: said -------------------------------------------------------

DEEP_K = 1.0


def _h9(x):
    return x * DEEP_K


def _h8(x):
    return _h9(x)


def _h7(x):
    return _h8(x)


def _h6(x):
    return _h7(x)


def _h5(x):
    return _h6(x)


def _h4(x):
    return _h5(x)


def _h3(x):
    return _h4(x)


def _h2(x):
    return _h3(x)


def _h1(x):
    return _h2(x)


NESTED = [[[[[[[[1.0]]]]]]]]


def test_helpers_too_deep_are_said():
    _warns(_h1)


def test_containers_nested_too_deep_are_said():
    def f(x):
        for a in NESTED:
            x = x * len(a)
        return x
    _warns(f)

