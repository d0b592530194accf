#!/usr/bin/env bash
# Loads a year's holidays as closures of one site (POST /api/v1/sites/{id}/closures, admin):
#   VISIOGUICHET_API_KEY=... deploy/holidays/load.sh https://visio.example.org SITE_ID quebec-2027.json
# Each holiday is one closure of the whole local day; visits booked on it are cancelled and their
# citizens told. Québec's statutory holidays of 2027 (Good Friday chosen over Easter Monday, as the
# employer may) are in quebec-2027.json; copy and edit it for another year or province.
set -euo pipefail
base=${1:?usage: load.sh BASE_URL SITE_ID FILE}
site=${2:?site id}
file=${3:?holidays file}
: "${VISIOGUICHET_API_KEY:?an admin API key}"
jq -c '.closures[]' "$file" | while read -r closure; do
    curl --fail-with-body --silent --show-error --max-time 30 \
        -H "Authorization: Bearer $VISIOGUICHET_API_KEY" -H 'Content-Type: application/json' \
        --data "$closure" "$base/api/v1/sites/$site/closures" |
        jq -c '{starts_at, reason_fr, cancelled: (.cancelled_appointments | length)}'
done
