"""TensorFlow's DecodePng values: libpng's transforms as TensorFlow sets them up (its
``png_io.cc``), applied to a PNG's samples read at the file's own bit depth.

Pillow reads the samples of 8-bit and narrower images and of 16-bit grayscale ones; it
reads 16-bit color and gray+alpha images as 8 bits, so those are read here (``zlib`` and
the five scanline filters, Adam7 interlacing included). The transforms, in libpng's order:
palette to RGB, gray of 1, 2 or 4 bits scaled to 8 (``v * 255 / (2**bits - 1)``), the
alpha channel kept, made from ``tRNS`` or added (TensorFlow's filler is
``2**bit_depth - 1``: an alpha of 1 for a 1-bit image), or stripped; RGB to gray with
libpng's fixed-point weights (truncated at 8 bits, rounded at 16); 16 bits to 8 by the
high byte; 8 bits to 16 as ``v * 257``.

>>> import io, numpy as np
>>> from PIL import Image
>>> buf = io.BytesIO()
>>> Image.fromarray(np.array([[[10, 200, 30], [5, 5, 5]]], np.uint8)).save(buf, "PNG")
>>> decode(buf.getvalue(), channels=1, dtype=np.uint8)[..., 0]   # TensorFlow's numbers
array([[123,   5]], dtype=uint8)
"""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np

__all__ = ["decode"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}   # samples per pixel by color type
# libpng's png_set_rgb_to_gray(png_ptr, 1, 0.299, 0.587) (TensorFlow's call): the weights
# as 15-bit fixed point, truncated as libpng computes them; blue takes the rest
_RED, _GREEN = 29900 * 32768 // 100000, 58700 * 32768 // 100000
_BLUE = 32768 - _RED - _GREEN
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
          (1, 0, 2, 2), (0, 1, 1, 2))


class PNGError(ValueError):
    """A PNG this module cannot read (the caller reports it as TF's InvalidArgumentError)."""


def _chunks(data):
    """The header fields and the chunks a decoder needs: (width, height, bit depth,
    color type, interlace), PLTE, tRNS, the IDAT data."""
    if not data.startswith(_SIGNATURE):
        raise PNGError("not a PNG file (bad signature)")
    pos, header, plte, trns, idat = 8, None, None, None, []
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n:
            raise PNGError(f"truncated {kind!r} chunk")
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if ctype not in _CHANNELS:
                raise PNGError(f"invalid color type {ctype}")
            header = (w, h, depth, ctype, interlace)
        elif kind == b"PLTE":
            plte = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"tRNS":
            trns = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise PNGError("no IHDR chunk")
    return header, plte, trns, b"".join(idat)


def _unfilter(raw, rows, row_bytes, bpp):
    """``rows`` scanlines of ``row_bytes`` bytes each (after their filter-type byte) from
    the decompressed ``raw``, unfiltered (PNG's five filters)."""
    out = np.zeros((rows, row_bytes), np.uint8)
    prior = np.zeros(row_bytes, np.uint8)
    stride = row_bytes + 1
    if len(raw) < rows * stride:
        raise PNGError("image data is truncated")
    for r in range(rows):
        kind = raw[r * stride]
        line = np.frombuffer(raw, np.uint8, row_bytes, r * stride + 1)
        if kind == 0:
            cur = line.copy()
        elif kind == 1:      # Sub: a running sum per byte of the pixel, modulo 256
            cur = np.add.accumulate(line.reshape(-1, bpp), axis=0, dtype=np.uint8).ravel()
        elif kind == 2:      # Up
            cur = line + prior
        elif kind in (3, 4):   # Average, Paeth: pixel after pixel
            cur = np.empty(row_bytes, np.uint8)
            lv, pv = line.astype(np.int32), prior.astype(np.int32)
            left = np.zeros(bpp, np.int32)
            upleft = np.zeros(bpp, np.int32)
            for i in range(0, row_bytes, bpp):
                up = pv[i:i + bpp]
                if kind == 3:
                    v = (lv[i:i + bpp] + ((left + up) >> 1)) & 255
                else:
                    p = left + up - upleft
                    pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - upleft)
                    pred = np.where((pa <= pb) & (pa <= pc), left,
                                    np.where(pb <= pc, up, upleft))
                    v = (lv[i:i + bpp] + pred) & 255
                cur[i:i + bpp] = v
                left, upleft = v, up
        else:
            raise PNGError(f"invalid filter type {kind}")
        out[r] = cur
        prior = cur
    return out


def _read_16bit(header, idat):
    """The samples of a 16-bit PNG, (height, width, samples per pixel) uint16."""
    w, h, depth, ctype, interlace = header
    nch = _CHANNELS[ctype]
    bpp = 2 * nch
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        raise PNGError(f"corrupt image data ({e})") from None
    out = np.zeros((h, w, nch), np.uint16)
    passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
    pos = 0
    for xs, ys, dx, dy in passes:
        pw, ph = -(-(w - xs) // dx), -(-(h - ys) // dy)
        if pw <= 0 or ph <= 0:
            continue
        rows = _unfilter(raw[pos:], ph, pw * bpp, bpp)
        pos += ph * (pw * bpp + 1)
        out[ys::dy, xs::dx] = rows.view(">u2").reshape(ph, pw, nch)
    return out


def _samples(data, header, idat):
    """The file's samples at its own bit depth (gray of 1, 2, 4 bits already scaled to 8,
    as libpng's expansion does; palette indices for a palette image)."""
    w, h, depth, ctype, interlace = header
    if depth == 16 and ctype != 0:
        return _read_16bit(header, idat)
    from PIL import Image   # (the caller checked Pillow is there)
    im = Image.open(io.BytesIO(data))
    im.load()
    a = np.asarray(im)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8) * 255
    if ctype == 0 and depth == 16:
        a = a.astype(np.uint16)
    if a.ndim == 2:
        a = a[:, :, None]
    return a


def _gray_of(rgb, depth):
    """libpng's rgb_to_gray without gamma: R where R == G == B, else the weighted sum of
    the fixed-point weights, truncated at 8 bits, rounded at 16."""
    r, g, b = (rgb[..., k].astype(np.int64) for k in range(3))
    s = _RED * r + _GREEN * g + _BLUE * b
    if depth == 16:
        s = s + 16384
    return np.where((r == g) & (r == b), r, s >> 15)


def decode(data, channels, dtype):
    """TensorFlow's DecodePng of the PNG bytes ``data``: (height, width, channels)
    ``dtype`` (uint8 or uint16); ``channels`` 0 keeps the file's (a palette image gives 3,
    or 4 with tRNS)."""
    header, plte, trns_raw, idat = _chunks(data)
    w, h, depth, ctype, interlace = header
    a = _samples(data, header, idat)
    file_ch = _CHANNELS[ctype]
    has_alpha = ctype in (4, 6)
    has_trns = trns_raw is not None
    out_ch = channels or ((4 if has_trns else 3) if ctype == 3 else file_ch)
    work = 16 if depth == 16 else 8      # the samples' depth once expanded
    top = (1 << work) - 1
    alpha = None
    if ctype == 3:
        if plte is None:
            raise PNGError("palette image without PLTE chunk")
        idx = a[..., 0].astype(np.intp)
        if idx.size and idx.max() >= len(plte):
            raise PNGError("palette index out of range")
        table = np.full(256, 255, np.uint8)
        if has_trns:
            t = np.frombuffer(trns_raw, np.uint8)[:256]
            table[:len(t)] = t
        color = plte[idx]
        if has_trns:
            alpha = table[idx]
    else:
        color = a[..., :file_ch - 1] if has_alpha else a
        if has_alpha:
            alpha = a[..., file_ch - 1]
        elif has_trns:
            # the one transparent gray value or RGB color, in the file's units (gray of
            # 1, 2, 4 bits: scaled as the samples were)
            key = np.frombuffer(trns_raw, ">u2")[:color.shape[-1]].astype(np.int64)
            if ctype == 0 and depth < 8:
                key = key * (255 // ((1 << depth) - 1))
            alpha = np.where(np.all(color.astype(np.int64) == key, axis=-1), 0, top)
    want_alpha = out_ch % 2 == 0
    want_gray = out_ch < 3
    is_gray = ctype in (0, 4)
    if want_gray and not is_gray:
        color = _gray_of(color, work)[..., None]
    elif not want_gray and is_gray:
        color = np.repeat(color, 3, axis=-1)
    parts = [color.astype(np.int64)]
    if want_alpha and alpha is not None:
        parts.append(alpha.astype(np.int64)[..., None])
    out = np.concatenate(parts, axis=-1)
    if work == 16 and np.dtype(dtype) == np.uint8:
        out = out >> 8                  # png_set_strip_16: the high byte
    if want_alpha and alpha is None:
        # png_set_add_alpha's filler, 2**bit_depth - 1 of the file's depth, added last
        # (its low byte in an 8-bit row: 255 for a 16-bit file)
        filler = (1 << depth) - 1
        if np.dtype(dtype) == np.uint8 or work == 8:
            filler &= 255
        out = np.concatenate([out, np.full(out.shape[:-1] + (1,), filler, np.int64)], -1)
    if work == 8 and np.dtype(dtype) == np.uint16:
        out = out * 257                 # TF's Convert8to16
    return np.ascontiguousarray(out.astype(dtype))
