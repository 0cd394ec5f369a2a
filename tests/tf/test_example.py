"""The README's main job: ``python examples/linear_regression.py`` runs and trains."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_linear_regression_example_runs(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
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
