"""TF's string ops (string_ops.py) against TensorFlow: the program below printed this
text under TF 2.15 (``tensorflow.compat.v1``): string_join, reduce_join over each axis
and several (TF's order), as_string's printf forms, substr, strip, lower/upper (ASCII
and UTF-8), length in bytes and characters, regex_replace (groups, first match only),
regex_full_match, string_split (delimiter sets, empty delimiter, skip_empty) and the
errors' types. ndgrad.tf must print the same."""

import numpy as np
import pytest

import ndgrad.tf as tf
from tf_printed import printed

PROGRAM = 'a = tf.constant([["ab", "Cd"], ["  e f ", "ÄÖ"]])\nouts = [tf.string_join([a, "x", a], separator="|"), tf.string_join(["p", "q"]),\n        tf.reduce_join(a), tf.reduce_join(a, axis=0, separator=","), tf.reduce_join(a, axis=-1, keep_dims=True),\n        tf.reduce_join(a, axis=[0, 1], separator="."),\n        tf.as_string([1.5, -2.25, 1e10]), tf.as_string([1.5, 1e-7], precision=3, scientific=True),\n        tf.as_string([1.5, 123456.0, 1e-7], shortest=True), tf.as_string([3, -42], width=5, fill="0"),\n        tf.as_string([True, False]), tf.as_string(tf.constant([7], tf.int64), width=4),\n        tf.substr(["hello", "world"], 1, 3), tf.substr(["hello", "hi"], [0, 1], [2, 5]),\n        tf.string_strip(a), tf.strings.lower(a), tf.strings.upper(a), tf.strings.lower(a, encoding="utf-8"),\n        tf.strings.length(a), tf.strings.length(a, unit="UTF8_CHAR"),\n        tf.regex_replace(a, "[a-z]", "#"), tf.regex_replace(["aaa"], "a", "b", replace_global=False),\n        tf.regex_replace(["x12y345"], r"(\\d)(\\d)", r"\\2\\1"), tf.strings.regex_full_match(a, "[a-zA-Z]+")]\nfor o in outs: print(o.shape, o.dtype)\nsp = tf.string_split(["a b  c", "", "de"])\nsp2 = tf.string_split(["a,b;c"], delimiter=",;")\nsp3 = tf.string_split(["ab c"], delimiter="")\nsp4 = tf.string_split(["a  b"], skip_empty=False)\nwith tf.Session() as s:\n    for r in s.run(outs):\n        print(np.asarray(r).tolist())\n    for q in (sp, sp2, sp3, sp4):\n        v = s.run(q)\n        print(v.indices.tolist(), v.values.tolist(), v.dense_shape.tolist())\n    for f in [lambda: tf.substr(["ab"], 3, 1), lambda: tf.string_join([["a", "b"], ["c"]])]:\n        try: s.run(f()); print("no error")\n        except Exception as e: print(type(e).__name__)\n'

TF_2_15_OUTPUT = "(2, 2) <dtype: 'string'>\n() <dtype: 'string'>\n() <dtype: 'string'>\n(2,) <dtype: 'string'>\n(2, 1) <dtype: 'string'>\n() <dtype: 'string'>\n(3,) <dtype: 'string'>\n(2,) <dtype: 'string'>\n(3,) <dtype: 'string'>\n(2,) <dtype: 'string'>\n(2,) <dtype: 'string'>\n(1,) <dtype: 'string'>\n(2,) <dtype: 'string'>\n(2,) <dtype: 'string'>\n(2, 2) <dtype: 'string'>\n(2, 2) <dtype: 'string'>\n(2, 2) <dtype: 'string'>\n(2, 2) <dtype: 'string'>\n(2, 2) <dtype: 'int32'>\n(2, 2) <dtype: 'int32'>\n(2, 2) <dtype: 'string'>\n(1,) <dtype: 'string'>\n(1,) <dtype: 'string'>\n(2, 2) <dtype: 'bool'>\n[[b'ab|x|ab', b'Cd|x|Cd'], [b'  e f |x|  e f ', b'\\xc3\\x84\\xc3\\x96|x|\\xc3\\x84\\xc3\\x96']]\nb'pq'\nb'abCd  e f \\xc3\\x84\\xc3\\x96'\n[b'ab,  e f ', b'Cd,\\xc3\\x84\\xc3\\x96']\n[[b'abCd'], [b'  e f \\xc3\\x84\\xc3\\x96']]\nb'ab.  e f .Cd.\\xc3\\x84\\xc3\\x96'\n[b'1.500000', b'-2.250000', b'10000000000.000000']\n[b'1.500e+00', b'1.000e-07']\n[b'1.5', b'123456', b'1e-07']\n[b'00003', b'-0042']\n[b'true', b'false']\n[b'   7']\n[b'ell', b'orl']\n[b'he', b'i']\n[[b'ab', b'Cd'], [b'e f', b'\\xc3\\x84\\xc3\\x96']]\n[[b'ab', b'cd'], [b'  e f ', b'\\xc3\\x84\\xc3\\x96']]\n[[b'AB', b'CD'], [b'  E F ', b'\\xc3\\x84\\xc3\\x96']]\n[[b'ab', b'cd'], [b'  e f ', b'\\xc3\\xa4\\xc3\\xb6']]\n[[2, 2], [6, 4]]\n[[2, 2], [6, 2]]\n[[b'##', b'C#'], [b'  # # ', b'\\xc3\\x84\\xc3\\x96']]\n[b'baa']\n[b'x21y435']\n[[True, True], [False, False]]\n[[0, 0], [0, 1], [0, 2], [2, 0]] [b'a', b'b', b'c', b'de'] [3, 3]\n[[0, 0], [0, 1], [0, 2]] [b'a', b'b', b'c'] [1, 3]\n[[0, 0], [0, 1], [0, 2], [0, 3]] [b'a', b'b', b' ', b'c'] [1, 4]\n[[0, 0], [0, 1], [0, 2]] [b'a', b'', b'b'] [1, 3]\nInvalidArgumentError\nValueError\n"


def test_string_ops_print_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_an_empty_string_array_keeps_its_shape():
    """convert_to_tensor(dtype=tf.string) of a NumPy array went through tolist(), which
    turns an empty (0, 1) array into [] (shape (0,)): reduce_join over axis 1 then
    raised, and any op saw the wrong rank."""
    with tf.Graph().as_default(), tf.Session() as s:
        for shape in [(0, 1), (2, 0), (0,)]:
            t = tf.convert_to_tensor(np.zeros(shape, dtype=str), dtype=tf.string)
            assert t.shape.as_list() == list(shape)
            assert s.run(t).shape == shape
        i = np.zeros([0, 1], dtype=str)
        assert s.run(tf.reduce_join(i, axis=0)).tolist() == [b""]
        assert s.run(tf.reduce_join(i, axis=1)).shape == (0,)


def test_arguments_that_cannot_fit_are_refused():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Invalid reduction dimension -3"):
            tf.reduce_join([[""]], axis=-3)
        with pytest.raises(ValueError, match="Cannot select both"):
            tf.as_string([1.0], scientific=True, shortest=True)
        with pytest.raises(ValueError, match="same shape"):
            tf.substr(["ab", "cd"], [0, 1], [1])
        with pytest.raises(TypeError, match="int32 or int64"):
            tf.substr(["ab"], 0.5, 1)
        with pytest.raises(ValueError, match="scalar string"):
            tf.string_split(["a|b"], delimiter=["|", ""])
        with pytest.raises(ValueError, match="Attr 'unit'"):
            tf.strings.length(["a"], unit="XYZ")
        with tf.Session() as s:
            with pytest.raises(tf.errors.InvalidArgumentError, match="scientific and shortest"):
                s.run(tf.as_string([1, 2], shortest=True))


def test_numpy_str_arrays_and_fed_str_are_utf8_bytes_as_in_tensorflow():
    """(A TF file-format fuzz: tf.Variable of a NumPy str array raised KeyError
    dtype('<U2'); tf.constant of one held str, so it printed 'é' where TF prints
    b'\\xc3\\xa9'; a fed str came out of identity as str.) The values are TF 2.15's."""
    a = np.array(["ab", "\u00e9"])
    want = [b"ab", "\u00e9".encode()]
    c = tf.constant(a)
    v = tf.Variable(a)
    s = tf.constant(np.str_("q"))
    b = tf.constant(np.array([b"x\xff"]))
    assert c.dtype == tf.string and v.dtype.base_dtype == tf.string
    p = tf.placeholder(tf.string)
    p2 = tf.placeholder(tf.string, [2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for got in (sess.run(c), sess.run(v)):
            assert got.dtype == object and list(got) == want
        assert sess.run(s) == b"q"
        assert list(sess.run(b)) == [b"x\xff"] and type(sess.run(b)[0]) is bytes
        assert sess.run(tf.identity(p), {p: "\u00e9"}) == want[1]
        assert list(sess.run(tf.identity(p), {p: a})) == want
        assert list(sess.run(tf.identity(p2), {p2: a.astype(object)})) == want
        assert list(sess.run(tf.strings.length(p), {p: a})) == [2, 2]
    with pytest.raises(TypeError, match=r"datetime64|<M8"):
        tf.constant(np.array(["2020-01-01"], "datetime64[D]"))
