"""The plan compiler: graph elements to one generated function, through optional passes.

``compile_plan(fetches, feeds, options)`` lowers the ops the fetches need to steps
(``lower``), then runs the passes ``options`` turns on -- constant folding (``fold``),
exact algebraic simplification (``simplify``, and with it ``signs``: negations
moved out of products), common-subexpression elimination
(``cse``), dead-step pruning (``prune``), elementwise fusion (``fuse``), buffer reuse
(``reuse``, and with it the optimizers' deferred in-place updates: ``defer``), streaming
of large elementwise regions block by block (``stream``), one-element arithmetic on NumPy
scalars (``scalar``) -- and
generates straight-line code (``codegen``). Every pass is optional; results equal the
unoptimised plan's (bit for bit without fusion, within 2 ulp with it). Used by ``Session`` plans and ``nd.jit``.

>>> import ndgrad.tf as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float64, (3,))
...     y = tf.sin(x) * 2.0 + tf.sin(x) * 2.0
>>> plan = compile_plan([y], [x])
>>> [st[5].type for st in plan.steps]       # sin(x) * 2.0 computed once
['Sin', 'Mul', 'Add']
"""
from __future__ import annotations

from .lower import MULTI, OP, SPECIAL, SPECIAL_MULTI, Plan, Reread, lower, topo  # noqa: F401

__all__ = ["Options", "compile_plan", "Plan"]


class Options:
    """Which passes run: ``fold``, ``cse``, ``prune``, ``fuse``, ``reuse``, ``simplify``
    (each on by default), ``donate`` (off: let buffer reuse write into fed arrays, which
    the caller gives up), ``fuse_min_size`` (the fewest elements a fused tree of any
    length runs through numexpr).

    >>> Options(fuse=False)
    Options(fold=True, cse=True, prune=True, fuse=False, reuse=True, donate=False, \
simplify=True)
    """

    __slots__ = ("fold", "cse", "prune", "fuse", "reuse", "donate", "simplify",
                 "fuse_min_size", "stream", "stream_min_size", "stream_block", "scalar")

    def __init__(self, fold=True, cse=True, prune=True, fuse=True, reuse=True, donate=False,
                 simplify=True, fuse_min_size=None, stream=True, stream_min_size=None,
                 stream_block=None, scalar=True):
        from .fuse import MIN_SIZE
        from . import stream as _stream
        self.stream = bool(stream)
        self.scalar = bool(scalar)
        self.stream_min_size = (_stream.MIN_SIZE if stream_min_size is None
                                else int(stream_min_size))
        self.stream_block = _stream.BLOCK if stream_block is None else int(stream_block)
        if self.stream_block < 128:
            raise ValueError(f"stream_block must be at least 128 (NumPy's pairwise "
                             f"summation block), got {self.stream_block}")
        self.fold = bool(fold)
        self.cse = bool(cse)
        self.prune = bool(prune)
        self.fuse = bool(fuse)
        self.reuse = bool(reuse)
        self.donate = bool(donate)
        self.simplify = bool(simplify)
        self.fuse_min_size = MIN_SIZE if fuse_min_size is None else int(fuse_min_size)

    def key(self):
        return tuple(getattr(self, k) for k in self.__slots__)

    def __repr__(self):
        return ("Options(" + ", ".join(f"{k}={getattr(self, k)}" for k in self.__slots__[:7])
                + ")")


DEFAULT = Options()
NONE = Options(fold=False, cse=False, prune=False, fuse=False, reuse=False, simplify=False,
               stream=False, scalar=False)


def _have_numexpr():
    from .fuse import load_numexpr
    return load_numexpr() is not None


def compile_plan(fetch_elems, feed_tensors, options=None, defer=True, done=()):
    """A Plan computing ``fetch_elems`` (tensors or operations) from ``feed_tensors``;
    ``plan.fast(vals, ctx, store)`` runs it on NumPy values, ``plan.run_generic(xp, ...)``
    on another backend's. ``defer=False`` for a plan that may run more than once in one
    session run (a loop's body): its updates are staged as they are. ``done``: ops the
    calling plan ran already (not run again: a conditional branch's outside control
    inputs)."""
    from . import codegen
    opts = DEFAULT if options is None else options
    plan = lower(fetch_elems, feed_tensors, done)
    plan.options = opts
    from .fold import fold
    if opts.fold:
        fold(plan)
    if opts.simplify:
        from .simplify import simplify
        # what the constants simplify made feed folds, and the new constants may decide
        # more (TF's pow gradient: a seed folds to a constant cotangent, its == 0 test
        # to an all-False mask, and the where on it to its product); a few rounds at most
        for _ in range(4):
            if not simplify(plan) or not opts.fold:
                break
            fold(plan)
    if opts.simplify:
        # negations out of products and into constants, kept where they lower the
        # plan's work (``signs.rewrite``)
        from .signs import rewrite
        rewrite(plan, opts.cse)
    if opts.cse:
        from .cse import cse
        cse(plan)
    if opts.prune:
        from .prune import prune
        prune(plan)
    if opts.reuse and defer:
        from .defer import defer as defer_updates
        defer_updates(plan)
    regions = []
    if opts.stream:
        from .stream import find_regions, region_function
        regions = find_regions(plan, opts.stream_min_size)
        for r in regions:
            r.fn, r.source = region_function(plan, r, opts.stream_block)
    plan.streamed = regions
    if opts.scalar:
        from .scalar import find_runs
        plan.scalars = find_runs(plan)
    runs = list(regions) + list(plan.scalars)
    groups = []
    if opts.fuse and _have_numexpr():
        from .fuse import find_groups
        groups = find_groups(plan, opts.fuse_min_size,
                             exclude={i for r in runs for i in r.members})
    plan.fused = groups
    units = codegen.units_of(plan, groups, runs)
    if opts.reuse:
        from .reuse import plan_reuse
        plan.reused = plan_reuse(plan, units, donate=opts.donate)
    plan.fast, plan.source = codegen.numpy_function(plan, groups, plan.reused)
    feed_pos = {s: k for k, s in enumerate(plan.feed_slots)}
    donated = sorted({feed_pos[j] for j in plan.reused.values() if j in feed_pos})
    if donated:
        # the run writes into these feeds only after checking they may be written
        plan.donated_feeds = tuple(donated)
        safe = {i: j for i, j in plan.reused.items() if j not in feed_pos}
        plan.fast_nodonate = codegen.numpy_function(plan, groups, safe)[0]
    plan.fresh = _fresh_fetches(plan, units)
    plan.stateless = all(st[0] == OP or st[0] == MULTI for st in plan.steps)
    plan.repeated = _repeated_fetches(plan)
    plan.shape_fixed = _shape_fixed_fetches(plan)
    return plan


def _shape_fixed_fetches(plan):
    """Positions of the fetches whose shape the feeds' shapes decide
    (``direct.shape_fixed_slots``). A caller that checked the feeds' shapes need not
    check these results' (``nd.jit``: a result whose shape depends on the values
    raises; these cannot)."""
    from .direct import shape_fixed_slots
    fixed = shape_fixed_slots(plan)
    return frozenset(k for k, s in enumerate(plan.fetch_slots) if s in fixed)


def _fresh_fetches(plan, units):
    """Positions of the fetches whose NumPy value is an array no one else can see: made
    by this run (a ufunc step's result, not written into a feed, or a fused tree's),
    read by no session-state step (which might keep it: an assignment) and by no step
    that might make a view of it (only ufunc steps and fused trees read it), and fetched
    once. Such a value may be handed out without a copy. (A 0-d ufunc result is a NumPy
    scalar: callers check the type first.)"""
    from .direct import is_ufunc_step
    steps = plan.steps
    made = set()
    feeds = set(plan.feed_slots)
    viewless = {}                  # slot -> every reader so far makes no view of it
    for u in units:
        if isinstance(u, int):
            st = steps[u]
            ok = is_ufunc_step(st)
            for j in st[2]:
                viewless[j] = viewless.get(j, True) and ok
            if ok and plan.reused.get(u) not in feeds:
                made.add(st[4])
        else:
            for j in u.leaves:
                viewless.setdefault(j, True)
            made.update(_arrays_made(u))
    fetch = plan.fetch_slots
    count = {}
    for s in fetch:
        count[s] = count.get(s, 0) + 1
    return frozenset(k for k, s in enumerate(fetch)
                     if s in made and count[s] == 1 and viewless.get(s, True))


def _arrays_made(u):
    """The slots a fused tree or a streamed region fills with arrays it allocates."""
    outputs = getattr(u, "outputs", None)
    return outputs if outputs is not None else (u.out,)


def _repeated_fetches(plan):
    """Positions of the fetches whose slot an earlier fetch has too (two fetched tensors
    the passes merged, e.g. by CSE): each needs a value of its own."""
    seen = set()
    out = set()
    for k, s in enumerate(plan.fetch_slots):
        if s is not None:
            if s in seen:
                out.add(k)
            seen.add(s)
    return frozenset(out)


def generic_runner(plan, backend):
    """``run(xp, vals, ctx, store)`` of ``plan`` for ``backend`` (made once per backend)
    and the plan's template with its NumPy constants moved to that backend."""
    got = plan.backend_templates.get(backend.name)
    if got is None:
        import numpy as np
        from . import codegen
        cuda = backend.name == "cupy"
        groups = plan.fused
        if cuda and not groups and plan.options.fuse:
            from .fuse import find_groups
            groups = find_groups(plan, 1, all_functions=True)
        fn, _src = codegen.generic_function(plan, groups, cuda=cuda)
        xp = backend.xp
        tmpl = [xp.asarray(v) if isinstance(v, (np.ndarray, np.generic)) and v.dtype.kind
                in "biufc" else v for v in plan.template]
        got = plan.backend_templates[backend.name] = (fn, tmpl)
    return got
