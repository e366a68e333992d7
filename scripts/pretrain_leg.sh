#!/usr/bin/env bash
# Carry a long run across sessions on machines that do not keep runs/: `save` copies what
# --resume needs (the resolved config, the metrics so far, the last checkpoint with its
# optimizer state) from the run folder into checkpoints/legs/NAME/ for committing; `restore`
# puts it back so that `zoorun EXPERIMENT --out RUN --resume` continues from the last epoch.
#   scripts/pretrain_leg.sh save    runs/pretrain-gz checkpoints/legs/pretrain-gz
#   scripts/pretrain_leg.sh restore checkpoints/legs/pretrain-gz runs/pretrain-gz
set -euo pipefail
[ $# -eq 3 ] || { sed -n '2,7p' "$0"; exit 2; }
mode=$1 from=$2 to=$3
files=(config.yaml metrics.csv metrics.jsonl .zoorun-run checkpoints/last.safetensors)
case $mode in
  save|restore) ;;
  *) echo "pretrain_leg.sh: mode must be save or restore, not '$mode'" >&2; exit 2 ;;
esac
[ -f "$from/checkpoints/last.safetensors" ] || { echo "pretrain_leg.sh: $from/checkpoints/last.safetensors not found: nothing to $mode" >&2; exit 1; }
if [ "$mode" = restore ] && [ -e "$to/checkpoints/last.safetensors" ] && [ "$to/checkpoints/last.safetensors" -nt "$from/checkpoints/last.safetensors" ]; then
  echo "pretrain_leg.sh: $to has a newer checkpoint than the leg; not overwriting it" >&2; exit 1
fi
mkdir -p "$to/checkpoints"
for f in "${files[@]}"; do
  [ -e "$from/$f" ] || continue
  cp "$from/$f" "$to/$f.tmp" && mv "$to/$f.tmp" "$to/$f"   # atomic per file
done
echo "pretrain_leg.sh: $mode: $from → $to ($(grep -c . "$to/metrics.csv" 2>/dev/null || echo 1) lines of metrics)"
