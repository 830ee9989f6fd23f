#!/usr/bin/env bash
# Starts the personalization job in Flink application mode (the jobmanager container's command).
#
# The image's /docker-entrypoint.sh runs this in pass-through mode, after it has applied
# FLINK_PROPERTIES to conf/config.yaml; this script only chooses where the job's state comes from:
#
#   FLINK_RESTORE_ARGS set     used as given, e.g.
#                              "--fromSavepoint /checkpoints/savepoints/savepoint-ab12cd-0123456789ab"
#                              (add --allowNonRestoredState when an upgrade drops an operator)
#   otherwise, by default      the newest complete savepoint or retained checkpoint under
#                              /checkpoints (one with its _metadata file), so that a new or restarted
#                              jobmanager resumes instead of starting with empty state; without Flink
#                              high availability nothing else would
#   FLINK_AUTO_RESTORE=false   start with empty state (or remove the `checkpoints` volume)
#
# Arguments to this script are passed on to Flink's standalone-job entry point (before the job's
# own arguments), e.g. -Dkey=value.
set -euo pipefail

job_class=io.p13n.jobs.PersonalizationJob
engine_config=/opt/p13n/engine.properties
checkpoints_root=${CHECKPOINTS_ROOT:-/checkpoints}

restore=()
if [[ -n "${FLINK_RESTORE_ARGS:-}" ]]; then
  read -r -a restore <<< "${FLINK_RESTORE_ARGS}"
  echo "start-job: restoring as requested: ${restore[*]}"
elif [[ "${FLINK_AUTO_RESTORE:-true}" == "true" ]]; then
  # <root>/savepoints/savepoint-*/_metadata and <root>/<job-id>/chk-*/_metadata; _metadata is
  # written last, when the savepoint or checkpoint completes, so its time orders them.
  latest=$(find "${checkpoints_root}" -mindepth 3 -maxdepth 3 -type f -name _metadata \
             \( -path "${checkpoints_root}/savepoints/savepoint-*/_metadata" \
                -o -path "${checkpoints_root}/*/chk-*/_metadata" \) \
             -printf '%T@ %h\n' 2>/dev/null | sort -rn | head -n 1 | cut -d' ' -f2- || true)
  if [[ -n "${latest}" ]]; then
    restore=(--fromSavepoint "${latest}")
    echo "start-job: resuming from ${latest}"
  else
    echo "start-job: no savepoint or retained checkpoint under ${checkpoints_root}: starting with empty state"
  fi
else
  echo "start-job: FLINK_AUTO_RESTORE=${FLINK_AUTO_RESTORE}: starting with empty state"
fi

# Program arguments go after "--". Without it, Flink's entry-point parser (commons-cli, which
# accepts unambiguous prefixes of long options) would read the job's `--config` as its own
# `--configDir`, and the job would start without arguments.
exec "${FLINK_HOME:-/opt/flink}/bin/standalone-job.sh" start-foreground \
  --job-classname "${job_class}" \
  ${restore[@]+"${restore[@]}"} \
  "$@" \
  -- --config "${engine_config}"
