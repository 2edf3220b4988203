#!/usr/bin/env bash
# The main step of the GitHub Action (action.yml) and of the Azure DevOps template, runnable anywhere: breakglass gate
# or audit on the repository's files, a SARIF file whose results name a file (for code scanning), the Markdown report
# for the job summary, and the outputs. Exits 0 when breakglass exits 0 or 1 (findings: the pipeline's last step fails
# the job after the results are published), and with breakglass's own code for anything else (usage 2, input 3,
# remote 4).
#
# Environment: BREAKGLASS_BIN (default: breakglass on PATH), INPUT_COMMAND (gate|audit), INPUT_POLICIES,
# INPUT_CONFIG, INPUT_SNAPSHOT or INPUT_TENANT, INPUT_FAIL_ON, INPUT_STRICT, INPUT_FORMAT, BREAKGLASS_OUTPUT_DIR
# (default $RUNNER_TEMP/breakglass, or $AGENT_TEMPDIRECTORY/breakglass on Azure DevOps), GITHUB_STEP_SUMMARY and
# GITHUB_OUTPUT (written when set). On Azure DevOps (TF_BUILD=True) the outputs are pipeline variables
# (breakglassExitCode, breakglassSarif, breakglassReport, breakglassSummary) and the summary is attached to the run.
set -euo pipefail

bin=${BREAKGLASS_BIN:-breakglass}
command=${INPUT_COMMAND:-gate}
config=${INPUT_CONFIG:-breakglass.yml}
format=${INPUT_FORMAT:-sarif}
out=${BREAKGLASS_OUTPUT_DIR:-${RUNNER_TEMP:-${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}}/breakglass}
azure=false
[ "${TF_BUILD:-}" != True ] || azure=true

fail() {
  if $azure; then echo "##vso[task.logissue type=error]breakglass: $1"; else echo "::error title=breakglass::$1"; fi
  exit "${2:-2}"
}

case "$command" in gate|audit) ;; *) fail "command must be gate or audit, not '$command'" ;; esac
case "$format" in sarif|json|junit|markdown|html|text) ;; *) fail "format must be sarif, json, junit, markdown, html or text, not '$format'" ;; esac
[ -f "$config" ] || fail "config: $config does not exist (breakglass.yml names the emergency accounts)"
if [ -n "${INPUT_SNAPSHOT:-}" ] && [ -n "${INPUT_TENANT:-}" ]; then fail "give snapshot or tenant, not both"; fi
[ -n "${INPUT_SNAPSHOT:-}${INPUT_TENANT:-}" ] || fail "give snapshot (a folder) or tenant (read live)"
mkdir -p "$out"

snapshot=${INPUT_SNAPSHOT:-}
if [ -n "${INPUT_TENANT:-}" ]; then
  # One live read, shared by every report below.
  snapshot="$out/snapshot"
  rm -rf "$snapshot"
  status=0
  "$bin" snapshot --tenant "$INPUT_TENANT" --config "$config" --out "$snapshot" || status=$?
  [ "$status" -eq 0 ] || fail "breakglass snapshot --tenant $INPUT_TENANT failed (exit $status)" "$status"
fi

args=("$command" --snapshot "$snapshot" --config "$config")
if [ "$command" = gate ]; then
  read -r -a policies <<< "$(printf '%s' "${INPUT_POLICIES:-policies}" | tr '\n' ' ')"
  [ "${#policies[@]}" -gt 0 ] || fail "policies: give the policy files or folders for gate"
  args+=(--policies "${policies[@]}")
fi
[ -z "${INPUT_FAIL_ON:-}" ] || args+=(--fail-on "$INPUT_FAIL_ON")
[ "${INPUT_STRICT:-false}" != true ] || args+=(--strict)

report() { # FORMAT FILE: one run of breakglass; its exit code is the result
  local status=0
  "$bin" "${args[@]}" --format "$1" --output "$2" || status=$?
  return "$status"
}

sarif="$out/breakglass.sarif"
status=0
report sarif "$sarif" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  fail "breakglass ${args[*]} failed (exit $status); see the log above" "$status"
fi
# Code scanning needs a file and line on every result: the policy file, else breakglass.yml.
if [ "$command" = gate ]; then
  python3 "$(dirname "$0")/locate-sarif.py" "$sarif" "$config" "${policies[@]}"
else
  python3 "$(dirname "$0")/locate-sarif.py" "$sarif" "$config"
fi
markdown="$out/breakglass.md"
report markdown "$markdown" || true
case "$format" in
  sarif) report_file=$sarif ;;
  markdown) report_file=$markdown ;;
  json) report_file="$out/breakglass.json" ;;
  junit) report_file="$out/breakglass.junit.xml" ;;
  html) report_file="$out/breakglass.html" ;;
  text) report_file="$out/breakglass.txt" ;;
esac
case "$format" in sarif|markdown) ;; *) report "$format" "$report_file" || true ;; esac

summary="$out/summary.md"
{
  if [ "$status" -eq 0 ]; then
    echo "## breakglass $command: passed"
    echo
    echo "No finding at or above ${INPUT_FAIL_ON:-the default severity}."
  else
    echo "## breakglass $command: failed"
    echo
    echo "Findings at or above ${INPUT_FAIL_ON:-the default severity}: the job fails (exit 1)."
  fi
  echo
  # A step's summary may hold 1 MiB; the full report is in the outputs either way.
  head -c 900000 "$markdown"
  echo
} > "$summary"
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$summary" >> "$GITHUB_STEP_SUMMARY"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    echo "sarif=$sarif"
    echo "report=$report_file"
    echo "summary=$summary"
  } >> "$GITHUB_OUTPUT"
fi
if $azure; then
  echo "##vso[task.setvariable variable=breakglassExitCode]$status"
  echo "##vso[task.setvariable variable=breakglassSarif]$sarif"
  echo "##vso[task.setvariable variable=breakglassReport]$report_file"
  echo "##vso[task.setvariable variable=breakglassSummary]$summary"
  echo "##vso[task.uploadsummary]$summary"
fi
echo "breakglass $command: exit $status; SARIF $sarif; report $report_file"
