"""``tf.nest``: TF's nested structures (lists, tuples, named tuples and dicts of leaves):
flatten, pack_sequence_as, map_structure, assert_same_structure, is_nested.

As TensorFlow's: a dict's (any mapping's) values come in the order of its sorted keys and
are put back under the same keys; strings, arrays, tensors and None are leaves.
"""
from __future__ import annotations

import collections.abc as _abc

__all__ = ["flatten", "pack_sequence_as", "map_structure", "assert_same_structure",
           "is_nested", "is_sequence"]


def is_nested(seq):
    """Whether ``seq`` is a structure (a list, tuple or mapping), not a leaf.

    >>> import ndgrad.tf as tf
    >>> tf.nest.is_nested((1, [2])), tf.nest.is_nested("ab"), tf.nest.is_nested(None)
    (True, False, False)
    """
    return isinstance(seq, (list, tuple, _abc.Mapping))


is_sequence = is_nested   # (TF 1's name)


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys; got keys "
                        f"{list(mapping)!r}") from None


def _children(seq):
    if isinstance(seq, _abc.Mapping):
        return [seq[k] for k in _sorted_keys(seq)]
    return list(seq)


def flatten(structure, expand_composites=False):
    """The leaves of ``structure``, depth first (a dict's in sorted key order).

    >>> import ndgrad.tf as tf
    >>> tf.nest.flatten({"b": (1, 2), "a": [3, None]})
    [3, None, 1, 2]
    """
    if not is_nested(structure):
        return [structure]
    out = []
    for child in _children(structure):
        out.extend(flatten(child))
    return out


def _rebuild(seq, values):
    if isinstance(seq, _abc.Mapping):
        by_key = dict(zip(_sorted_keys(seq), values))
        result = {k: by_key[k] for k in seq}   # (the structure's own key order)
        if type(seq) is dict:
            return result
        try:
            return type(seq)(result)
        except TypeError:
            return type(seq)(**result)
    if isinstance(seq, tuple) and hasattr(seq, "_fields"):   # a named tuple
        return type(seq)(*values)
    return type(seq)(values)


def _pack(structure, flat, i):
    if not is_nested(structure):
        return flat[i], i + 1
    values = []
    for child in _children(structure):
        v, i = _pack(child, flat, i)
        values.append(v)
    return _rebuild(structure, values), i


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """``flat_sequence`` put back into the shape of ``structure``.

    >>> import ndgrad.tf as tf
    >>> tf.nest.pack_sequence_as({"b": (0, 0), "a": [0, 0]}, [1, 2, 3, 4])
    {'b': (3, 4), 'a': [1, 2]}
    """
    if not is_nested(flat_sequence):
        raise TypeError(f"flat_sequence must be a list or tuple; got {type(flat_sequence)!r}")
    flat = list(flat_sequence)
    n = len(flatten(structure))
    if n != len(flat):
        raise ValueError(f"Could not pack sequence. Structure had {n} elements, but "
                         f"flat_sequence had {len(flat)} elements. Structure: {structure!r}, "
                         f"flat_sequence: {flat_sequence!r}.")
    return _pack(structure, flat, 0)[0]


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raise ValueError when the two differ in nesting or number of elements, TypeError
    when ``check_types`` and the kinds of sequence differ.

    >>> import ndgrad.tf as tf
    >>> tf.nest.assert_same_structure((1, [2]), (3, [4]))
    >>> tf.nest.assert_same_structure((1, [2]), (3, 4))
    Traceback (most recent call last):
    ...
    ValueError: The two structures don't have the same nested structure.
    <BLANKLINE>
    First structure: (1, [2])
    <BLANKLINE>
    Second structure: (3, 4)
    """
    def walk(a, b):
        na, nb = is_nested(a), is_nested(b)
        if na != nb or (na and len(a) != len(b)):
            raise ValueError("The two structures don't have the same nested structure.\n\n"
                             f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")
        if not na:
            return
        if check_types:
            ta, tb = type(a), type(b)
            if ta is not tb and not (isinstance(a, _abc.Mapping) and
                                     isinstance(b, _abc.Mapping)):
                raise TypeError("The two structures don't have the same sequence type. "
                                f"First structure has type {ta!r}, while second structure "
                                f"has type {tb!r}.")
        if isinstance(a, _abc.Mapping):
            if set(a) != set(b):
                raise ValueError("The two dictionaries don't have the same set of keys. "
                                 f"First structure has keys {sorted(a)}, while second "
                                 f"structure has keys {sorted(b)}.")
        for x, y in zip(_children(a), _children(b)):
            walk(x, y)
    walk(nest1, nest2)


def map_structure(func, *structure, **kwargs):
    """``func`` applied to the corresponding leaves of one or more structures of the same
    shape, in that shape.

    >>> import ndgrad.tf as tf
    >>> tf.nest.map_structure(lambda a, b: a + b, (1, {"x": 2}), (10, {"x": 20}))
    (11, {'x': 22})
    """
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: {sorted(kwargs)}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flat = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*flat)])
