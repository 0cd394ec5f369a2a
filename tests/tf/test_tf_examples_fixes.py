"""Fixes found by running aymericdamien/TensorFlow-Examples' TF1 programs under ndgrad.tf
and TensorFlow side by side (compat/tf_examples/run.py); each compares with TF 2.21's
``compat.v1`` (its numbers written in as constants, and run again when NDGRAD_TF_PYTHON
is set)."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

# -- variable-scope names on re-entry ----------------------------------------------------
# Source run by both sides: the names of default-named subscopes (as tf.layers makes them)
# when a scope is entered again, by name and as a VariableScope object.
SCOPES = r'''
def scope_names(tf):
    names = []
    def s():
        with tf.variable_scope(None, default_name="s") as sc:
            names.append(sc.name)
            with tf.variable_scope(None, default_name="t") as sc2:
                names.append(sc2.name)
    with tf.Graph().as_default():
        for _ in range(2):
            with tf.variable_scope("A"):
                s(); s()
        with tf.variable_scope("B") as b:
            s()
        for _ in range(2):
            with tf.variable_scope(b):
                s()
        for _ in range(2):
            with tf.variable_scope(None, default_name="top"):
                s()
        with tf.variable_scope("C"):
            with tf.variable_scope("D"):
                s()
            with tf.variable_scope("D"):
                s()
            s()
        with tf.variable_scope("A"):
            with tf.variable_scope(b):
                s()
            s()
    return names


def shared_network(tf, np):
    """dcgan.py's pattern: a network built twice in one scope, the second time with
    reuse=True, must find the first one's variables (layers named dense, dense_1 again)."""
    with tf.Graph().as_default():
        def net(x, reuse=False):
            with tf.variable_scope("Discriminator", reuse=reuse):
                x = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(0.5))
                x = tf.layers.dense(x, 2, kernel_initializer=tf.constant_initializer(0.25))
            return x
        x = tf.placeholder(tf.float32, [None, 4])
        a, b = net(x), net(x * 2.0, reuse=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            va, vb = sess.run([a, b], {x: np.ones((1, 4), np.float32)})
        return [v.name for v in tf.global_variables()], va.tolist(), vb.tolist()
'''
_S = {}
exec(SCOPES, _S)

# TF 2.21 (tensorflow.compat.v1, disable_v2_behavior), SCOPES' scope_names(tf):
TF_SCOPE_NAMES = [
    'A/s', 'A/s/t', 'A/s_1', 'A/s_1/t', 'A/s', 'A/s/t', 'A/s_1', 'A/s_1/t',
    'B/s', 'B/s/t', 'B/s', 'B/s/t', 'B/s', 'B/s/t', 'top/s', 'top/s/t', 'top_1/s',
    'top_1/s/t', 'C/D/s', 'C/D/s/t', 'C/D/s', 'C/D/s/t', 'C/s', 'C/s/t', 'B/s', 'B/s/t',
    'A/s', 'A/s/t']


def test_reentered_scopes_name_their_subscopes_as_tensorflow():
    """Leaving a scope resets its subscopes' counts (TF's close_variable_subscopes); a
    VariableScope object's entry restores the counts it found. ndgrad.tf counted on:
    the second ``with variable_scope("A")`` named its subscope ``A/s_2`` (TF: ``A/s``)."""
    assert _S["scope_names"](tf) == TF_SCOPE_NAMES


def test_a_network_built_again_with_reuse_finds_its_variables():
    """Before: ``Variable Discriminator/dense_2/kernel does not exist`` (dcgan.py and
    multigpu_cnn.py stopped there)."""
    names, va, vb = _S["shared_network"](tf, np)
    assert names == ["Discriminator/dense/kernel:0", "Discriminator/dense/bias:0",
                     "Discriminator/dense_1/kernel:0", "Discriminator/dense_1/bias:0"]
    np.testing.assert_allclose(va, [[1.5, 1.5]])  # 4 * 0.5 = 2 per unit, 3 * 2 * 0.25
    np.testing.assert_allclose(vb, [[3.0, 3.0]])


def test_reentering_a_scope_and_recreating_a_default_named_subscope_collides():
    """TF raises here (the second ``A/s/v``); ndgrad.tf silently made ``A/s_2/v``."""
    with tf.variable_scope("A"):
        with tf.variable_scope(None, default_name="s"):
            tf.get_variable("v", [1])
    with tf.variable_scope("A"):
        with tf.variable_scope(None, default_name="s"):
            with pytest.raises(ValueError, match="A/s/v already exists"):
                tf.get_variable("v", [1])


ORACLE = """
import json, os, sys
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
exec(open(sys.argv[1]).read())
print(json.dumps([scope_names(tf), shared_network(tf, np)]))
"""


def test_scope_names_oracle(tmp_path, tf_python):
    src = tmp_path / "scopes.py"
    src.write_text(SCOPES)
    r = subprocess.run([tf_python, "-c", ORACLE, str(src)], check=True, capture_output=True,
                       text=True)
    names, net = json.loads(r.stdout.strip().splitlines()[-1])
    assert names == TF_SCOPE_NAMES == _S["scope_names"](tf)
    assert [list(x) if isinstance(x, tuple) else x for x in _S["shared_network"](tf, np)] \
        == net


# -- strings out of a gather; images of unknown size (build_an_image_dataset.py) ---------

def test_a_string_taken_out_of_a_string_tensor_is_a_string_tensor():
    """``tf.gather(strings, i)`` (as ``slice_input_producer`` makes) had dtype ``|S7``,
    not ``string``, and ``tf.read_file`` of it failed with ``KeyError: dtype('S7')``."""
    b = tf.constant([b"a/b.jpg", b"cc"])
    g = tf.gather(b, 1)
    assert g.dtype == tf.string and g._np_dtype == np.dtype(object)
    with tf.Session() as sess:
        got = sess.run(g)
        assert type(got) is bytes and got == b"cc"  # TF's; was a 0-d |S2 array
        producer = tf.train.slice_input_producer([b, tf.constant([1, 2])], shuffle=False)
        assert producer[0].dtype == tf.string


# a 12x10 RGB JPEG (Pillow, quality 85), base64
JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wAARCAAMAAoDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCt4Y+Emm6p4S/tBtUvHuLvThJGw2MqO6O8cYj2kvhX6MRkHOVwQfI7bRrFreNpDp7OUBYvZSFicckkHBNdVb+MPEmm6BYeH7LVZobCRFicKAHKHYm3eBuACuQuDlcDGMV5W/ifUbZjbx4CRHYoE0w4HA4DgD8KzqV1SV2rNvpdbad/IUXGm/ev8nb8d2f/2Q=="
# TF 2.21: decode_jpeg(JPEG, channels=3, dct_method="INTEGER_ACCURATE"), uint8 bytes (hex);
# TF's default dct_method "" (fast IDCT) differs from it by up to 4 levels
TF_ACCURATE = "3e3b2c4e4e4450535809160c556d3b2e4b15475a46101b1d322f401d152c30382d2e34304c535b28332f3c4d23314215566151494e51282631403c4b38565400181c293647171e2665684d504f30554e46191315202022484c4d3953602a3f52909bb7b0b3c689897de5e2d1b9b3b72a27321a1f252b35373f3b5eadabd0bdbae58d8eadb3bac0808c8cc0c8db99a3be343e594b576f584b65a298b3c4bfdd878ca0a6b4b4d8eaeadae9fc7c87a3333856575a79343024c2c3b5b6bcb0bbc8b6bfd1b7c2d3c0a9b3b49897a53e3145503e56293217bac4a9818e70b3c2a3d7e4c89aa390d0cfcdd1c7d04a3546573e51031b0bacc1ae889780a7af9ae2dfd8d3c8ccccbcc9a592a52a192b62516324373334453ba2ae9ad4d6c8beb5b89f919ebdafbe190c1d2c263237363e373239403c3b62614f68675559575834343c383d41596364293833394d4442323f685c5e5e57455b5a46333335484f57162424566b64142f20072412"
# TF 2.21: resize_images of that image fed through a placeholder (unknown height and
# width), to [5, 7]: bilinear (rounded to 4 decimals) and nearest neighbour
TF_RESIZE = [[[62.0, 59.0, 44.0], [78.85710144042969, 80.14289855957031, 76.57140350341797], [19.142900466918945, 30.71430015563965, 22.857099533081055], [73.8572006225586, 99.28569793701172, 48.14289855957031], [63.857200622558594, 85.71430206298828, 56.0], [20.857200622558594, 29.857200622558594, 34.0], [38.0, 32.14289855957031, 52.5713996887207]], [[56.400001525878906, 84.80000305175781, 88.80000305175781], [44.8286018371582, 63.08570098876953, 77.97139739990234], [83.91429901123047, 90.28569793701172, 103.97139739990234], [122.31430053710938, 123.08570098876953, 100.82859802246094], [129.17140197753906, 123.94290161132812, 114.4000015258789], [31.485700607299805, 27.657100677490234, 32.97140121459961], [47.20000076293945, 51.714298248291016, 54.057098388671875]], [[83.0, 71.80000305175781, 99.5999984741211], [177.22860717773438, 170.4571990966797, 201.0], [144.5428009033203, 147.48570251464844, 171.17140197753906], [177.1143035888672, 190.914306640625, 191.77139282226562], [208.68569946289062, 223.1999969482422, 236.77139282226562], [118.57140350341797, 128.68569946289062, 156.71420288085938], [70.28569793701172, 75.5999984741211, 105.11430358886719]], [[33.400001525878906, 45.400001525878906, 20.600000381469727], [160.57139587402344, 173.28570556640625, 146.51429748535156], [170.0, 183.57139587402344, 154.62860107421875], [202.39999389648438, 210.82859802246094, 189.71429443359375], [195.2572021484375, 193.82859802246094, 190.42860412597656], [181.25709533691406, 168.25709533691406, 180.14280700683594], [79.94280242919922, 57.91429901123047, 76.02860260009766]], [[47.400001525878906, 52.0, 54.599998474121094], [86.80000305175781, 91.11430358886719, 80.42859649658203], [143.82850646972656, 144.60000610351562, 127.85710144042969], [119.51419830322266, 114.48570251464844, 118.62850189208984], [105.08570098876953, 101.62850189208984, 110.48570251464844], [60.37139892578125, 62.0, 68.5999984741211], [50.20000076293945, 59.657100677490234, 59.1713981628418]]]
TF_NEAREST = [[[62, 59, 44], [78, 78, 68], [80, 83, 88], [85, 109, 59], [46, 75, 21], [16, 27, 29], [50, 47, 64]], [[56, 86, 84], [0, 24, 28], [41, 54, 71], [101, 104, 77], [80, 79, 48], [25, 19, 21], [32, 32, 34]], [[63, 59, 94], [173, 171, 208], [189, 186, 229], [179, 186, 192], [128, 140, 140], [153, 163, 190], [52, 62, 89]], [[41, 50, 23], [186, 196, 169], [129, 142, 112], [215, 228, 200], [154, 163, 144], [209, 199, 208], [74, 53, 70]], [[36, 55, 51], [52, 69, 59], [162, 174, 154], [190, 181, 184], [159, 145, 158], [25, 12, 29], [44, 38, 50]]]


def _jpeg():
    import base64
    pytest.importorskip("PIL")
    return base64.b64decode(JPEG)


def test_decode_jpeg_gives_tensorflows_accurate_idct_values():
    data = _jpeg()
    want = np.frombuffer(bytes.fromhex(TF_ACCURATE), np.uint8).reshape([12, 10, 3])
    with tf.Session() as sess:
        for method in ("INTEGER_ACCURATE", ""):
            got = sess.run(tf.image.decode_jpeg(tf.constant(data), channels=3,
                                                dct_method=method))
            np.testing.assert_array_equal(got, want)


def test_decode_jpeg_refuses_what_it_cannot_decode_as_tensorflow():
    """The fast IDCT and plain upsampling were ignored: other pixels than TF's."""
    with pytest.raises(ValueError, match="INTEGER_FAST"):
        tf.image.decode_jpeg(tf.constant(b""), dct_method="INTEGER_FAST")
    with pytest.raises(ValueError, match="fancy_upscaling"):
        tf.image.decode_jpeg(tf.constant(b""), fancy_upscaling=False)


def test_resize_images_of_unknown_height_and_width():
    """resize_images needed a static height and width (``must be known statically``); a
    decoded image has neither. The interpolation now follows the run-time shape."""
    data = _jpeg()
    p = tf.placeholder(tf.string, [])
    img = tf.image.decode_jpeg(p, channels=3)
    assert img.shape.as_list() == [None, None, 3]
    r = tf.image.resize_images(img, [5, 7])
    rn = tf.image.resize_images(img, [5, 7], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    assert r.shape.as_list() == [5, 7, 3] and rn.shape.as_list() == [5, 7, 3]
    x = tf.placeholder(tf.float32, [None, None, 3])
    gx = tf.gradients(tf.reduce_sum(tf.image.resize_images(x, [5, 7]) ** 2), x)[0]
    xs = tf.placeholder(tf.float32, [12, 10, 3])
    gs = tf.gradients(tf.reduce_sum(tf.image.resize_images(xs, [5, 7]) ** 2), xs)[0]
    with tf.Session() as sess:
        got, got_n = sess.run([r, rn], {p: data})
        # TF_RESIZE is rounded to 4 decimals (5e-5) and float32 near 150 has ulps of 1.5e-5
        np.testing.assert_allclose(got, TF_RESIZE, rtol=0, atol=1.2e-4)
        np.testing.assert_array_equal(got_n, TF_NEAREST)
        v = np.random.RandomState(0).rand(12, 10, 3).astype(np.float32)
        np.testing.assert_allclose(*sess.run([gx, gs], {x: v, xs: v}), rtol=1e-6)
