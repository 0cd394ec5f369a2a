"""``tensorflow.python.ops``: ``math_ops``, ``array_ops``, ``random_ops``, ``nn_ops``,
``init_ops``, ``state_ops``, ``variables``, ``control_flow_ops`` and ``variable_scope``,
whose public functions TF 1 programs (the SELU paper's dropout, for one) call by these
module paths; each answers with ndgrad.tf's function of the same name."""
import sys as _sys
import types as _types

_DOC = ("``tensorflow.python.ops.{0}``: ndgrad.tf's public function of each name asked "
        "for (``{0}.floor`` is ``tf.floor``).")


class _Forward(_types.ModuleType):
    """A TF module path whose names are ndgrad.tf's own (``tf.nn``'s first for
    ``nn_ops``)."""

    def __init__(self, name, spaces):
        super().__init__(f"{__name__}.{name}", _DOC.format(name))
        self._spaces = spaces

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        _tf = _sys.modules[__name__.rsplit(".", 2)[0]]     # ndgrad.tf
        for space in self._spaces:
            obj = _tf
            for part in space.split(".") if space else ():
                obj = getattr(obj, part)
            if hasattr(obj, name):
                return getattr(obj, name)
        raise AttributeError(f"ndgrad.tf has no {name!r} (asked as {self.__name__}.{name})")


for _name, _spaces in (("math_ops", ("", "math")), ("array_ops", ("",)),
                       ("random_ops", ("", "random")), ("nn_ops", ("nn",)),
                       ("nn", ("nn",)), ("init_ops", ("", "initializers")),
                       ("state_ops", ("",)), ("variables", ("",)),
                       ("control_flow_ops", ("",)), ("variable_scope", ("",))):
    _m = _Forward(_name, _spaces)
    _sys.modules[_m.__name__] = _m
    globals()[_name] = _m
del _name, _spaces, _m
