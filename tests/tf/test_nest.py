"""``tf.nest`` against TensorFlow: the program below printed this text under TF 2.15
(``import tensorflow as tf``); ndgrad.tf must print the same (dict keys sorted, named
tuples and OrderedDicts rebuilt, strings and None leaves, TF's error types)."""
import collections

from tf_printed import printed

PROGRAM = 'P = collections.namedtuple("P", "x y")\nod = collections.OrderedDict([("z", 1), ("a", 2)])\ncases = [{"b": (1, 2), "a": [3, None]}, P(1, [2, 3]), od, "str", None, [], (1,), {"k": {"j": 1, "i": 2}}]\nfor c in cases:\n    f = tf.nest.flatten(c); print(repr(c), f)\n    print("  pack", tf.nest.pack_sequence_as(c, [x for x in range(100, 100 + len(f))]))\nprint(tf.nest.map_structure(lambda a, b: a + b, (1, {"x": 2}), (10, {"x": 20})))\nfor a, b, ct in [((1, [2]), (3, 4), True), ((1, 2), [1, 2], True), ((1, 2), [1, 2], False), ({"a": 1}, {"b": 1}, True), (P(1, 2), (1, 2), True)]:\n    try: tf.nest.assert_same_structure(a, b, check_types=ct); print("ok")\n    except Exception as e: print(type(e).__name__)\nprint(tf.nest.is_nested("ab"), tf.nest.is_nested(od))\ntry: tf.nest.pack_sequence_as((1, 2), [1])\nexcept Exception as e: print(type(e).__name__)\n'

TF_2_15_OUTPUT = "{'b': (1, 2), 'a': [3, None]} [3, None, 1, 2]\n  pack {'b': (102, 103), 'a': [100, 101]}\nP(x=1, y=[2, 3]) [1, 2, 3]\n  pack P(x=100, y=[101, 102])\nOrderedDict([('z', 1), ('a', 2)]) [2, 1]\n  pack OrderedDict([('z', 101), ('a', 100)])\n'str' ['str']\n  pack 100\nNone [None]\n  pack 100\n[] []\n  pack []\n(1,) [1]\n  pack (100,)\n{'k': {'j': 1, 'i': 2}} [2, 1]\n  pack {'k': {'j': 101, 'i': 100}}\n(11, {'x': 22})\nValueError\nTypeError\nok\nValueError\nTypeError\nFalse True\nValueError\n"


def _ordered_dict_reprs_as_3_11(text):
    """TF 2.15 printed under Python 3.11; from 3.12 Python writes ``OrderedDict({...})``
    for what 3.11 wrote ``OrderedDict([...])`` (the same object)."""
    import re
    return re.sub(r"OrderedDict\(\{(.*?)\}\)",
                  lambda m: "OrderedDict([" + ", ".join(
                      f"({k}, {v})" for k, v in re.findall(r"('[^']*'): ([^,]+)", m[1]))
                  + "])", text)


def test_nest_prints_what_tensorflow_prints():
    got = _ordered_dict_reprs_as_3_11(printed(PROGRAM, collections=collections))
    assert got == TF_2_15_OUTPUT
