# Shell functions shared by the harnesses under benchmarks/ (load/run.sh, interop/run.sh); source it
# with ROOT set to the repository root. Nothing here starts anything by itself.

# The server jar: $JAR when set, else server/target/sipauth.jar.
sipauth_jar() {
  echo "${JAR:-$ROOT/server/target/sipauth.jar}"
}

rand_hex() { # bytes -> that many random bytes as lowercase hex
  head -c"$1" /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds (0) or the deadline
# passes (1). For events that leave no line to wait on (a port that starts listening, an HTTP probe).
wait_until() {
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 ))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# wait_line SECONDS FILE EXTENDED-REGEX: prints the first line of FILE matching the regex as soon as
# it is there (status 0), or nothing and status 1 when the deadline passes first.
wait_line() {
  local secs=$1 file=$2 re=$3 deadline line
  deadline=$(( $(date +%s%N) + secs * 1000000000 ))
  while :; do
    line=$(grep -E -m1 -- "$re" "$file" 2>/dev/null || true)
    [ -n "$line" ] && { echo "$line"; return 0; }
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

udp_listening() { ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }
wait_udp() { # port [seconds]
  wait_until "${2:-20}" udp_listening "$1" || { echo "nothing listens on UDP $1" >&2; return 1; }
}

# start_server LOG ARGS...: `java -jar JAR serve ARGS` with SIPAUTH_ACCOUNT_SID=$ACCOUNT and
# SIPAUTH_AUTH_TOKEN=$TOKEN, stdout and stderr into LOG; JAVA_OPTS (unquoted) go before -jar.
# Waits up to 60 s for the admin API and, unless --no-sip is among ARGS, the SIP listener; sets
# SERVER_PID, ADMIN_PORT, SIP_PORT (the bound ports, also when ARGS asked for port 0) and API.
start_server() {
  local log=$1 line
  shift
  : >"$log"
  SIPAUTH_ACCOUNT_SID=$ACCOUNT SIPAUTH_AUTH_TOKEN=$TOKEN \
    java ${JAVA_OPTS:-} -jar "$(sipauth_jar)" serve "$@" >>"$log" 2>&1 &
  SERVER_PID=$!
  line=$(wait_line 60 "$log" '^sipauth admin API listening on .* port [0-9]+|^sipauth: ') || line=
  case "$line" in
    *"listening on"*) ADMIN_PORT=$(echo "$line" | sed -E 's/.* port ([0-9]+).*/\1/') ;;
    *) echo "the server did not start; see $log" >&2; stop_server; return 1 ;;
  esac
  API=http://127.0.0.1:$ADMIN_PORT
  SIP_PORT=
  case " $* " in *" --no-sip "*) return 0 ;; esac
  line=$(wait_line 60 "$log" '^sipauth SIP listening on .* port [0-9]+|^sipauth: ') || line=
  case "$line" in
    *"listening on"*) SIP_PORT=$(echo "$line" | sed -E 's/.* port ([0-9]+).*/\1/') ;;
    *) echo "the SIP listener did not start; see $log" >&2; stop_server; return 1 ;;
  esac
}

stop_server() { # ends the server start_server started, waits for it to exit
  [ -n "${SERVER_PID:-}" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# ---- the admin API (ACCOUNT, TOKEN, API set) ----------------------------------------------------
sid() { # PREFIX: the first "sid" of that kind in the JSON on stdin
  grep -o "\"sid\": *\"$1[0-9a-fA-F]\{32\}\"" | head -1 | grep -o "$1[0-9a-fA-F]\{32\}"
}
api_post() { # PATH name=value...: POST form-encoded fields; prints the JSON, fails on an HTTP error
  local path=$1 args=() kv
  shift
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  curl -sf -u "$ACCOUNT:$TOKEN" "${args[@]}" "$API$path"
}
sip_api() { echo "/2010-04-01/Accounts/$ACCOUNT/SIP"; }
create_credential_list() { api_post "$(sip_api)/CredentialLists.json" FriendlyName="$1" | sid CL; }
create_credential() { api_post "$(sip_api)/CredentialLists/$1/Credentials.json" Username="$2" Password="$3" >/dev/null; }
create_trunk() { api_post /v1/Trunks FriendlyName="$1" DomainName="$2" | sid TK; }
map_trunk_list() { api_post "/v1/Trunks/$1/CredentialLists" CredentialListSid="$2" >/dev/null; }
