#!/usr/bin/env bash
# README command 2: installs what is missing, then runs every test in Release.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" --test
exec dotnet test "$here/AsymNet.slnx" -c Release --no-build -nologo "$@"
