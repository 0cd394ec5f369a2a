"""Nested lists / tuples / dicts / namedtuples of arrays, flattened and rebuilt (as JAX)."""
from __future__ import annotations


def flatten(tree):
    """(leaves, rebuild) for a nest; a leaf is anything that is not a list/tuple/dict."""
    if isinstance(tree, dict):
        keys = sorted(tree, key=repr) if not all(isinstance(k, str) for k in tree) else sorted(tree)
        parts = [flatten(tree[k]) for k in keys]
        leaves = [l for p in parts for l in p[0]]

        def rebuild(flat, parts=parts, keys=keys, kind=type(tree), order=tuple(tree)):
            vals, i = {}, 0
            for k, (lv, rb) in zip(keys, parts):
                vals[k] = rb(flat[i:i + len(lv)])
                i += len(lv)
            # the leaves go in sorted key order (JAX's); the rebuilt dict has the given
            # dict's key order (autograd's), so zip(params.values(), grads.values()) pairs
            # each parameter with its own gradient (sorted, {'z': .., 'a': ..} mispaired)
            out = {k: vals[k] for k in order}
            return kind(out) if kind is not dict else out
        return leaves, rebuild
    if isinstance(tree, (list, tuple)):
        parts = [flatten(t) for t in tree]
        leaves = [l for p in parts for l in p[0]]

        def rebuild(flat, parts=parts, kind=type(tree)):
            out, i = [], 0
            for lv, rb in parts:
                out.append(rb(flat[i:i + len(lv)]))
                i += len(lv)
            if kind is list:
                return out
            if hasattr(kind, "_fields"):  # namedtuple
                return kind(*out)
            return kind(out)
        return leaves, rebuild
    return [tree], lambda flat: flat[0]


def tree_map(fn, tree):
    leaves, rebuild = flatten(tree)
    return rebuild([fn(l) for l in leaves])
