"""pkmital/tensorflow_tutorials' TF1 programs (``--suite pkmital``): Parag Mital's
``python/`` tutorials (basics, linear and polynomial regression, logistic regression, a
basic and a batch-normalised convnet, dense, denoising, convolutional and variational
autoencoders, a residual network) with their ``libs`` package written beside them.
MNIST is the harness's synthetic one; each training loop runs a few batches."""

SUBDIR = "python"
REPO = "pkmital/tensorflow_tutorials"
XFAILS = "xfails_pkmital.txt"

# the ``libs`` package the programs import (``from libs.utils import corrupt``)
_LIBS = {f"python/libs/{m}.py": f"libs/{m}.py"
         for m in ("__init__", "activations", "batch_norm", "connections", "dataset_utils",
                   "datasets", "utils")}
_DATA = {"data": _LIBS}

# every pass over the training set is a few batches (and over the validation set, where
# a program has one, with the means divided by those counts), and the epochs fewer
_BATCHES = {r"range\(mnist\.train\.num_examples // batch_size\)": "range(4)"}
_BOTH = {**_BATCHES,
         r"range\(mnist\.validation\.num_examples // batch_size\)": "range(2)",
         r"\(mnist\.train\.num_examples // batch_size\)": "4",
         r"\(mnist\.validation\.num_examples // batch_size\)": "2"}


def _epochs(n, k=2):
    return {rf"n_epochs = {n}\b": f"n_epochs = {k}"}


# name -> (path under SUBDIR, substitutions, options), as run.py's PROGRAMS
PROGRAMS = {
    # its last part convolves skimage's astronaut photograph: a fixed synthetic image of
    # the same shape instead (skimage is on neither side). The list of the graph's op
    # names is not compared: TF 2.15 builds tf.linspace from ~70 ops of its own
    # ('linspace/...'), TF 1's was the one op LinSpace, as ndgrad.tf's
    "01_basics": ("01_basics.py", {
        r"from skimage import data\nimg = data\.astronaut\(\)":
            "import numpy as np\nimg = ((np.arange(512 * 512 * 3) * 7919) % 256)"
            ".reshape(512, 512, 3).astype(np.uint8)"}, {"skip": r"^\['"}),
    "02_linear_regression": ("02_linear_regression.py", _epochs(1000, 40), {}),
    "03_polynomial_regression": ("03_polynomial_regression.py", _epochs(1000, 40), {}),
    "04_logistic_regression": ("04_logistic_regression.py",
                               {**_epochs(10), **_BATCHES}, _DATA),
    "05_basic_convnet": ("05_basic_convnet.py", {**_epochs(5), **_BATCHES}, _DATA),
    "06_modern_convnet": ("06_modern_convnet.py", {**_epochs(10), **_BATCHES}, _DATA),
    "07_autoencoder": ("07_autoencoder.py", {**_epochs(10), **_BATCHES}, _DATA),
    "08_denoising_autoencoder": ("08_denoising_autoencoder.py",
                                 {**_epochs(10), **_BATCHES}, _DATA),
    "09_convolutional_autoencoder": ("09_convolutional_autoencoder.py",
                                     {**_epochs(10), **_BATCHES}, _DATA),
    "10_residual_network": ("10_residual_network.py", {**_epochs(5, 1), **_BOTH}, _DATA),
    "11_variational_autoencoder": ("11_variational_autoencoder.py",
                                   {**_epochs(50), **_BOTH}, _DATA),
}
