"""Deterministic stand-ins for the data the TF1 examples download: MNIST (the reader
``tensorflow.examples.tutorials.mnist.input_data``), word2vec's ``text8.zip`` and a folder
of JPEG images in two class folders (build_an_image_dataset.py).

NumPy only (no TensorFlow, no ndgrad): the harness loads this same file on both sides, so
both programs see the same bytes. The MNIST reader keeps the API and dtypes of TF 1.x's
``tensorflow/contrib/learn/python/learn/datasets/mnist.py`` (``read_data_sets(train_dir,
one_hot=False, dtype=float32, reshape=True, validation_size=5000, seed=None)`` with
``.train`` / ``.validation`` / ``.test`` DataSets: ``images`` float32 in [0, 1] of shape
(n, 784), ``labels`` uint8 of shape (n,) or float64 one-hot (n, 10), ``num_examples``,
``epochs_completed`` and ``next_batch(batch_size, fake_data=False, shuffle=True)`` with the
same epoch-rollover rule). The images are ten smooth class templates plus noise, so the
examples' models learn something (accuracies move); the sizes are smaller than MNIST's
(``NDGRAD_TFEX_MNIST`` = "train,validation,test", default "5500,500,1000") to keep the run
short. Shuffling draws from a private RandomState, not NumPy's global stream, so a side
that uses the global stream internally cannot shift it.
"""
import io
import os
import zipfile

import numpy as np

_SEED = 1234


def _images_and_labels(n, rng, templates):
    labels = rng.randint(0, 10, size=n).astype(np.uint8)
    noise = rng.uniform(0.0, 0.35, size=(n, 784)).astype(np.float32)
    images = np.clip(templates[labels] * rng.uniform(0.6, 1.0, size=(n, 1)) + noise,
                     0.0, 1.0).astype(np.float32)
    return images, labels


def _templates(rng):
    yy, xx = np.mgrid[0:28, 0:28]
    out = np.zeros((10, 784), np.float32)
    for k in range(10):
        img = np.zeros((28, 28), np.float32)
        for _ in range(3):  # three Gaussian strokes per class
            cy, cx = rng.uniform(6, 22, size=2)
            sy, sx = rng.uniform(1.5, 5.0, size=2)
            img += np.exp(-((yy - cy) ** 2 / (2 * sy ** 2) + (xx - cx) ** 2 / (2 * sx ** 2)))
        out[k] = (img / img.max()).reshape(-1)
    return out


def _dense_to_one_hot(labels, num_classes=10):
    one_hot = np.zeros((labels.shape[0], num_classes))  # float64, as TF's reader
    one_hot[np.arange(labels.shape[0]), labels] = 1
    return one_hot


class DataSet:
    """One split: ``images``, ``labels``, ``num_examples``, ``epochs_completed``,
    ``next_batch`` (TF 1.x's DataSet semantics, shuffling from a private stream)."""

    def __init__(self, images, labels, one_hot, seed, reshape=True):
        if not reshape:
            images = images.reshape(-1, 28, 28, 1)
        self._images = images
        self._labels = _dense_to_one_hot(labels) if one_hot else labels
        self._num_examples = images.shape[0]
        self._epochs_completed = 0
        self._index_in_epoch = 0
        self._rng = np.random.RandomState(seed)

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: self._num_examples)
    epochs_completed = property(lambda self: self._epochs_completed)

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        if fake_data:
            raise ValueError("synthetic MNIST: fake_data is not provided")
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            perm = self._rng.permutation(self._num_examples)
            self._images, self._labels = self._images[perm], self._labels[perm]
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            rest = self._num_examples - start
            images_rest, labels_rest = self._images[start:], self._labels[start:]
            if shuffle:
                perm = self._rng.permutation(self._num_examples)
                self._images, self._labels = self._images[perm], self._labels[perm]
            start = 0
            self._index_in_epoch = batch_size - rest
            end = self._index_in_epoch
            return (np.concatenate((images_rest, self._images[start:end]), axis=0),
                    np.concatenate((labels_rest, self._labels[start:end]), axis=0))
        self._index_in_epoch += batch_size
        end = self._index_in_epoch
        return self._images[start:end], self._labels[start:end]


class Datasets:
    def __init__(self, train, validation, test):
        self.train, self.validation, self.test = train, validation, test


def read_data_sets(train_dir=None, fake_data=False, one_hot=False, dtype=np.float32,
                   reshape=True, validation_size=None, seed=None, source_url=None):
    """The synthetic MNIST (see the module docstring); ``train_dir`` is not read."""
    sizes = [int(s) for s in os.environ.get("NDGRAD_TFEX_MNIST", "5500,500,1000").split(",")]
    rng = np.random.RandomState(_SEED)
    templates = _templates(rng)
    n_train, n_val, n_test = sizes
    tr_i, tr_l = _images_and_labels(n_train + n_val, rng, templates)
    te_i, te_l = _images_and_labels(n_test, rng, templates)
    if np.dtype(dtype) == np.uint8:
        tr_i, te_i = (tr_i * 255).astype(np.uint8), (te_i * 255).astype(np.uint8)
    return Datasets(DataSet(tr_i[n_val:], tr_l[n_val:], one_hot, 1, reshape),
                    DataSet(tr_i[:n_val], tr_l[:n_val], one_hot, 2, reshape),
                    DataSet(te_i, te_l, one_hot, 3, reshape))


def write_text8(path, n_words=60000):
    """A zip holding one lower-case text of ``n_words`` Zipf-distributed words, like
    text8.zip (the words word2vec.py evaluates included)."""
    rng = np.random.RandomState(_SEED)
    vocab = ["the", "of", "and", "one", "in", "a", "to", "zero", "nine", "two", "five",
             "going", "hardware", "american", "britain"]
    vocab += ["w%d" % i for i in range(600)]
    p = 1.0 / np.arange(1, len(vocab) + 1)
    words = rng.choice(len(vocab), size=n_words, p=p / p.sum())
    text = " ".join(vocab[i] for i in words).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("text8", text)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def write_images(root, per_class=12):
    """``root/<class>/<i>.jpg``: two classes of 80x72 RGB JPEGs (a bright disc on the left
    or on the right, plus noise); written with Pillow by run.py, read by both sides."""
    from PIL import Image
    rng = np.random.RandomState(_SEED)
    yy, xx = np.mgrid[0:72, 0:80]
    for c, cx in (("left", 22), ("right", 58)):
        os.makedirs(os.path.join(root, c), exist_ok=True)
        for i in range(per_class):
            disc = ((yy - 36 - rng.randint(-8, 9)) ** 2 + (xx - cx) ** 2) < 15 ** 2
            img = rng.randint(0, 90, size=(72, 80, 3)) + disc[..., None] * np.array(
                rng.randint(120, 165, size=3))
            Image.fromarray(img.astype(np.uint8)).save(
                os.path.join(root, c, f"{i:02d}.jpg"), quality=90)
