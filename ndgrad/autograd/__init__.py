"""HIPS autograd's public names over ndgrad's verbs: ``import ndgrad.autograd as autograd``
and ``import ndgrad.autograd.numpy as np`` run autograd programs unchanged.

>>> import ndgrad.autograd as autograd
>>> import ndgrad.autograd.numpy as np
>>> print(autograd.grad(lambda x: np.sum(np.sin(x)))(np.array([0.0])))
[1.]
"""
from .differential_operators import (  # noqa: F401
    checkpoint, deriv, elementwise_grad, grad, grad_and_aux, grad_named, hessian,
    hessian_tensor_product, hessian_vector_product, holomorphic_grad, jacobian, make_ggnvp,
    make_hvp, make_jvp, make_vjp, multigrad_dict, tensor_jacobian_product, value_and_grad,
    vector_jacobian_product)
from .builtins import dict, isinstance, list, tuple, type  # noqa: F401
from .extend import primitive  # noqa: F401
