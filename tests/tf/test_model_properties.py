"""Hypothesis-drawn inputs (empty dims, NaN/inf, every integer sign) for the ops TF1 model
code needs: reverse_sequence, even split of a run-time dim, truncatediv/truncatemod,
in_top_k, segment sums, and sequence lengths in dynamic_rnn, against NumPy."""
import math

import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad.tf as tf


def _run(fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(fetches, feed)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 4), st.integers(0, 5), st.integers(1, 3), st.data())
def test_reverse_sequence_reverses_each_prefix(batch, time, depth, data):
    tf.reset_default_graph()
    x = np.arange(batch * time * depth, dtype=np.float32).reshape(batch, time, depth)
    lengths = np.array(data.draw(st.lists(st.integers(0, time), min_size=batch,
                                          max_size=batch)), dtype=np.int64)
    p = tf.placeholder(tf.float32, [None, None, depth])
    y = tf.reverse_sequence(p, lengths, seq_axis=1, batch_axis=0)
    twice = tf.reverse_sequence(y, lengths, seq_axis=1, batch_axis=0)
    yv, tv = _run([y, twice], {p: x})
    want = x.copy()
    for b, n in enumerate(lengths):
        want[b, :n] = x[b, :n][::-1]
    np.testing.assert_array_equal(yv, want)
    np.testing.assert_array_equal(tv, x)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(0, 4), st.integers(1, 3))
def test_even_split_of_a_runtime_dim_concatenates_back(n, per, cols):
    tf.reset_default_graph()
    x = np.random.RandomState(n).randn(n * per, cols).astype(np.float32)
    p = tf.placeholder(tf.float32, [None, cols])
    parts = tf.split(p, n, 0)
    got = _run(parts + [tf.concat(parts, 0)], {p: x})
    for i, part in enumerate(got[:-1]):
        np.testing.assert_array_equal(part, x[i * per:(i + 1) * per])
    np.testing.assert_array_equal(got[-1], x)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.int32, 6, elements=st.integers(-50, 50)),
       hnp.arrays(np.int32, 6, elements=st.integers(-9, 9).filter(bool)))
def test_truncated_integer_division_is_cs(a, b):
    tf.reset_default_graph()
    q, r = _run([tf.truncatediv(a, b), tf.truncatemod(a, b)])
    want_q = [int(x / y) for x, y in zip(a.tolist(), b.tolist())]
    want_r = [int(math.fmod(x, y)) for x, y in zip(a.tolist(), b.tolist())]
    assert q.tolist() == want_q and r.tolist() == want_r
    assert (q * b + r).tolist() == a.tolist()


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float32, (3, 4), elements=st.sampled_from(
    [0.0, -0.0, 1.0, 2.0, -1.0, np.inf, -np.inf, np.nan])),
    st.lists(st.integers(0, 3), min_size=3, max_size=3), st.integers(0, 5))
def test_in_top_k_against_a_direct_count(pred, targets, k):
    tf.reset_default_graph()
    got = _run(tf.nn.in_top_k(pred, targets, k))
    for row, t, g in zip(pred, targets, got):
        want = bool(np.all(np.isfinite(row)) and np.sum(row > row[t]) < k)
        assert g == want


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 6), st.integers(1, 4), st.data())
def test_unsorted_segment_sum_matches_add_at(n, segments, data):
    tf.reset_default_graph()
    ids = np.array(data.draw(st.lists(st.integers(-1, segments - 1), min_size=n,
                                      max_size=n)), dtype=np.int32)
    x = np.random.RandomState(n).randn(n, 2).astype(np.float32)
    want = np.zeros((segments, 2), np.float32)
    for i, s in enumerate(ids):
        if s >= 0:
            want[s] += x[i]
    p = tf.placeholder(tf.float32, [None, 2])
    out = tf.unsorted_segment_sum(p, ids, segments)
    g = tf.gradients(tf.reduce_sum(out * np.arange(1, 2 * segments + 1, dtype=np.float32)
                                   .reshape(segments, 2)), p)[0]
    ov, gv = _run([out, g], {p: x})
    np.testing.assert_allclose(ov, want, rtol=1e-6, atol=1e-6)
    weights = np.arange(1, 2 * segments + 1, dtype=np.float32).reshape(segments, 2)
    want_g = np.where(ids[:, None] >= 0, weights[np.clip(ids, 0, None)], 0)
    np.testing.assert_array_equal(gv, want_g)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_dynamic_rnn_lengths_equal_running_each_sequence_alone(batch, time, data):
    """With sequence_length, each row's outputs and final state are those of running
    the cell over that row's valid prefix alone (and zero beyond it)."""
    tf.reset_default_graph()
    lengths = data.draw(st.lists(st.integers(0, time), min_size=batch, max_size=batch))
    x = np.random.RandomState(time).randn(batch, time, 2).astype(np.float32)
    p = tf.placeholder(tf.float32, [None, None, 2])
    seq = tf.placeholder(tf.int32, [None])
    cell = tf.nn.rnn_cell.GRUCell(3)
    out, st_ = tf.nn.dynamic_rnn(cell, p, sequence_length=seq, dtype=tf.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        ov, sv = s.run([out, st_], {p: x, seq: lengths})
        for b, n in enumerate(lengths):
            if n == 0:
                np.testing.assert_array_equal(sv[b], 0)
                continue
            o1, s1 = s.run([out, st_], {p: x[b:b + 1, :n], seq: [n]})
            np.testing.assert_allclose(ov[b, :n], o1[0], rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(sv[b], s1[0], rtol=1e-5, atol=1e-6)
    for b, n in enumerate(lengths):
        np.testing.assert_array_equal(ov[b, n:], 0)
