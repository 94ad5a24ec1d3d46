#!/bin/bash
# A sweep as a Slurm job array: array task K of N runs `npm run sweep -- --shard K/N`,
# and all N write their records into one --out on a file system every node sees.
#
#   sbatch scripts/slurm/sweep-array.sh                          the whole sweep in 8 shards
#   sbatch --array=1-20 scripts/slurm/sweep-array.sh --seeds 100  20 shards; options go to the sweep
#
# Submit from the repository's root (a clone with `npm ci` done) on a shared file system:
# the job runs in the folder it was submitted from. N is the size of the array, so
# --array on the command line overrides the 8 below; it must be a range 1-N (a limit
# such as 1-20%4 is fine). To redo a failed or cancelled task, submit the whole range 1-N again: the finished shards find their records and skip them, and the failed one resumes.
#SBATCH --job-name=ica-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --output=sweep-%A_%a.out
set -euo pipefail
K=$SLURM_ARRAY_TASK_ID
N=$SLURM_ARRAY_TASK_MAX
if [ "${SLURM_ARRAY_TASK_MIN:-1}" != 1 ] || [ "${SLURM_ARRAY_TASK_COUNT:-$N}" != "$N" ]; then
  echo "sweep-array.sh: --array must be a range 1-N, got min ${SLURM_ARRAY_TASK_MIN:-?}, max $N, count ${SLURM_ARRAY_TASK_COUNT:-?}" >&2
  exit 2
fi
exec npm run sweep -- --shard "$K/$N" --workers "${SLURM_CPUS_PER_TASK:-1}" "$@"
