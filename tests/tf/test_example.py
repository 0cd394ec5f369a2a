"""The README's main job: ``python examples/linear_regression.py`` runs and trains."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_linear_regression_example_runs(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=ROOT)   # this checkout's ndgrad
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "linear_regression.py")],
                       capture_output=True, text=True, timeout=120, cwd=str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "step   0" in out and "step 499" in out and out.count("learned W") == 2
    losses = [float(line.split()[-1]) for line in out.splitlines()
              if line.strip().startswith("step")]
    tf_losses, nd_losses = losses[:11], losses[11:]
    assert len(tf_losses) == 11 and len(nd_losses) == 11
    assert nd_losses[-1] < nd_losses[0]
    # the TF1 part's checkpoint (TensorFlow's V2 format) and, with tensorboard, its logs
    import ndgrad.tf as tf
    ckpt = tf.train.latest_checkpoint(str(tmp_path / "checkpoints" / "linear_regression"))
    assert ckpt.endswith("model.ckpt-500")
    names = [n for n, _ in tf.train.list_variables(ckpt)]
    assert names == ["beta1_power", "beta2_power", "linear-regression/bias",
                     "linear-regression/bias/Adam", "linear-regression/bias/Adam_1",
                     "linear-regression/weights", "linear-regression/weights/Adam",
                     "linear-regression/weights/Adam_1"]
    learned = [line for line in out.splitlines() if "learned W" in line][0]
    assert f"{tf.train.load_variable(ckpt, 'linear-regression/weights')[0, 0]:.4f}" in learned
    try:
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    except ImportError:
        assert "no TensorBoard logs" in out
        return
    ea = EventAccumulator(str(tmp_path / "logs" / "linear_regression"),
                          size_guidance={"scalars": 0})
    ea.Reload()
    steps = ea.Scalars("loss")
    assert [e.step for e in steps] == list(range(500))
    assert f"{steps[0].value:10.4f}" == f"{tf_losses[0]:10.4f}"
    nodes = {n.name: n.op for n in ea.Graph().node}
    assert nodes["linear-regression/weights"] == "VariableV2"
    assert nodes["linear-regression/MatMul"] == "MatMul" and nodes["Adam"] == "NoOp"
