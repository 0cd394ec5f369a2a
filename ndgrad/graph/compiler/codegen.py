"""Code generation: a plan as one straight-line Python function, no interpreter loop.

``numpy_function`` makes ``fast(vals, ctx, store)`` for NumPy values: table ops call
NumPy directly (2-D transposes and reshapes as methods: ``direct.method_form``; a relu's
``maximum(h, 0.0)`` the array-against-array way: ``direct.filled_form``), ufunc steps
write into dead buffers (``reuse``), fused trees call their
numexpr kernel, and each intermediate is deleted after its last use. ``generic_function``
makes ``run(xp, vals, ctx, store)`` for any array API namespace ``xp`` (array_api_strict,
CuPy, Dask): every registry op calls its own forward with ``xp``; on CuPy, fused trees
call their generated ``ElementwiseKernel``.
"""
from __future__ import annotations

import numpy as np

from ..._backend import numpy_backend
from .direct import call_form, direct_fn, filled_form, method_form
from .lower import MULTI, OP, SPECIAL, outs_of

_npx = numpy_backend.xp


def _targets(outs):
    return ", ".join(f"v{o}" for o in outs) + ("," if len(outs) == 1 else "")


def _emit_step(i, st, env, body, xp_name, direct, out_slot=None):
    code, f, idx, params, out, op = st
    env[f"F{i}"] = f
    args = "".join(f", v{j}" for j in idx)
    fn = direct_fn(st) if direct else None
    if fn is not None:
        env[f"F{i}"] = fn
        # ``out`` positionally: NumPy parses it ~200 ns faster than ``out=``; not for
        # maximum/minimum, whose positional third argument NumPy 2.4 deprecates (a later
        # NumPy may read it as a third operand)
        extra = ""
        if out_slot is not None:
            extra = (f", out=v{out_slot}" if fn in (np.maximum, np.minimum)
                     else f", v{out_slot}")
        body.append(f"    v{out} = F{i}({args[2:]}{extra})")
    elif code == OP or code == MULTI:
        kw = ""
        if params:
            env[f"P{i}"] = params
            kw = f", **P{i}"
        if out_slot is not None:
            kw += f", out=v{out_slot}"      # (a function declaring ``out_operand``)
        if code == OP:
            target = f"v{out}"
        else:
            target = _targets(out) if out else "_"
        body.append(f"    {target} = F{i}({xp_name}{args}{kw})")
    elif op._kind == "variable":
        env[f"K{i}"] = op
        body.append(f"    v{out} = store.get(K{i})")
        body.append(f"    if v{out} is None: v{out} = F{i}(ctx)")
    elif code == SPECIAL:
        body.append(f"    v{out} = F{i}(ctx{args})")
    elif out:
        body.append(f"    {_targets(out)} = F{i}(ctx{args})")
    else:
        body.append(f"    F{i}(ctx{args})")


def _to_backend(xp, v):
    """A NumPy value of session state as an ``xp`` array (other values as they are)."""
    if isinstance(v, (np.ndarray, np.generic)) and v.dtype.kind in "biufc":
        return xp.asarray(v)
    return v


def units_of(plan, groups, regions=()):
    """Emission order: step indices, each fused group at its root's place, each run of
    steps (a streamed region, a scalar run) at its step ``at``."""
    member = {}
    gone = set()
    for g in groups:
        for i in g.members:
            member[i] = g
        gone.update(g.replaces)        # recomputed inside the groups, read by no one else
    first = {}
    for r in regions:
        first[r.at] = r
        gone.update(r.members)
    units = []
    for i in range(len(plan.steps)):
        r = first.get(i)
        if r is not None:
            units.append(r)
            continue
        g = member.get(i)
        if i in gone:
            continue
        if g is None:
            units.append(i)
        elif i == g.root:
            units.append(g)
    return units


def _function(plan, units, env, header, body_of_unit, xp_name):
    """Assemble ``def header: loads; units with del after last use; return fetches``."""
    steps = plan.steps
    keep = {s for s in plan.fetch_slots if s is not None}
    reads = []                                    # per unit: slots read
    writes = []                                   # per unit: slots written
    for u in units:
        if isinstance(u, int):
            reads.append(steps[u][2])
            writes.append(outs_of(steps[u]))
        else:
            reads.append(tuple(u.leaves))
            # (a scalar run's or a streamed region's outs; a fused tree's out. A scalar run
            # whose results nothing reads, a control input's, has empty outs)
            outs = getattr(u, "outs", None)
            writes.append(outs if outs is not None else (u.out,))
    last = {}
    for p, rs in enumerate(reads):
        for j in rs:
            last[j] = p
    free_after = {}
    for p, ws in enumerate(writes):
        for o in ws:
            if o not in keep:
                free_after.setdefault(last.get(o, p), []).append(o)
    body = []
    for p, u in enumerate(units):
        body_of_unit(p, u, body)
        dead = free_after.get(p)
        if dead:
            body.append("    del " + ", ".join(f"v{o}" for o in dead))
    produced = {o for ws in writes for o in ws}
    used = {j for rs in reads for j in rs}
    loads = sorted((used | keep) - produced)
    head = [f"    v{s} = vals[{s}]" for s in loads]
    ret = "    return (" + "".join(f"v{s}, " if s is not None else "None, "
                               for s in plan.fetch_slots) + ")"
    src = f"def {header}:\n" + "\n".join(head + body + [ret]) + "\n"
    exec(compile(src, "<ndgrad plan>", "exec"), env)
    return env[header.split("(")[0]], src


def numpy_function(plan, groups=(), reuse=None):
    """``fast(vals, ctx, store)`` over NumPy values (with the plan's streamed regions)."""
    from .scalar import ScalarRun, emit as scalar_source
    from .stream import Region
    env = {"npx": _npx}
    reuse = reuse or {}
    units = units_of(plan, groups, list(plan.streamed) + list(plan.scalars))
    kernels = []
    for g in groups:
        from .fuse import numexpr_kernel
        kernels.append(numexpr_kernel(g))

    def unit(p, u, body):
        if isinstance(u, int):
            st = plan.steps[u]
            m = method_form(plan, st)
            c = call_form(plan, st) if m is None else None
            if c is not None:
                env[f"F{u}"] = c[0]
                names = []
                for k, a in enumerate(c[1]):
                    if a is None or a is True or a is False:
                        names.append(repr(a))
                    else:
                        env[f"A{u}_{k}"] = a
                        names.append(f"A{u}_{k}")
                body.append(f"    v{st[4]} = F{u}(v{st[2][0]}" +
                            "".join(", " + n for n in names) + ")")
            elif m is None:
                fill = filled_form(plan, st)
                if fill is not None:
                    env[f"X{u}"] = fill[0]
                    into = reuse.get(u)
                    body.append(f"    v{st[4]} = X{u}(v{fill[1]}" +
                                (f", out=v{into})" if into is not None else ")"))
                else:
                    _emit_step(u, st, env, body, "npx", True, reuse.get(u))
            elif m[1] is None:
                body.append(f"    v{st[4]} = v{st[2][0]}{m[0]}")
            else:
                env[f"P{u}"] = m[1]
                body.append(f"    v{st[4]} = v{st[2][0]}{m[0]}(P{u})")
        elif isinstance(u, ScalarRun):
            scalar_source(plan, u, env, body)
        elif isinstance(u, Region):
            k = f"R{p}"
            env[k] = u.fn
            call = f"{k}(" + ", ".join(f"v{j}" for j in u.leaves) + ")"
            # (a region whose results nothing reads -- a control input's -- runs alone)
            body.append(f"    {_targets(u.outs)} = {call}" if u.outs else f"    {call}")
        else:
            k = f"G{p}"
            env[k] = u.kernel_cpu
            body.append(f"    v{u.out} = {k}(" + ", ".join(f"v{j}" for j in u.leaves) + ")")
    for g, k in zip(groups, kernels):
        g.kernel_cpu = k
    return _function(plan, units, env, "fast(vals, ctx, store)", unit, "npx")


def generic_function(plan, groups=(), cuda=False):
    """``run(xp, vals, ctx, store)`` over any backend's arrays (``xp`` its namespace)."""
    env = {"TO": _to_backend}
    units = units_of(plan, groups if cuda else ())

    def unit(p, u, body):
        if isinstance(u, int):
            st = plan.steps[u]
            _emit_step(u, st, env, body, "xp", False)
            if st[0] >= SPECIAL:
                # session state (variables, random draws) is NumPy: move it to xp
                for o in outs_of(st):
                    body.append(f"    v{o} = TO(xp, v{o})")
        else:
            from .fuse import cupy_kernel
            k = f"G{p}"
            env[k] = cupy_kernel(u)
            body.append(f"    v{u.out} = {k}(" + ", ".join(f"v{j}" for j in u.leaves) + ")")
    return _function(plan, units, env, "run(xp, vals, ctx, store)", unit, "xp")
