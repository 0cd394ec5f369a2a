"""The NumPy-to-trainable example trains: the loss falls and the accuracy is high."""
import importlib.util
import os


def test_numpy_forward_pass_trains():
    path = os.path.join(os.path.dirname(__file__), "..", "..", "examples",
                        "numpy_to_trainable.py")
    spec = importlib.util.spec_from_file_location("numpy_to_trainable", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    loss, acc = mod.main(steps=150, log_every=1000)
    assert loss < 0.2 and acc > 0.9
