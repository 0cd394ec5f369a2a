"""Autograd: recording is in ``_ops.registry``; here are backward, in-place writes and the
functional verbs (grad, value_and_grad, vjp, jvp, jacobian, hessian, custom_vjp ...)."""
