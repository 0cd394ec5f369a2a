"""``tf.data.TextLineDataset`` and ``TFRecordDataset`` against TensorFlow: the program
below printed this text under TF 2.15 (``tensorflow.compat.v1``): lines with ``\\r\\n``,
empty lines and no final newline, several files (one empty), GZIP text, TFRecord files
(empty records, ZLIB), ``map`` and ``batch`` over lines, file names fed to an
initializable iterator, a missing file's NotFoundError, and the element spec. ndgrad.tf
must print the same."""
import gzip
import os
import sys
import tempfile

from tf_printed import printed

PROGRAM = 'd = tempfile.mkdtemp()\np1, p2, p3 = (os.path.join(d, n) for n in ("a.txt", "b.txt.gz", "c.txt"))\nopen(p1, "wb").write(b"l1\\nl2\\r\\n\\nlast")\nwith gzip.open(p2, "wb") as f: f.write(b"g1\\ng2\\n")\nopen(p3, "wb").write(b"")\nr1, r2 = os.path.join(d, "r.tfrecord"), os.path.join(d, "r.tfrecord.z")\nwith tf.python_io.TFRecordWriter(r1) as w:\n    for x in (b"a", b"", b"ccc"): w.write(x)\nwith tf.python_io.TFRecordWriter(r2, options=tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.ZLIB)) as w:\n    w.write(b"zz")\ndef drain(ds):\n    nxt = ds.make_one_shot_iterator().get_next()\n    out = []\n    with tf.Session() as s:\n        try:\n            while True: out.append(s.run(nxt))\n        except tf.errors.OutOfRangeError: pass\n    return out\nprint(drain(tf.data.TextLineDataset(p1)))\nprint(drain(tf.data.TextLineDataset([p1, p3, p1])))\nprint(drain(tf.data.TextLineDataset(p2, compression_type="GZIP")))\nprint(drain(tf.data.TFRecordDataset([r1, r1])))\nprint(drain(tf.data.TFRecordDataset(r2, compression_type="ZLIB")))\nprint(drain(tf.data.TextLineDataset(p1).map(lambda l: tf.string_join([l, "!"])).batch(2)))\nfn = tf.placeholder(tf.string, [None])\nit = tf.data.TextLineDataset(fn).make_initializable_iterator()\nnx = it.get_next()\nwith tf.Session() as s:\n    s.run(it.initializer, {fn: [p1]}); print(s.run(nx))\n    try:\n        s.run(it.initializer, {fn: [os.path.join(d, "missing")]}); s.run(nx)\n    except Exception as e: print(type(e).__name__)\nprint(tf.data.TextLineDataset(p1).output_shapes, tf.data.TFRecordDataset(p1).output_types)\n'

TF_2_15_OUTPUT = "[b'l1', b'l2', b'', b'last']\n[b'l1', b'l2', b'', b'last', b'l1', b'l2', b'', b'last']\n[b'g1', b'g2']\n[b'a', b'', b'ccc', b'a', b'', b'ccc']\n[b'zz']\n[array([b'l1!', b'l2!'], dtype=object), array([b'!', b'last!'], dtype=object)]\nb'l1'\nNotFoundError\n() <dtype: 'string'>\n"


def test_file_datasets_print_what_tensorflow_prints():
    assert printed(PROGRAM, os=os, gzip=gzip, sys=sys, tempfile=tempfile) == TF_2_15_OUTPUT
