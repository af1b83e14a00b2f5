# SPDX-License-Identifier: MIT OR Apache-2.0
# Sourced by tests/qemu/arch/*/run.sh: runs QEMU under a time limit and turns its exit status
# into the verdict. PERCPU_QEMU_TIMEOUT sets the limit in seconds (default 60).

# run_qemu PASS_STATUS QEMU_COMMAND...: exits 0 when QEMU exits with PASS_STATUS (the status the
# platform's exit device gives for a pass), 1 otherwise, including a hang (timeout's 124).
run_qemu() {
  pass_status=$1
  shift
  limit=${PERCPU_QEMU_TIMEOUT:-60}
  status=0
  timeout -k 5 "$limit" "$@" </dev/null || status=$?
  case $status in
    "$pass_status") echo "run.sh: PASS" >&2; exit 0 ;;
    124) echo "run.sh: FAIL (timed out after $limit s)" >&2 ;;
    *) echo "run.sh: FAIL (QEMU exit status $status)" >&2 ;;
  esac
  exit 1
}
