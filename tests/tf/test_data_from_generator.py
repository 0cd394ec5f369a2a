"""``tf.data.Dataset.from_generator`` (ndgrad/tf/dataset_ops.py): elements, dtypes, static
shapes, conversions and errors as TF 2.15's compat.v1 gives them (its outputs, recorded
from the same programs, are the expected values below); CS20's word2vec lecture reads its
batches this way (compat/tf_examples/suite_cs20.py)."""
import numpy as np
import pytest

import ndgrad.tf as tf


def _drain(ds, n=10, reps=2):
    """What ``n`` get_next runs give after each of ``reps`` initializations: values,
    'END' (OutOfRangeError) or the error's type."""
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    out = []
    with tf.Session() as s:
        for _ in range(reps):
            s.run(it.initializer)
            got = []
            for _ in range(n):
                try:
                    got.append(s.run(nxt))
                except tf.errors.OutOfRangeError:
                    got.append("END")
                    break
                except tf.errors.OpError as e:
                    got.append(type(e).__name__ + ": " + e.message)
                    break
            out.append(got)
    return nxt, out


def test_tuple_elements_dtypes_and_static_shapes():
    calls = []

    def gen():
        calls.append(1)
        for i in range(3):
            yield i, np.zeros([4, 1]) + i      # a float64 array asked for as int32: cast

    ds = tf.data.Dataset.from_generator(gen, (tf.int32, tf.int32),
                                        (tf.TensorShape([]), tf.TensorShape([4, 1])))
    assert ds.output_types == (tf.int32, tf.int32)
    assert [s.as_list() for s in ds.output_shapes] == [[], [4, 1]]
    (i, v), out = _drain(ds)
    assert i.shape.as_list() == [] and v.shape.as_list() == [4, 1]
    assert len(calls) == 2                      # called anew at each initialization
    for got in out:
        assert got[-1] == "END" and len(got) == 4
        for k, (a, b) in enumerate(got[:3]):
            assert a == k and a.dtype == np.int32
            assert b.dtype == np.int32 and b.shape == (4, 1) and (b == k).all()


def test_unknown_shapes_by_default_and_batching():
    def gen():
        for i in range(3):
            yield i, [float(i)] * (i + 1)
    ds = tf.data.Dataset.from_generator(gen, (tf.int64, tf.float64))
    assert [s.dims for s in ds.output_shapes] == [None, None]
    ds2 = tf.data.Dataset.from_generator(lambda: iter([(1, [1.0]), (2, [2.0])]),
                                         (tf.int32, tf.float64)).batch(2)
    _, out = _drain(ds2, reps=1)
    (a, b), end = out[0]
    assert a.tolist() == [1, 2] and b.tolist() == [[1.0], [2.0]] and end == "END"


def test_strings_dicts_and_args():
    _, out = _drain(tf.data.Dataset.from_generator(
        lambda: iter(["a", b"b", ["x", "yy"]]), tf.string), reps=1)
    assert [np.asarray(v).tolist() for v in out[0][:3]] == [b"a", b"b", [b"x", b"yy"]]

    def gen(n, m):
        for i in range(n):
            yield i * m
    _, out = _drain(tf.data.Dataset.from_generator(gen, tf.int64,
                                                   args=(3, tf.constant(10))), reps=1)
    assert out[0] == [0, 10, 20, "END"]
    ds = tf.data.Dataset.from_generator(lambda: iter([{"a": 1, "b": 2.5}, {"a": 1}]),
                                        {"a": tf.int64, "b": tf.float32})
    _, out = _drain(ds, reps=1)
    assert out[0][0] == {"a": 1, "b": 2.5}
    assert out[0][1].startswith("InvalidArgumentError: TypeError: `generator` yielded an "
                                "element that did not match the expected structure")


@pytest.mark.parametrize("value, dtype, expected", [
    # NumPy values: np.asarray(value, dtype), as TF (lossy, as a feed is)
    (np.array([1.5]), tf.int32, [1]),
    (np.float64(2.7), tf.int32, 2),
    (np.array([200], np.uint8), tf.int8, [-56]),
    (np.array([0, 2]), tf.bool, [False, True]),
    (3, tf.float32, 3.0),
    (True, tf.int32, 1),
    ([], tf.int32, []),            # (NumPy reads an empty list as float64: no value lost)
    # Python values by convert_to_tensor's rules: refused
    (2.0, tf.int32, "InvalidArgumentError"),
    ([1.0, 2.0], tf.int64, "InvalidArgumentError"),
    ("3", tf.int32, "InvalidArgumentError"),
    (1 + 2j, tf.float32, "InvalidArgumentError"),
    # a Python int out of range: refused here (TF 2.15 wraps it to 0 / 255 silently)
    (2 ** 40, tf.int32, "InvalidArgumentError"),
    (-1, tf.uint8, "InvalidArgumentError"),
])
def test_conversions(value, dtype, expected):
    _, out = _drain(tf.data.Dataset.from_generator(lambda: iter([value]), dtype), reps=1)
    got = out[0][0]
    if isinstance(expected, str):
        assert isinstance(got, str) and got.startswith(expected)
    else:
        assert np.asarray(got).dtype == np.dtype(dtype.as_numpy_dtype)
        assert np.asarray(got).tolist() == expected


def test_shape_and_structure_errors():
    ds = tf.data.Dataset.from_generator(lambda: iter([[1, 2], [1, 2, 3]]), tf.float32,
                                        tf.TensorShape([2]))
    _, out = _drain(ds, reps=1)
    assert out[0][0].tolist() == [1.0, 2.0]
    assert out[0][1] == ("InvalidArgumentError: ValueError: `generator` yielded an element "
                         "of shape (3,) where an element of shape (2,) was expected.")
    # a list where the structure is a tuple (TF's nest: not the same sequence type)
    _, out = _drain(tf.data.Dataset.from_generator(lambda: iter([[1, 2]]),
                                                   (tf.int32, tf.int32)), reps=1)
    assert out[0][0].startswith("InvalidArgumentError: TypeError: `generator` yielded")
    with pytest.raises(TypeError, match="callable"):
        tf.data.Dataset.from_generator([1, 2], tf.int32)
    with pytest.raises(TypeError, match="structure of `output_types`"):
        tf.data.Dataset.from_generator(lambda: iter([]), (tf.int32, tf.int32),
                                       tf.TensorShape([]))


def test_generator_error_is_reported_not_taken_for_the_end():
    """The generator's own exception is the run's error (TF's py_func mapping: an
    AttributeError is an UnknownError), not the end of the data: the session's search
    for the failing step once met the finished generator and reported OutOfRangeError,
    and CS20's word2vec then re-initialized forever without training."""
    def gen():
        yield 1
        raise AttributeError("no such thing")
    it = tf.data.Dataset.from_generator(gen, tf.int32).make_one_shot_iterator()
    x = it.get_next()
    with tf.Session() as s:
        assert s.run(x) == 1
        with pytest.raises(tf.errors.UnknownError, match="AttributeError: no such thing"):
            s.run(x)
        with pytest.raises(tf.errors.OutOfRangeError):
            s.run(x)

    def bad():
        yield from ()
        raise ValueError("bad value")
    x = tf.data.Dataset.from_generator(bad, tf.int32).make_one_shot_iterator().get_next()
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError, match="bad value"):
        s.run(x)


def test_eager_iteration():
    tf.enable_eager_execution()
    try:
        ds = tf.data.Dataset.from_generator(lambda: iter([(1, [2.0]), (3, [4.0])]),
                                            (tf.int32, tf.float32))
        got = [(int(a), np.asarray(b).tolist()) for a, b in ds]
    finally:
        tf.disable_eager_execution()
    assert got == [(1, [2.0]), (3, [4.0])]


def test_zeros_like_converts_inside_its_scope():
    """``tf.zeros_like(list)`` names its constant 'zeros_like/tensor', as TF: the user's
    next unnamed constant is 'Const' (CS20's 02_simple_tf prints the graph's names)."""
    g = tf.Graph()
    with g.as_default():
        tf.zeros_like([[0, 1]])
        tf.ones_like([1.5])
        c = tf.constant(0)
    names = [n.name for n in g.as_graph_def().node]
    assert names[:2] == ["zeros_like/tensor", "zeros_like"]
    assert names[2:4] == ["ones_like/tensor", "ones_like"]
    assert c.name == "Const:0"
