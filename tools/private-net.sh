#!/usr/bin/env bash
# Run a command in a network namespace of its own that has only loopback, so WebRTC media
# (which would otherwise use every interface) never leaves the machine. Used by `make test`
# for tests/media.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then
  exec unshare --net --fork -- bash -c 'ip link set lo up && exec "$@"' private-net "$@"
fi
exec unshare --user --map-root-user --net --fork -- bash -c 'ip link set lo up && exec "$@"' private-net "$@"
