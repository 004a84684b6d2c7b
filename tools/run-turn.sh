#!/usr/bin/env bash
# `make dev`: the TURN relay on 127.0.0.1, when coturn is installed. Its secret comes from the
# same settings the app signs TURN credentials with (python -m media_nodes.turn_config); the
# app offers it to browsers through CONSILIO_TURN_URLS, which `make dev` writes into .env
# (app/manage.py DEV_TURN_URL: port 3478 unless CONSILIO_TURN_PORT says otherwise).
set -euo pipefail
if ! command -v turnserver >/dev/null; then
  echo "coturn is not installed, so no TURN relay runs (Debian: apt-get install coturn)."
  exec sleep infinity  # honcho would stop every process if this one ended
fi
state=$(mktemp -d -t consilio-turn-XXXX)
.venv/bin/python -m media_nodes.turn_config test --port "${CONSILIO_TURN_PORT:-3478}" \
  --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --state-dir "$state" > "$state/turnserver.conf"
exec turnserver -c "$state/turnserver.conf"
