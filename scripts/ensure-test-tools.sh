#!/usr/bin/env bash
# Runs before `npm test`: makes sure the tools the tests drive are present.
# Chromium comes from Debian (test tools cannot download browsers here); the
# emulators come with the gcloud CLI and cannot be installed from a registry,
# so their absence is reported, loudly, by the integration tests' setup.
set -euo pipefail
export TF_CLI_CONFIG_FILE="${TF_CLI_CONFIG_FILE:-/tmp/spacelog-terraformrc}"
[ -e "$TF_CLI_CONFIG_FILE" ] || : > "$TF_CLI_CONFIG_FILE"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the end-to-end test" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "the end-to-end test needs Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
