"""autograd.scipy.stats.dirichlet: a lazy alias of ndgrad.scipy.stats.dirichlet (logpdf,
pdf), plus ``rvs`` (SciPy's sampler; samples carry no gradient, as in autograd)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.dirichlet"), name)


def rvs(alpha, size=None, random_state=None):
    """Samples from Dirichlet(``alpha``): SciPy's ``dirichlet.rvs`` (NumPy's global stream
    unless ``random_state`` is given), as a NumPy array.

    >>> import numpy
    >>> numpy.random.seed(0)
    >>> rvs([1.0, 2.0, 3.0], size=2).shape
    (2, 3)
    """
    import numpy
    import scipy.stats
    return scipy.stats.dirichlet.rvs(numpy.asarray(alpha), size=size,
                                     random_state=random_state)
