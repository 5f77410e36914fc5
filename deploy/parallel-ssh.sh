#!/usr/bin/env bash
# One Galley batch on several machines with GNU parallel over ssh: the
# inputs are cut into N shards (galley render --shard K/N) and each host
# renders one shard at a time.
#
#   deploy/parallel-ssh.sh HOSTS.txt [ARTICLES] [OUT]
#
# HOSTS.txt lists the hosts one per line, as GNU parallel's --sshloginfile
# reads them (user@host, or ":" for this machine; # comments).
#
# Assumptions:
# - Every host sees the same shared folder (NFS, CephFS …) at the same path:
#   the articles, their pictures, the output folder and the reports. Give
#   absolute paths; ssh starts the command in the remote home folder.
# - Every host runs the same Galley build at the same path ($GALLEY), for
#   instance one built on the shared folder. The build finds its styles and
#   fonts through the absolute paths it was built at. With --skip-unchanged
#   the stamps hold the Galley version, the fonts and the bytes of the
#   sources (not their paths), so a host with another Galley version or
#   other fonts renders everything again.
# - Passwordless ssh to every host.
#
# Every host is given the same inputs and works out the whole list itself
# (and rejects colliding outputs before any work); an input goes to shard
# FNV-1a(its name below its folder argument) mod N, so the N shards
# together are the whole batch, each input in exactly one of them.
set -euo pipefail

hosts=${1:?usage: $0 HOSTS.txt [ARTICLES] [OUT]}
articles=${2:-/shared/articles}
out=${3:-/shared/out}
galley=${GALLEY:-/shared/galley/build/galley}
# N: one shard per host by default. More shards than hosts (SHARDS=4×hosts)
# evens out hosts of different speed: a host that finishes early takes the
# next shard.
shards=${SHARDS:-$(grep -cv '^[[:space:]]*\(#\|$\)' "$hosts" || true)}
if ! [[ $shards =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: no hosts in $hosts (or SHARDS is not a number)" >&2
  exit 2
fi

# Reports of an earlier run with another N would mix in.
mkdir -p "$out"
rm -f "$out"/report-*.jsonl

# -j1: one shard at a time on each host (galley uses every core of the host
# itself; give -j to galley to use fewer). --env passes these variables to
# the remote command when they are set here. --halt never: a shard with a
# failed input (exit status 1) does not stop the others.
status=0
seq 1 "$shards" | parallel --sshloginfile "$hosts" -j1 --halt never --tag \
    --env SOURCE_DATE_EPOCH --env GALLEY_STYLES \
    --joblog "$out/parallel-joblog.txt" \
    "$galley" render "$articles" -o "$out" --shard {}/"$shards" \
    --skip-unchanged -q --report "$out/report-{}.jsonl" || status=$?

# One report for the whole batch: a JSON line per input.
# (A shard whose host could not be reached has no report.)
cat "$out"/report-*.jsonl > "$out/report.jsonl" 2>/dev/null || true
echo "galley: $(wc -l < "$out/report.jsonl") inputs," \
     "$(grep -c '"status":"failed"' "$out/report.jsonl" || true) failed;" \
     "report in $out/report.jsonl" >&2
# GNU parallel's exit status: the number of shards that failed (0: all done).
exit "$status"
