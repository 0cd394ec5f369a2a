"""tf.image.decode_png / decode_jpeg give TensorFlow's pixel values where Pillow's own
conversions do not: RGB to gray (libpng's fixed-point weights; libjpeg's luma), 16-bit
color (Pillow reads it as 8 bits), TensorFlow's alpha filler and 8-to-16-bit synthesis.
Expected numbers were printed by TensorFlow 2.15 (tf.compat.v1) for the same bytes. A
one-off comparison with TensorFlow installed (808 decodes: every bit depth and color type,
each filter, interlaced or not, tRNS of each kind, channels 0/1/3/4, uint8 and uint16)
agreed on every value; before this decoder 45 of its first 120 decodes differed."""
import base64
import struct
import zlib

import numpy as np
import pytest

pytest.importorskip("PIL")
import ndgrad.tf as tf  # noqa: E402

_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


def _chunk(kind, body):
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def _filtered(line, prior, bpp, kind):
    """PNG's forward filter kind of one scanline (bytes), written out byte by byte."""
    x = list(line)
    p = list(prior) if prior is not None else [0] * len(x)
    out = []
    for i, v in enumerate(x):
        a = x[i - bpp] if i >= bpp else 0
        b = p[i]
        c = p[i - bpp] if i >= bpp else 0
        if kind == 0:
            pred = 0
        elif kind == 1:
            pred = a
        elif kind == 2:
            pred = b
        elif kind == 3:
            pred = (a + b) >> 1
        else:
            q = a + b - c
            pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out.append((v - pred) & 255)
    return bytes([kind] + out)


def png(samples, depth, ctype, interlace=0, kinds=(0,), trns=None, plte=None):
    """A PNG of samples (height, width, samples per pixel) at bit depth 8 or 16, each
    scanline filtered by the next of kinds."""
    h, w, nch = samples.shape
    bpp = nch * depth // 8
    raw = b""
    k = 0
    for xs, ys, dx, dy in (_ADAM7 if interlace else ((0, 0, 1, 1),)):
        sub = samples[ys::dy, xs::dx]
        prior = None
        for r in range(sub.shape[0] if sub.shape[1] else 0):
            line = sub[r].astype(">u2" if depth == 16 else np.uint8).tobytes()
            raw += _filtered(line, prior, bpp, kinds[k % len(kinds)])
            k += 1
            prior = line
    extra = (_chunk(b"PLTE", plte) if plte is not None else b"") + (
        _chunk(b"tRNS", trns) if trns is not None else b"")
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))
            + extra + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))


def decode(data, **kw):
    return tf.Session().run(tf.image.decode_png(data, **kw))


def test_rgb_to_gray_is_libpngs_fixed_point():
    rgb = np.array([[[10, 200, 30], [5, 5, 5], [0, 128, 255], [255, 255, 255]]], np.uint8)
    # TensorFlow: 123 (Pillow's own conversion rounds to 124), 5, 104, 255
    assert decode(png(rgb, 8, 2), channels=1)[..., 0].tolist() == [[123, 5, 104, 255]]
    assert decode(png(rgb, 8, 2), channels=1, dtype=tf.uint16)[..., 0].tolist() == [
        [123 * 257, 5 * 257, 104 * 257, 65535]]


def test_sixteen_bit_color():
    rgb16 = np.array([[[11516, 13821, 15403], [56941, 48444, 44083]]], np.uint16)
    data = png(rgb16, 16, 2)
    np.testing.assert_array_equal(decode(data, dtype=tf.uint16), rgb16)   # all 16 bits
    np.testing.assert_array_equal(decode(data, channels=3), rgb16 >> 8)    # the high byte
    # gray computed at 16 bits (rounded), then the high byte: TensorFlow's 13312 and 52
    assert decode(data, channels=1, dtype=tf.uint16)[0, 0, 0] == 13312
    assert decode(data, channels=1)[0, 0, 0] == 52
    rgba = decode(data, channels=4, dtype=tf.uint16)
    assert rgba[..., 3].tolist() == [[65535, 65535]]


@pytest.mark.parametrize("interlace", [0, 1])
@pytest.mark.parametrize("kinds", [(0,), (1,), (2,), (3,), (4,), (4, 3, 2, 1, 0)])
@pytest.mark.parametrize("ctype", [2, 4, 6])
def test_sixteen_bit_color_filters_and_interlacing(interlace, kinds, ctype):
    nch = {2: 3, 4: 2, 6: 4}[ctype]
    s = np.random.default_rng(len(kinds) + ctype).integers(0, 65536, (11, 13, nch), np.uint16)
    np.testing.assert_array_equal(decode(png(s, 16, ctype, interlace, kinds),
                                         dtype=tf.uint16), s)


@pytest.mark.parametrize("depth, alpha8", [(1, 1), (2, 3), (4, 15)])
def test_added_alpha_is_tensorflows_filler(depth, alpha8):
    # TF asks libpng for an alpha of 2**bit_depth - 1: 1 for a 1-bit image (not 255)
    from PIL import Image
    import io
    buf = io.BytesIO()
    Image.fromarray(np.array([[0, 255]], np.uint8)).convert("L").save(buf, "PNG",
                                                                       bits=depth)
    data = buf.getvalue()
    assert data[24] == depth   # (the file's bit depth)
    out = decode(data, channels=4)
    assert out[..., 3].tolist() == [[alpha8, alpha8]]
    assert out[..., 0].tolist() == [[0, 255]]
    assert decode(data, channels=4, dtype=tf.uint16)[0, 0, 3] == alpha8 * 257


def test_trns_gives_the_alpha_channel():
    g = np.array([[[77], [78]]], np.uint8)
    out = decode(png(g, 8, 0, trns=struct.pack(">H", 77)), channels=4)
    assert out.tolist() == [[[77, 77, 77, 0], [78, 78, 78, 255]]]
    c = np.array([[[1, 2, 3], [1, 2, 4]]], np.uint16)
    out = decode(png(c, 16, 2, trns=struct.pack(">HHH", 1, 2, 3)), channels=4,
                 dtype=tf.uint16)
    assert out[..., 3].tolist() == [[0, 65535]]
    pal = bytes([10, 20, 30, 40, 50, 60])
    idx = np.array([[[0], [1]]], np.uint8)
    out = decode(png(idx, 8, 3, plte=pal, trns=bytes([128])))
    assert out.tolist() == [[[10, 20, 30, 128], [40, 50, 60, 255]]]


def test_a_corrupt_png_is_a_clear_error():
    data = png(np.zeros((2, 2, 3), np.uint16), 16, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="DecodePng"):
        decode(data[:-30])


# An 8x8 JPEG (Pillow, quality 75) and TensorFlow's decode_jpeg(channels=1) of it (equal
# with dct_method "INTEGER_ACCURATE", ndgrad's IDCT): libjpeg's luma, which Pillow's
# conversion of the decoded RGB missed by one at [1][7]
_JPEG = zlib.decompress(base64.b64decode(
    "eNr7f+P/AwYBLzdPNwZGRgYGRiBk+H+bwZmBg42NnY2Vg52dnZOTg4tHhJeHm5tHUkiYX0RWSl5OVkpGRkFF"
    "T11BSUdZRkbDXFPHwNDExERe3dLWwshGz9jECGQIIycnJw83jwQvr4SRooyiEcng/wEGQQ4GIGRmVGJgEmRk"
    "FmT8f4RBHuhOVkYwYIACRiZmFlY2dg5OLm6ggq0CDEyMzMxMLMysrCwsQNlaoDwDiyCrkKKhI5twYCK7UqGI"
    "UePEhRzKThsPigZd/KBinFTUxMklJi4hKaWqpq6hqWViamZuYWnl7OLq5u7h6RUcEhoWHhEZlZySmpaekZlV"
    "XFJaVl5RWdXc0trW3tHZNWnylKnTps+YOWvR4iVLly1fsXLVps1btm7bvmPnrkOHjxw9dvzEyVOXLl+5eu36"
    "jZu3Hj56/OTps+cvXr76+Onzl6/fvv/4+QvkL0YGZkYYwOovQaC/mFhYmFnYQf5iZCoHKRBkYVU0ZBNyDGRP"
    "LBRWMmrkEHGauHDjQU5l46APoklFF7nEVEweqn4EeQ3sM+I81kSWz+AeQ/jrFgMPMyMw8pgFGewZSt8IMeab"
    "eKnPMtqX7C4R6Vf+Qfbcw8ONO1p1Pz227ljUpd21fPPTfltT9bztf6WsXrh6Bfv98lwrHVt1c/X8/zcB4sXn"
    "5g=="
))
_JPEG_GRAY = [[187, 134, 125, 69, 94, 15, 165, 163], [76, 150, 181, 121, 175, 171, 123, 91],
              [149, 102, 213, 115, 190, 18, 106, 124], [143, 55, 151, 80, 103, 79, 116, 175],
              [64, 203, 196, 193, 117, 121, 105, 117], [201, 189, 146, 57, 189, 102, 45, 57],
              [111, 87, 173, 191, 153, 87, 180, 122], [142, 197, 94, 128, 142, 191, 94, 170]]


def test_jpeg_gray_is_libjpegs_luma():
    out = tf.Session().run(tf.image.decode_jpeg(_JPEG, channels=1))
    assert out[..., 0].tolist() == _JPEG_GRAY
