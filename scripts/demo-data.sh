#!/usr/bin/env bash
# Demo data through the REST API (the same path a scheduling system takes): sites Nicolet and
# Gentilly (America/Toronto) with a booth each, a service, an agent with a password and
# availability every day, a few appointments today. Made once; later runs reuse it.
#   scripts/demo-data.sh BASE_URL ADMIN_KEY STATE_DIR   (writes STATE_DIR/demo.txt)
set -euo pipefail
base=$1; key=$2; state=$3
api() {  # METHOD PATH [JSON]
    local out status
    out=$(curl -sS -X "$1" "$base/api/v1$2" -H "Authorization: Bearer $key" \
        -H 'Content-Type: application/json' ${3:+--data "$3"} -w '\n%{http_code}')
    status=${out##*$'\n'}
    if [[ $status != 2* ]]; then echo "demo data: $1 $2 -> $status ${out%$'\n'*}" >&2; return 1; fi
    printf '%s' "${out%$'\n'*}"
}

if [[ -s $state/demo.txt ]] && api GET /sites | jq -e '.sites[] | select(.code == "NIC")' >/dev/null; then
    exit 0
fi

# Find by code (or e-mail) what an earlier, interrupted run made; make the rest.
find_or_make() {  # LIST_PATH LIST_KEY FIELD VALUE CREATE_PATH CREATE_JSON
    local id
    id=$(api GET "$1" | jq -r --arg f "$3" --arg v "$4" ".$2[] | select(.[\$f] == \$v) | .id" | head -1)
    [[ -n $id ]] || id=$(api POST "$5" "$6" | jq -r .id)
    printf '%s' "$id"
}

service=$(find_or_make /services services code EMPLOI /services \
    '{"code":"EMPLOI","name_fr":"Aide à l'"'"'emploi","name_en":"Employment help","duration_minutes":30,"walk_in_allowed":true}')
sites=(); booth_urls=(); logins=()
for spec in "NIC|Nicolet|Nicolet|nicolet" "GEN|Gentilly|Gentilly|gentilly"; do
    IFS='|' read -r code fr en mail <<<"$spec"
    site=$(find_or_make /sites sites code "$code" /sites \
        "{\"code\":\"$code\",\"name_fr\":\"$fr\",\"name_en\":\"$en\",\"timezone\":\"America/Toronto\"}")
    sites+=("$site")
    if [[ $(api GET "/sites/$site/booths" | jq '.booths | length') == 0 ]]; then
        url=$(api POST "/sites/$site/booths" "{\"label\":\"Visioguichet $fr\"}" | jq -r .enrollment_url)
        booth_urls+=("$fr: $url")
    else
        booth_urls+=("$fr: (booth made by an earlier run; enrol a new one with POST /api/v1/sites/$site/booths)")
    fi
    # One agent per site: an agent is in one place at a time, and the demo has appointments at both.
    email=agent.$mail@demo.visioguichet.local
    password=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    agent=$(api GET /agents | jq -r --arg e "$email" '.agents[] | select(.email == $e) | .id' | head -1)
    if [[ -z $agent ]]; then
        agent=$(api POST /agents "$(jq -nc --arg pw "$password" --arg e "$email" --arg n "Agent $fr" --arg s "$site" --arg sv "$service" \
            '{email:$e,display_name:$n,password:$pw,roles:["agent","supervisor"],site_ids:[$s],service_ids:[$sv],languages:["fr","en"]}')" | jq -r .id)
        logins+=("$email / $password")
    else
        logins+=("$email (password set by an earlier run)")
    fi
    rules=$(jq -nc --arg s "$site" '{rules: [range(1;8) as $d | {weekday:$d,start:"00:00",end:"23:30",site_id:$s}]}')
    api PUT "/agents/$agent/availability" "$rules" >/dev/null
done

today=$(TZ=America/Toronto date +%F)
codes=()
for i in 0 1; do
    site=${sites[$i]}
    slots=$(api GET "/sites/$site/slots?service_id=$service&date=$today" | jq -r '[.slots[] | select(.available > 0)][0:2][] | .starts_at')
    n=0
    for start in $slots; do
        n=$((n + 1))
        code=$(api POST /appointments "$(jq -nc --arg site "$site" --arg sv "$service" --arg at "$start" --arg name "Citoyen démo $i$n" \
            '{site_id:$site,service_id:$sv,starts_at:$at,citizen:{name:$name,language:"fr"}}')" | jq -r .check_in_code)
        codes+=("$start  code $code  ($([[ $i == 0 ]] && echo Nicolet || echo Gentilly))")
    done
done

{
    echo "  Booth enrolment URLs (open each once in the booth's browser):"
    for u in "${booth_urls[@]}"; do echo "    $u"; done
    echo "  Agent console:   $base/agent"
    for l in "${logins[@]}"; do echo "    login $l"; done
    echo "  Appointments today:"
    for c in "${codes[@]}"; do echo "    $c"; done
} >"$state/demo.txt"
