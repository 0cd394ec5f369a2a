"""Nests of lists / tuples / dicts of arrays and scalars to one flat vector and back;
both directions differentiate."""
from __future__ import annotations


def _leaves(value, out):
    if isinstance(value, (list, tuple)):
        for v in value:
            _leaves(v, out)
    elif isinstance(value, dict):
        for k in sorted(value):
            _leaves(value[k], out)
    else:
        out.append(value)
    return out


def _rebuild(template, it):
    if isinstance(template, (list, tuple)):
        vals = [_rebuild(t, it) for t in template]
        if isinstance(template, list):
            return vals
        return type(template)(*vals) if hasattr(template, "_fields") else type(template)(vals)
    if isinstance(template, dict):
        # (the vector holds the values in sorted key order, autograd's; the dict comes
        # back in the template's key order, as autograd's unflatten gives it)
        vals = {k: _rebuild(template[k], it) for k in sorted(template)}
        return {k: vals[k] for k in template}
    return next(it)


def flatten(value):
    """``(vector, unflatten)``: every leaf raveled and concatenated in order (dict keys
    sorted), and the function mapping such a vector back to the nest.

    >>> import ndgrad.autograd.numpy as np
    >>> v, unflatten = flatten({"w": np.ones((2, 2)), "b": [0.5, np.zeros(1)]})
    >>> v
    array([0.5, 0. , 1. , 1. , 1. , 1. ])
    >>> unflatten(v)["w"].shape
    (2, 2)
    """
    import ndgrad as np
    leaves = _leaves(value, [])
    flats = [np.ravel(np.asarray(l)) for l in leaves]
    shapes = [np.shape(l) for l in leaves]
    sizes = [int(f.shape[0]) for f in flats]
    vector = np.concatenate(flats) if flats else np.array([])

    def unflatten(vec):
        vec = np.asarray(vec)
        if vec.shape != (sum(sizes),):
            raise ValueError(f"unflatten needs a vector of shape ({sum(sizes)},); got "
                             f"{vec.shape}")
        parts, start = [], 0
        for shape, size in zip(shapes, sizes):
            parts.append(np.reshape(vec[start:start + size], shape))
            start += size
        return _rebuild(value, iter(parts))
    return vector, unflatten


def flatten_func(func, example):
    """``(flat_func, unflatten, flat_example)``: ``func`` taking a nest like ``example``,
    as a function of one flat vector (and any further arguments) returning one."""
    _ex, unflatten = flatten(example)

    def _func(_x, *args):
        return flatten(func(unflatten(_x), *args))[0]
    return _func, unflatten, _ex
