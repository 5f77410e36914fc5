#!/bin/bash
# One Galley batch as a Slurm job array: array task i renders shard i of
# the array (galley render --shard env reads SLURM_ARRAY_TASK_ID less
# SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT).
#
#   sbatch deploy/slurm-array.sh                    # from the folder holding articles/
#   ARTICLES=/shared/articles OUT=/shared/out sbatch deploy/slurm-array.sh
#
# The array must be one contiguous range (0-15, 1-16, 0-15%4 to run at most
# 4 at once): galley counts shards with SLURM_ARRAY_TASK_COUNT and numbers
# them from SLURM_ARRAY_TASK_MIN, so a step (0-15:2) or a list with gaps
# (1,3,7) leaves shards that no task runs, and galley rejects the task ids
# beyond the count as a usage error (exit status 2).
#
# Assumes a file system shared by the nodes, seen at the same path
# (sbatch starts the tasks in the submit folder), and the same Galley build
# on every node ($GALLEY; it finds its styles and fonts through the paths it
# was built at). Relative paths below are relative to the submit folder.
#
#SBATCH --job-name=galley
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=512M
#SBATCH --time=01:00:00
#SBATCH --output=galley-%A_%a.log
set -euo pipefail

GALLEY=${GALLEY:-build/galley}
ARTICLES=${ARTICLES:-articles}
OUT=${OUT:-out}

# -j: the CPUs Slurm gave the task (galley's default is every core the task
# may run on). --skip-unchanged: a task run again (requeued, or the whole
# array submitted again) renders only inputs that changed or failed before.
# Exit status: 0, 1 when an input failed (the task shows FAILED), 2 usage.
exec "$GALLEY" render "$ARTICLES" -o "$OUT" --shard env \
    -j "${SLURM_CPUS_PER_TASK:-1}" --skip-unchanged -q \
    --report "$OUT/report-$SLURM_ARRAY_TASK_ID.jsonl"
