#!/usr/bin/env bash
# For developers: a private cluster in /tmp/vg-devdb-NAME; prints the export line for the tests.
#   eval "$(scripts/devdb.sh NAME)"
set -euo pipefail
url=$("$(dirname "$0")/pg.sh" start "/tmp/vg-devdb-${1:-$(id -un)}")
echo "export VISIOGUICHET_TEST_DATABASE_URL=$url"
