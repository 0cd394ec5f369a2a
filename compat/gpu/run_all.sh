#!/usr/bin/env bash
# Every GPU check of issue 12 in one run, for a machine with an NVIDIA GPU and CuPy
# (pip install -e '.[test]' cupy-cuda12x; torch with CUDA for the benchmark peer).
# CI has no GPU: there the suite runs on the CuPy-rules test backend instead (device
# "cupy_rules", ndgrad/_cupy_rules.py). This script is the confirmation on real hardware.
#
#   bash compat/gpu/run_all.sh            # all three steps; logs under compat/gpu/results/
#   STEPS="suite" bash compat/gpu/run_all.sh
#
# Steps: suite (the test suite's "cupy" parametrisation: every test that takes the device
# fixture, on device "cuda"), arrayapi (the array API conformance suite on CuPy; needs
# ARRAY_API_TESTS_DIR or network to clone it), bench (benchmarks/run.py on "cuda" with the
# issue's larger sizes, PyTorch CUDA as the peer).
set -uo pipefail
cd "$(dirname "$0")/../.."
out="compat/gpu/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
STEPS="${STEPS:-suite arrayapi bench}"
status=0

python - <<'PY' | tee "$out/machine.txt" || { echo "CuPy with a GPU is needed"; exit 2; }
import cupy, numpy, ndgrad
n = cupy.cuda.runtime.getDeviceCount()
assert n > 0, "no CUDA device"
props = cupy.cuda.runtime.getDeviceProperties(0)
print("gpu:", props["name"].decode(), "| devices:", n, "| cupy", cupy.__version__,
      "| numpy", numpy.__version__, "| ndgrad", ndgrad.__version__)
PY

for step in $STEPS; do
  case "$step" in
    suite)
      # "cupy" is the id of the cuda parametrisation; cupy_rules is the CI test backend
      python -m pytest -p no:cacheprovider -q -k "cupy and not cupy_rules" -rfE \
        2>&1 | tee "$out/suite.txt" || status=1 ;;
    arrayapi)
      python compat/array_api/run.py --device cuda 2>&1 | tee "$out/array_api.txt" || status=1 ;;
    bench)
      if python benchmarks/run.py --help 2>/dev/null | grep -q -- "--device"; then
        # the issue's sizes: MLP batch 4096, 4M/64M elementwise, a 4096^2 matmul chain
        python benchmarks/run.py --device cuda --big-n 67108864 --repeat 10 \
          --json "$out/bench.json" 2>&1 | tee "$out/bench.txt" || status=1
      else
        echo "benchmarks/run.py has no --device option yet: bench step skipped" \
          | tee "$out/bench.txt"; status=1
      fi ;;
    *) echo "unknown step $step (suite, arrayapi, bench)"; status=2 ;;
  esac
done
echo "logs in $out"
exit $status
