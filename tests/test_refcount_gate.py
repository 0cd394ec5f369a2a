"""Reference counts decide that a buffer is nobody else's only where they are exact.

ndgrad writes into a buffer in place (a dead temporary's, an optimizer's ``p -= lr * g``,
a session's variable update) when ``sys.getrefcount`` proves that nothing else holds
it. The counts those proofs expect are CPython 3.11-3.13's. On 3.14 a local passed to
a C function is a borrowed reference (LOAD_FAST_BORROW), so every count is one less:
``sole_owner`` returned False for an array alone and True for one whose buffer a list
held (measured on 3.14.10). ``sharing._COUNTS`` is the one flag every such proof checks;
these tests pin its premise on the interpreter they run on.
"""
from __future__ import annotations

import sys

import numpy as np

import ndgrad as nd
from ndgrad._ops import registry, sharing
from ndgrad._ops.registry import sole_owner
from ndgrad.graph import session


def _count_of_a_local():
    x = object()
    return sys.getrefcount(x)   # the local and the argument, where counts are exact


def test_the_flag_holds_exactly_where_a_local_counts_as_the_proofs_expect():
    if sharing._COUNTS:
        assert _count_of_a_local() == 2
    # one flag: buffer reuse and the sharing checks agree
    assert registry._REUSE is sharing._COUNTS


def test_sole_owner_never_claims_a_buffer_another_object_holds():
    a = nd.asarray(np.array([1.0, 2.0, 3.0]))
    holders = [
        lambda: [a._data],                       # a list holds the buffer
        lambda: np.asarray(a),                   # NumPy code has it
        lambda: a._data[1:],                     # a view of it
    ]
    for make in holders:
        held = make()
        assert not sole_owner(a), held
        del held
    # alone: proven only where counts are exact, never elsewhere
    assert sole_owner(a) is bool(sharing._COUNTS)


def test_session_commits_count_only_where_counts_are_exact():
    x = object()
    if sharing._COUNTS:
        assert session._getrefcount(x) == sys.getrefcount(x)
    else:
        assert session._getrefcount(x) == -1   # never "alone": a new array


def test_an_update_after_value_and_grad_keeps_what_a_live_rule_saved():
    """The write the saved mark guards: the aux's multiply saved the input's buffer."""
    p = nd.asarray(np.array([0.5, 1.0, 2.0]))
    w = nd.asarray(np.array([1.0, 1.0, 1.0]), requires_grad=True)

    def f(q):
        return nd.sum(q * q), nd.sum(q * w)

    (v, aux), g = nd.value_and_grad(f, has_aux=True)(p)
    np.testing.assert_array_equal(np.asarray(g), [1.0, 2.0, 4.0])
    p -= 10.0
    aux.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [0.5, 1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(p), [-9.5, -9.0, -8.0])
