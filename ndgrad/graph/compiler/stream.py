"""Streaming: a run of float64 elementwise steps over one large shape, and the full sums
of their values, computed block by block through cache-sized scratch buffers.

Op by op, each step of ``sum(sin(x)*x + exp(-x*x))`` and its gradient makes one pass
over memory and allocates one array (page faults on first touch). Here the steps run on
one block of the elements at a time: their intermediates live in scratch buffers that
stay in cache, and only the region's outputs -- the values a later step or the caller
reads -- are whole arrays.

The results are the unstreamed plan's, bit for bit: every step is the same NumPy ufunc
on the same elements (a ufunc computes each element independently of its neighbours),
and a full sum reproduces NumPy's pairwise summation exactly. ``numpy.add.reduce`` over
a contiguous float64 vector is one pairwise sum, which splits ``n > 128`` elements at
``n2 = n // 2 - (n // 2) % 8``; the blocks are the leaves of that recursion (each at most
``block`` elements, ``block >= 128``), each block's ``add.reduce`` is its subtree's
value, and the partial sums are added back in the recursion's order. (Checked against
NumPy by the tests on random data and sizes; ``Options(stream=False)`` turns it off.)

Only what this argument covers streams: ufuncs with one output and one or two operands
(no matmul), float64 operands and results of one fully known shape (or Python-number /
float64 0-d constants), and sums of all elements of a 1-d region value (no dtype, no
keepdims).
"""
from __future__ import annotations

import numpy as np

from .direct import call_form, direct_fn, is_ufunc_step
from .fuse import f64_constant

# The fewest elements a region streams: arrays of 1 MB and more, which no longer stay
# in a core's L2 from one op to the next (smaller ones gain nothing from blocks and pay
# each block's ufunc calls, about 0.5 us each). The block: 32768 float64 elements, 256
# KB per scratch buffer, so a region's few buffers and its slices of the inputs and
# outputs share a 2 MB L2. Measured by hand on the 4M ``sum(sin(x)*x + exp(-x*x))``
# value and gradient (one thread, a 2-core machine under load from other work, best
# of 5): op by op 141 ms; blocks of 4096: 138, 8192: 114, 16384: 122, 32768: 125,
# 65536: 101 -- too noisy to rank the sizes, each well below op by op.
MIN_SIZE = 1 << 17
BLOCK = 1 << 15
MIN_OPS = 3
_PW_BLOCK = 128          # NumPy's pairwise summation sums at most this many without split
_F64 = np.dtype(np.float64)


class Region:
    """A streamed run of steps: ``members`` (step indices, in plan order), ``shape``,
    ``leaves`` (input slots, whole arrays), ``outs`` (slots it makes: whole arrays for
    ``outputs``, NumPy float64 scalars for ``sums``)."""

    __slots__ = ("members", "shape", "leaves", "outputs", "sums", "outs", "fn", "source",
                 "at")

    def __repr__(self):
        return f"<streamed {len(self.members)} steps over {self.shape} -> {self.outs}>"


def _shape(plan, s):
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or None in t._shape or t._np_dtype != _F64:
        return None
    return tuple(t._shape)


def _elementwise_shape(plan, st):
    """The shape of an elementwise step that may stream, else None."""
    if not is_ufunc_step(st):
        return None
    fn = direct_fn(st)
    if fn.nout != 1 or fn.nin not in (1, 2) or fn.signature is not None or \
            len(st[2]) != fn.nin:
        return None
    shape = _shape(plan, st[4])
    if shape is None or len(shape) == 0:
        return None
    for j in st[2]:
        if j in plan.known:
            v = plan.template[j]
            if not (f64_constant(v) and np.ndim(v) == 0):
                return None
        elif _shape(plan, j) != shape:
            return None
    return shape


def _full_sum(plan, st):
    """Whether a step is ``numpy.add.reduce`` of all of a 1-d float64 value, no dtype,
    no keepdims (its result a NumPy float64 scalar)."""
    c = call_form(plan, st)
    if c is None or c[0] != np.add.reduce:
        return False
    args = c[1]
    shape = _shape(plan, st[2][0])
    if shape is None or len(shape) != 1:
        return False
    axis = args[0] if args else None
    if axis is not None:
        ax = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
        if not all(type(a) is int and a in (0, -1) for a in ax) or len(ax) != 1:
            return False
    if (len(args) > 1 and args[1] is not None) or (len(args) > 2 and args[2] is not None):
        return False
    return not (len(args) > 3 and args[3])


def find_regions(plan, min_size=MIN_SIZE, min_ops=MIN_OPS):
    """The plan's streamable regions: maximal runs of consecutive steps (plan order)
    that are elementwise steps of one shape of at least ``min_size`` elements, or full
    sums of a value made in the run; at least ``min_ops`` elementwise steps each."""
    steps = plan.steps
    regions = []
    cur = None

    def close():
        if cur is not None and sum(1 for i in cur[1] if i not in cur[2]) >= min_ops:
            regions.append(cur)

    for i, st in enumerate(steps):
        shape = _elementwise_shape(plan, st)
        if shape is not None and int(np.prod(shape)) >= min_size:
            if cur is None or cur[0] != shape:
                close()
                cur = (shape, [], set(), set())      # shape, members, sums, made
            cur[1].append(i)
            cur[3].add(st[4])
            continue
        if cur is not None and _full_sum(plan, st) and st[2][0] in cur[3] and \
                len(cur[0]) == 1:
            cur[1].append(i)
            cur[2].add(i)
            continue
        close()
        cur = None
    close()
    out = []
    readers = {}
    for i, st in enumerate(steps):
        for j in st[2]:
            readers.setdefault(j, set()).add(i)
    fetched = {s for s in plan.fetch_slots if s is not None}
    for shape, members, sums, made in regions:
        r = Region()
        r.members = members
        r.shape = shape
        mset = set(members)
        leaves = []
        for i in members:
            for j in steps[i][2]:
                if j not in made and j not in plan.known and j not in leaves:
                    leaves.append(j)
        r.leaves = leaves
        r.sums = [steps[i][4] for i in members if i in sums]
        r.outputs = [steps[i][4] for i in members if i not in sums and (
            steps[i][4] in fetched or steps[i][4] in plan.copy_slots or
            readers.get(steps[i][4], set()) - mset)]
        r.outs = tuple(r.outputs) + tuple(r.sums)
        r.fn = None
        r.source = None
        r.at = members[0]         # (consecutive steps: emitted at the first one's place)
        out.append(r)
    return out


def _split(start, n, block):
    """NumPy's pairwise recursion over ``n`` elements from ``start``, down to leaves of at
    most ``block``: a leaf ``(start, stop)`` or a pair of subtrees."""
    if n <= block:
        return (start, start + n)
    n2 = n // 2
    n2 -= n2 % 8
    return (_split(start, n2, block), _split(start + n2, n - n2, block))


def _leaves(tree, out):
    if type(tree[0]) is int:
        out.append(tree)
    else:
        _leaves(tree[0], out)
        _leaves(tree[1], out)
    return out


def _combine_source(tree, counter):
    """The expression adding the leaves' partial sums ``P[k]`` in the recursion's order."""
    if type(tree[0]) is int:
        k = counter[0]
        counter[0] += 1
        return f"P[{k}]"
    a = _combine_source(tree[0], counter)
    b = _combine_source(tree[1], counter)
    return f"({a} + {b})"


def region_function(plan, region, block=BLOCK):
    """``fn(*leaves) -> outs``: the region's steps, block by block (see the module)."""
    if block < _PW_BLOCK:
        raise ValueError(f"stream block {block} is below NumPy's pairwise block "
                         f"{_PW_BLOCK}")
    steps = plan.steps
    shape = region.shape
    n = int(np.prod(shape))
    tree = _split(0, n, block)
    segs = _leaves(tree, [])
    env = {"np": np, "SEGS": segs, "SHAPE": shape, "DT64": _F64, "BLOCK": block}
    params = ", ".join(f"i{k}" for k in range(len(region.leaves)))
    lines = [f"def region({params}):"]
    if len(shape) > 1 and region.leaves:
        # an input not in C order: NumPy's ufuncs would give results in its layout
        # (order K), which blocks of C-ordered buffers do not; run the steps whole
        env["WHOLE"] = whole_function(plan, region)
        lines.append("    if not (" + " and ".join(
            f"i{k}.flags.c_contiguous" for k in range(len(region.leaves))) + "):")
        lines.append(f"        return WHOLE({params})")
    name = {}
    for k, s in enumerate(region.leaves):
        if len(shape) == 1:     # (a strided vector: its values, contiguous)
            lines.append(f"    i{k} = i{k} if i{k}.flags.c_contiguous else "
                         f"np.ascontiguousarray(i{k})")
        lines.append(f"    f{k} = i{k}.reshape(-1)")
        name[s] = f"x{k}"
    outputs = set(region.outputs)
    for k, s in enumerate(region.outputs):
        lines.append(f"    o{k} = np.empty(SHAPE, DT64)")
        lines.append(f"    g{k} = o{k}.reshape(-1)")
    # scratch buffers by liveness inside the block body
    sums = set(region.sums)
    last = {}
    for p, i in enumerate(region.members):
        for j in steps[i][2]:
            last[j] = p
    free = []
    n_scratch = 0
    body = []
    scratch_of = {}
    for k, s in enumerate(region.sums):
        lines.append(f"    P{k} = []")
    for p, i in enumerate(region.members):
        st = steps[i]
        args = []
        for j in st[2]:
            if j in plan.known:
                env[f"K{j}"] = plan.template[j]
                args.append(f"K{j}")
            else:
                args.append(name[j])
        # operands whose last use is this step free their scratch buffer first (an
        # elementwise ufunc may write over an operand it reads: the same elements)
        for j in st[2]:
            b = scratch_of.get(j)
            if last.get(j) == p and b is not None and b not in free:
                free.append(b)
        if st[4] in sums:
            k = region.sums.index(st[4])
            env["R"] = np.add.reduce
            body.append(f"        P{k}.append(R({args[0]}))")
            continue
        env[f"F{i}"] = direct_fn(st)
        out = st[4]
        if out in outputs:
            k = region.outputs.index(out)
            body.append(f"        y{k} = g{k}[a:b]")
            name[out] = f"y{k}"
        else:
            if free:
                b = free.pop()
            else:
                b = n_scratch
                n_scratch += 1
            scratch_of[out] = b
            body.append(f"        t{p} = s{b}[:m]")
            name[out] = f"t{p}"
        body.append(f"        F{i}({', '.join(args)}, {name[out]})")
    for b in range(n_scratch):
        lines.append(f"    s{b} = np.empty(BLOCK, DT64)")
    lines.append("    for a, b in SEGS:")
    lines.append("        m = b - a")
    for k in range(len(region.leaves)):
        lines.append(f"        x{k} = f{k}[a:b]")
    lines.extend(body)
    rets = [f"o{k}" for k in range(len(region.outputs))]
    for k in range(len(region.sums)):
        lines.append(f"    P = P{k}")
        lines.append(f"    S{k} = {_combine_source(tree, [0])}")
        rets.append(f"S{k}")
    lines.append("    return (" + "".join(r + ", " for r in rets) + ")")
    src = "\n".join(lines) + "\n"
    exec(compile(src, "<ndgrad stream>", "exec"), env)
    return env["region"], src


def whole_function(plan, region):
    """``fn(*leaves) -> outs``: the region's steps one by one on whole arrays, as the
    unstreamed plan runs them (for inputs a block cannot slice in C order)."""
    steps = plan.steps
    program = []
    for i in region.members:
        st = steps[i]
        c = call_form(plan, st) if st[4] in region.sums else None
        fn, extra = (c[0], tuple(c[1])) if c is not None else (direct_fn(st), ())
        program.append((fn, tuple(st[2]), extra, st[4]))
    leaves = tuple(region.leaves)
    template = plan.template
    outs = region.outs

    def whole(*arrays):
        vals = dict(zip(leaves, arrays))
        for fn, args, extra, out in program:
            vals[out] = fn(*[vals[j] if j in vals else template[j] for j in args], *extra)
        return tuple(vals[o] for o in outs)
    return whole
