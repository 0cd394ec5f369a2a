"""Elementwise fusion: a tree of float64 elementwise steps becomes one loop over memory.

On the CPU the tree runs as one ``numexpr`` expression (no temporaries), when numexpr is
installed and the result has at least ``MIN_SIZE`` elements; otherwise the steps run one
by one (NumPy, with buffer reuse). On CUDA the same tree becomes the source of a CuPy
``ElementwiseKernel`` (``cuda_source``; CuPy is imported only when such a kernel runs).

Only what was checked to equal NumPy is fused: float64 inputs and results (so dtype
promotion cannot differ; integer division, pow and where are left out, numexpr's rules
differ there), and operations whose results are IEEE-exact in both (+ - * /, negation,
square, reciprocal, sqrt, abs) or within 1 ulp of the true value in both (the
transcendental functions: NumPy's own SIMD loops and the C library numexpr calls),
hence within 2 ulp of NumPy. NaN, inf and signed zeros follow IEEE in both. tanh is
left out: numexpr's (the C library's) differed from NumPy's by 3 ulp in the test's draw.
"""
from __future__ import annotations

import threading

import numpy as np

from .direct import is_ufunc_step, op_name
from .lower import outs_of

# Measured crossover (one thread, `sin(a)*a + exp(-(a*a))`, 2-core machine, 2026-12-04):
# numexpr/NumPy time 1.18x at 1024 elements, 1.28x at 16384, 0.98x at 65536, 0.88x at
# 262144, 0.67x at 4M; NumPy's SIMD transcendentals win on small arrays.
MIN_SIZE = 1 << 17
# On tiny arrays a fused tree saves the per-call cost of each ufunc (about 0.5 us here)
# for one numexpr call (about 1.5 us + 0.1 us per op): measured 9.4 us for the 100-op
# chain on (8,) float64 against 60-90 us op by op. So trees of at least SMALL_MIN_OPS
# steps on at most SMALL_MAX_SIZE elements fuse too.
SMALL_MAX_SIZE = 256
SMALL_MIN_OPS = 6
MAX_LEAVES = 24

# registry op -> (numexpr template, CUDA template)
_UNARY = {
    "negative": ("(-{0})", "(-{0})"), "square": ("({0} * {0})", "({0} * {0})"),
    "reciprocal": ("(1.0 / {0})", "(1.0 / {0})"), "sqrt": ("sqrt({0})", "sqrt({0})"),
    "abs": ("abs({0})", "fabs({0})"), "sin": ("sin({0})", "sin({0})"),
    "cos": ("cos({0})", "cos({0})"), "tan": ("tan({0})", "tan({0})"),
    "exp": ("exp({0})", "exp({0})"), "log": ("log({0})", "log({0})"),
    "log1p": ("log1p({0})", "log1p({0})"), "expm1": ("expm1({0})", "expm1({0})"),
    "sinh": ("sinh({0})", "sinh({0})"),
    "cosh": ("cosh({0})", "cosh({0})"), "asin": ("arcsin({0})", "asin({0})"),
    "acos": ("arccos({0})", "acos({0})"), "atan": ("arctan({0})", "atan({0})"),
}
# NumPy's own SIMD loops beat numexpr's C-library calls for these by 2-10x on large
# arrays (1M float64, one thread: exp 1.9 vs 13.1 ms, log 2.5 vs 11.8, tan 4.0 vs 18.4,
# arcsin 3.9 vs 36.7; sin and cos are the C library's in both, 17 ms each): on arrays
# of MIN_SIZE and more they stay NumPy steps, and trees fuse around them
_SLOW_IN_NUMEXPR = {"exp", "log", "tan", "asin", "acos", "atan", "sinh", "cosh", "log1p",
                    "expm1"}
# recomputed inside each tree that reads them (one cheap op per element)
_CHEAP = {"negative", "abs", "square"}
_BINARY = {"add": "({0} + {1})", "subtract": "({0} - {1})", "multiply": "({0} * {1})",
           "divide": "({0} / {1})"}

_F64 = np.dtype(np.float64)


class Group:
    """A fused tree: ``members`` (step indices, in plan order), its ``root`` step, its
    ``leaves`` (input slots, in argument order) and the expression in both dialects."""

    __slots__ = ("members", "root", "out", "leaves", "expr", "cuda_expr", "kernel",
                 "kernel_cpu", "replaces")

    def __repr__(self):
        return f"<fused {self.expr} -> v{self.out}>"


def _fusable_op(step):
    name = op_name(step)
    return is_ufunc_step(step) and (name in _UNARY or name in _BINARY)


def f64_constant(v):
    """A template constant that acts as a float64 operand: a Python float, an int a
    float64 holds exactly, a float64 NumPy value."""
    t = type(v)
    if t is float:
        return True
    if t is int:
        return abs(v) <= 2 ** 53
    return isinstance(v, (np.ndarray, np.float64)) and v.dtype == _F64


def _f64_leaf(plan, s):
    """A slot usable as a float64 leaf: a float64 tensor, or a float64 / exact
    Python-number constant."""
    if s in plan.known:
        return f64_constant(plan.template[s])
    t = plan.slot_tensor.get(s)
    return t is not None and t._np_dtype == _F64


def _size(plan, s):
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or None in t._shape:
        return None
    return int(np.prod(t._shape, dtype=np.int64))


def find_groups(plan, min_size=MIN_SIZE, small_max_size=SMALL_MAX_SIZE,
                small_min_ops=SMALL_MIN_OPS, all_functions=False, exclude=()):
    """Fusable trees of the plan's steps: roots of at least ``min_size`` elements, or of
    at most ``small_max_size`` elements with at least ``small_min_ops`` steps. Large
    trees leave out the functions NumPy computes faster, unless ``all_functions`` (a
    CUDA kernel computes every function in the one pass). Steps in ``exclude`` (those
    a streamed region runs) take part in no tree."""
    steps = plan.steps
    readers = {}
    for i, st in enumerate(steps):
        for j in st[2]:
            readers.setdefault(j, []).append(i)
    fetched = {s for s in plan.fetch_slots if s is not None}
    ok_small = {i for i, st in enumerate(steps) if i not in exclude and _fusable_op(st) and
                plan.slot_tensor.get(st[4]) is not None and
                plan.slot_tensor[st[4]]._np_dtype == _F64}
    ok_large = ok_small if all_functions else {
        i for i in ok_small if op_name(steps[i]) not in _SLOW_IN_NUMEXPR}
    ok = ok_small
    producer = {o: i for i, st in enumerate(steps) for o in outs_of(st)}

    def inner(s):
        """The step producing slot ``s`` may be folded into its single reader."""
        p = producer.get(s)
        return (p is not None and p in ok and s not in fetched and s not in plan.copy_slots
                and len(readers.get(s, ())) == 1 and s not in needed)

    def cheap(s):
        """Slot ``s`` comes from a one-op-per-element unary step worth recomputing in
        each tree that reads it rather than storing (an array's pass over memory)."""
        p = producer.get(s)
        return (p is not None and p in ok and op_name(steps[p]) in _CHEAP
                and s not in fetched and s not in plan.copy_slots)

    taken = set()
    needed = set()                     # leaves of the trees built so far: materialised
    groups = []
    inlined_by = {}                    # cheap step -> the groups that recompute it
    for r in range(len(steps) - 1, -1, -1):
        if r not in ok_small or r in taken:
            continue
        out = steps[r][4]
        size = _size(plan, out)
        if size is None or (size < min_size and size > small_max_size):
            continue
        ok = ok_large if size >= min_size else ok_small
        if r not in ok:
            continue
        members, leaves = [], []
        names = {}
        inlined = set()

        def build(i, dialect, leaf_args=False):
            """Step ``i`` as an expression; with ``leaf_args`` (a recomputed cheap
            step) its inputs are leaves."""
            st = steps[i]
            args = []
            for j in st[2]:
                p = producer.get(j)
                if not leaf_args and inner(j) and p not in taken:
                    args.append(build(p, dialect))
                elif not leaf_args and cheap(j) and p not in taken:
                    inlined.add(p)
                    args.append(build(p, dialect, leaf_args=True))
                else:
                    if j not in names:
                        names[j] = f"x{len(names)}"
                        leaves.append(j)
                    args.append(names[j])
            name = op_name(st)
            if dialect == 0 and i not in members and not leaf_args:
                members.append(i)
            if name in _UNARY:
                return _UNARY[name][dialect].format(*args)
            return _BINARY[name].format(*args)

        expr = build(r, 0)
        need = 2 if size >= min_size else small_min_ops
        if len(members) + len(inlined) < need or len(leaves) > MAX_LEAVES or \
                not all(_f64_leaf(plan, s) for s in leaves):
            continue
        g = Group()
        g.members = sorted(members)
        g.root = r
        g.out = out
        g.leaves = leaves
        g.expr = expr
        g.cuda_expr = build(r, 1)
        g.kernel = None
        g.replaces = set()
        taken.update(members)
        needed.update(leaves)
        for p in inlined:
            inlined_by.setdefault(p, []).append(g)
        groups.append(g)
    # a recomputed step that no one else reads is not run at all
    member_of = {i: g for g in groups for i in g.members}
    for p, gs in inlined_by.items():
        if p in taken or steps[p][4] in needed:
            continue
        if all(member_of.get(r) in gs for r in readers.get(steps[p][4], ())):
            for g in gs:
                g.replaces.add(p)
    groups.sort(key=lambda g: g.root)
    return groups


_NUMEXPR = []


def load_numexpr():
    """The numexpr module, or None when it is not installed (imported on first use).

    numexpr's import sets ``numpy.expm1x`` (an alias it never uses); it is removed again
    so that importing numexpr leaves NumPy's namespace as it was."""
    if not _NUMEXPR:
        had = hasattr(np, "expm1x")
        try:
            import numexpr
        except ImportError:
            numexpr = None
        if not had and getattr(np, "expm1x", None) is np.expm1:
            del np.expm1x
        _NUMEXPR.append(numexpr)
    return _NUMEXPR[0]


def numexpr_kernel(group):
    """A compiled numexpr function of the group's leaves (None without numexpr)."""
    numexpr = load_numexpr()
    if numexpr is None:
        return None
    sig = [(f"x{i}", np.float64) for i in range(len(group.leaves))]
    nex = numexpr.NumExpr(group.expr, signature=sig)

    def run(*leaves):
        leaves = [np.asarray(v, dtype=np.float64) if type(v) is not np.ndarray else v
                  for v in leaves]
        # one call at a time: a compiled NumExpr keeps its registers and temporaries in
        # the object, and numexpr's virtual machine its thread pool in globals, so two
        # threads running a plan at once (Session.run, an nd.jit function) corrupted the
        # heap; numexpr runs each call on its own threads anyway
        with _NUMEXPR_LOCK:
            return nex(*leaves, out=None, order="K", casting="safe", ex_uses_vml=False)
    return run


_NUMEXPR_LOCK = threading.Lock()


def cuda_source(group, name=None):
    """The CuPy ``ElementwiseKernel`` arguments for the group:
    ``(in_params, out_params, operation, name)``."""
    ins = ", ".join(f"float64 x{i}" for i in range(len(group.leaves)))
    return (ins, "float64 y", f"y = {group.cuda_expr}",
            name or f"ndgrad_fused_{len(group.members)}")


def cuda_reduction_source(group, name=None):
    """The CuPy ``ReductionKernel`` arguments summing the group's values:
    ``(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity, name)``."""
    ins = ", ".join(f"float64 x{i}" for i in range(len(group.leaves)))
    return (ins, "float64 y", group.cuda_expr, "a + b", "y = a", "0",
            name or f"ndgrad_fused_sum_{len(group.members)}")


def cupy_kernel(group):
    """The group as a CuPy ElementwiseKernel (imports CuPy; made once per group)."""
    if group.kernel is None:
        import cupy
        group.kernel = cupy.ElementwiseKernel(*cuda_source(group))
    return group.kernel


# C names -> NumPy functions: evaluating ``cuda_expr`` with these is the kernel's
# semantics on NumPy (what the tests check without a GPU)
CUDA_AS_NUMPY = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp,
                 "log": np.log, "log1p": np.log1p, "expm1": np.expm1, "sqrt": np.sqrt,
                 "fabs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh,
                 "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan}
