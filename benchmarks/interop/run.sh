#!/usr/bin/env bash
# sipauth client matrix: each SIP client places one call (INVITE -> 401 -> INVITE with digest
# credentials -> 200 -> ACK, then BYE) against `sipauth.jar serve` over UDP and TCP on 127.0.0.1, once
# per digest algorithm offer; prints a Markdown table (client x offer x transport) of what happened.
#
# Usage: benchmarks/interop/run.sh        (about 2 minutes with all five clients installed)
# Knobs (environment):
#   CLIENTS     clients to drive, default "sipp sipsak baresip linphonec twinkle"
#   OFFERS      --digest-algorithms values, one server start each, default "MD5 SHA-256,MD5 MD5,SHA-256"
#   TRANSPORTS  default "udp tcp"
#   INSTALL     1 (default): as root with apt-get, install the missing clients' Debian packages
#               (sip-tester, sipsak, baresip, linphone-cli, twinkle-console); 0: use what is there
#   CALL_TIMEOUT seconds a client gets to reach a final answer (default 20); every client also runs
#               under `timeout` with a little more than that
#   HOLD        seconds a call is held after the 200 before the harness hangs up (default 3): a
#               client that hangs up itself, or a 200 retransmitted for want of an ACK, shows there
#   CLIENT_PORT first local SIP port of the clients (default 25262; call k of the run uses
#               CLIENT_PORT + 2k, its media CLIENT_PORT + 500 + 2k; 30 calls with the defaults)
#   SERVER_EXTRA_ARGS  appended to the server's arguments;  JAR  the server jar
#   OUT         output directory, default benchmarks/interop/results/<UTC timestamp>
# The server binds 127.0.0.1 on ports it picks itself (--sip-port 0, --admin-port 0); every client
# sends to 127.0.0.1 only. Each client gets a throwaway HOME and configuration under OUT.
# Needs: java 17, curl, tmux (linphonec and twinkle-console are driven through a terminal).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=../lib.sh
. "$ROOT/benchmarks/lib.sh"

CLIENTS=${CLIENTS:-sipp sipsak baresip linphonec twinkle}
OFFERS=${OFFERS:-MD5 SHA-256,MD5 MD5,SHA-256}
TRANSPORTS=${TRANSPORTS:-udp tcp}
CALL_TIMEOUT=${CALL_TIMEOUT:-20}
HOLD=${HOLD:-3}
CLIENT_PORT=${CLIENT_PORT:-25262}
OUT=${OUT:-$ROOT/benchmarks/interop/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

HOST=interop.sipauth.test          # the trunk's domain name: the Request-URI host of every call
SERVICE=15550001                   # the number called
USERNAME=alice
PASSWORD=Interop2Secret            # the admin API's rules: >= 12 characters, digit, mixed case
SCENARIO=$ROOT/benchmarks/interop/scenarios/uac-call.xml

say() { echo "interop: $*" >&2; }

# ---- the clients: Debian package and command of each -------------------------------------------
declare -A PKG=([sipp]=sip-tester [sipsak]=sipsak [baresip]=baresip [linphonec]=linphone-cli [twinkle]=twinkle-console)
declare -A NAME=([sipp]=SIPp [sipsak]=sipsak [baresip]=baresip [linphonec]=linphonec [twinkle]=twinkle-console)
declare -A BIN=([sipp]=sipp [sipsak]=sipsak [baresip]=baresip [linphonec]=linphonec [twinkle]=twinkle-console)
declare -A VERSION PRESENT
for c in $CLIENTS; do
  [ -n "${PKG[$c]:-}" ] || { say "unknown client '$c' (known: ${!PKG[*]})"; exit 2; }
done
for tool in java curl; do
  command -v "$tool" >/dev/null || { say "$tool is missing"; exit 2; }
done

install_missing() {
  local missing=() c
  for c in $CLIENTS; do command -v "${BIN[$c]}" >/dev/null 2>&1 || missing+=("${PKG[$c]}"); done
  case " $CLIENTS " in *" linphonec "*|*" twinkle "*) command -v tmux >/dev/null 2>&1 || missing+=(tmux) ;; esac
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "${INSTALL:-1}" != 1 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "not installing ${missing[*]} (INSTALL=${INSTALL:-1}, uid $(id -u)); those clients are reported as not present"
    return 0
  fi
  say "installing ${missing[*]}"
  timeout 300 apt-get update -qq >"$OUT/apt.log" 2>&1 || true
  local p
  for p in "${missing[@]}"; do   # one by one: a package that cannot be had does not stop the others
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "$p" >>"$OUT/apt.log" 2>&1 ||
      say "could not install $p (see apt.log)"
  done
}
install_missing

client_version() {
  local v=
  case $1 in
    sipp) v=$(sipp -v 2>&1 | grep -o 'v[0-9][0-9.]*' | head -1 | tr -d v) ;;
    sipsak) v=$(sipsak -V 2>&1 | grep -o '[0-9][0-9.]*' | head -1) ;;
    baresip) v=$(baresip -h 2>&1 | grep -o 'baresip v[0-9][0-9.]*' | head -1 | sed 's/.* v//') ;;
    linphonec) v=$(timeout 5 linphonec -v 2>&1 </dev/null | grep -o '[0-9]\+\.[0-9]\+\.[0-9]\+' | head -1) ;;
  esac
  if [ -z "$v" ] && command -v dpkg-query >/dev/null 2>&1; then   # twinkle-console has no version option
    v=$(dpkg-query -W -f='${Version}' "${PKG[$1]}" 2>/dev/null | sed -E 's/^[0-9]+://; s/[+~-].*//')
  fi
  echo "${v:-?}"
}
for c in $CLIENTS; do
  if command -v "${BIN[$c]}" >/dev/null 2>&1; then
    PRESENT[$c]=1; VERSION[$c]=$(client_version "$c")
  else
    PRESENT[$c]=0; VERSION[$c]=
  fi
  case $c in linphonec|twinkle) command -v tmux >/dev/null 2>&1 || PRESENT[$c]=0 ;; esac
done

# ---- the server --------------------------------------------------------------------------------
JAR=$(sipauth_jar)
if [ ! -f "$JAR" ]; then
  say "building the server jar"
  ./mvnw -q -B -ntp -DskipTests install
fi
ACCOUNT=AC$(rand_hex 16)
TOKEN=$(rand_hex 16)
SERVER_PID=
TMUX_SOCKETS=()
CLIENT_PIDS=()
cleanup() {
  local s p
  for p in "${CLIENT_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for s in "${TMUX_SOCKETS[@]:-}"; do [ -n "$s" ] && tmux -S "$s" kill-server 2>/dev/null || true; done
  stop_server
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_offer() { # offer label: fresh data dir, provisioning through the admin API
  local offer=$1 label=$2 cl tk
  start_server "$OUT/server-$label.log" --data-dir "$OUT/data-$label" --store h2 \
    --sip-host 127.0.0.1 --sip-port 0 --admin-host 127.0.0.1 --admin-port 0 \
    --digest-algorithms "$offer" --throttle-max-failures 1000 ${SERVER_EXTRA_ARGS:-}
  cl=$(create_credential_list interop) && create_credential "$cl" "$USERNAME" "$PASSWORD" &&
    tk=$(create_trunk interop "$HOST") && map_trunk_list "$tk" "$cl" ||
    { say "provisioning failed; see $OUT/server-$label.log"; return 1; }
  say "offer $offer: server pid $SERVER_PID, SIP 127.0.0.1:$SIP_PORT, trunk $tk ($HOST) with $USERNAME in $cl"
}

# ---- evidence ----------------------------------------------------------------------------------
# sip_events FILE: the SIP messages in a client's trace, one line each: "<method or status> <CSeq
# number> <CSeq method>", e.g. "INVITE 1 INVITE", "401 1 INVITE", "BYE 3 BYE". The clients are UACs
# and the server never sends requests, so requests were sent by the client, responses received.
# A response a client made up for itself (twinkle: "Send internal:") is left out.
sip_events() {
  sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\r$//' "$1" 2>/dev/null | awk '
    /^Send internal:/ { skip = 1; next }
    /^(INVITE|ACK|BYE|CANCEL|OPTIONS|PRACK|UPDATE|REGISTER|PUBLISH|SUBSCRIBE|NOTIFY) sips?:[^ ]* SIP\/2\.0$/ { start = $1; ignore = skip; skip = 0; next }
    /^SIP\/2\.0 [1-6][0-9][0-9]( |$)/ { start = $2; ignore = skip; skip = 0; next }
    /^[Cc][Ss][Ee][Qq]:/ && start != "" { if (!ignore) print start, $2, $3; start = "" }'
}

# digest_used TRACE: the algorithm of the client's first credentials (absent means MD5, RFC 2617)
digest_used() {
  local a
  a=$(sed 's/\r$//' "$1" 2>/dev/null | grep -a -m1 -E '^(Proxy-)?Authorization: *Digest' |
      grep -o -i -E 'algorithm="?[A-Za-z0-9-]+' | sed -E 's/.*=//; s/"//') || true
  echo "${a:-MD5}"
}

# classify TRACE EVENTS-ALL EVENTS-BEFORE-HANGUP DECISIONS NOTE -> "outcome|detail"
classify() {
  local trace=$1 all=$2 pre=$3 dec=$4 note=$5
  local allowed challenged denied invites ok200 inv200 acked hung alg
  alg=$(digest_used "$trace")
  allowed=$(grep -c 'outcome=ALLOWED' "$dec" || true)
  challenged=$(grep -c 'outcome=CHALLENGED' "$dec" || true)
  denied=$(grep -m1 -o 'outcome=DENIED reason=[^ ]* status=[0-9]*' "$dec" || true)
  invites=$(awk '$1 == "INVITE" { print $2 }' "$all" | sort -u | wc -l)
  ok200=$(awk '$1 == "200" && $3 == "INVITE"' "$pre" | wc -l)
  inv200=$(awk '$1 == "200" && $3 == "INVITE" { print $2; exit }' "$all")
  acked=$(awk -v n="$inv200" '$1 == "ACK" && $2 == n' "$all" | wc -l)
  hung=$(awk 'seen && ($1 == "BYE" || $1 == "CANCEL") { print $1; exit } $1 == "200" && $3 == "INVITE" { seen = 1 }' "$pre")
  if [ "$allowed" -gt 0 ] && [ "$ok200" -gt 0 ]; then
    if [ "$acked" -eq 0 ]; then
      echo "cannot ACK|$alg; 200 received ${ok200}x, no ACK sent${note:+; $note}"
    elif [ -n "$hung" ]; then
      echo "hangs up after 200|$alg; $hung right after the ACK${note:+: $note}"
    elif [ "$ok200" -gt 1 ]; then
      echo "cannot ACK|$alg; 200 retransmitted ${ok200}x although the client sent an ACK"
    else
      echo "authenticates|$alg"
    fi
  elif [ "$allowed" -gt 0 ]; then
    echo "no result|server ALLOWED, the client saw no 200${note:+; $note}"
  elif [ -n "$denied" ]; then
    echo "auth fails|credentials sent, $denied${note:+; $note}"
  elif [ "$challenged" -gt 0 ] && [ "$invites" -le 1 ]; then
    echo "auth fails|no credentials after the 401${note:+: $note}"
  elif [ "$challenged" -gt 0 ]; then
    echo "auth fails|challenged again${note:+: $note}"
  else
    echo "no result|no INVITE reached the server${note:+; $note}"
  fi
}

# The first line of FILE matching an extended regex, without color codes, at most 90 characters.
first_note() {
  sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\r$//' "$1" 2>/dev/null | grep -E -m1 -- "$2" |
    sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}[[:space:]]+[0-9:.]+[[:space:]]+[0-9.]+: //; s/^[[:space:]]+//; s/[|[:cntrl:]]/ /g; s/[[:space:]]+$//' |
    cut -c1-90 | sed -E 's/[[:space:]]+$//' || true
}

# ---- driving one client ------------------------------------------------------------------------
# Each run_<client> DIR TRANSPORT PORT leaves in DIR: trace (the SIP messages as the client logged
# them), pre (the trace as it was when the harness hung up), note (the client's own words when
# something went wrong).
tmux_start() { # dir command: a detached terminal running command; its output also in dir/console
  local sock=$1/tmux.sock
  TMUX_SOCKETS+=("$sock")
  # The command starts on the first Enter, once everything it prints is captured.
  tmux -S "$sock" new-session -d -s client -x 200 -y 50 "read -r _; $2; echo \$? >'$1/exit'"
  tmux -S "$sock" pipe-pane -t client "cat >>'$1/console'"
  tmux -S "$sock" send-keys -t client Enter
}
tmux_keys() { tmux -S "$1/tmux.sock" send-keys -t client "$2" Enter; }
tmux_stop() { # dir: waits for the client to exit (it was told to), then ends its terminal
  wait_until 10 test -f "$1/exit" || true
  tmux -S "$1/tmux.sock" kill-server 2>/dev/null || true
}
# hold DIR ANSWERED-REGEX FILE...: waits for the call's final answer, then HOLD seconds for the
# client to hang up by itself; copies the trace as it is then into DIR/pre. 0 when answered.
hold_call() {
  local dir=$1 re=$2 line
  line=$(wait_line "$CALL_TIMEOUT" "$dir/console" "$re") || { cp "$dir/trace" "$dir/pre" 2>/dev/null || : >"$dir/pre"; return 1; }
  echo "$line" >"$dir/answer"
  wait_line "$HOLD" "$dir/trace" '^(BYE|CANCEL) sip' >/dev/null || true
  cp "$dir/trace" "$dir/pre" 2>/dev/null || : >"$dir/pre"
}

run_sipp() {
  local dir=$1 tr=$2 port=$3 t=u1
  [ "$tr" = tcp ] && t=t1
  printf 'SEQUENTIAL\n%s;%s;[authentication username=%s password=%s]\n' "$USERNAME" "$HOST" "$USERNAME" "$PASSWORD" >"$dir/users.csv"
  (cd "$dir" && timeout $((CALL_TIMEOUT + 10)) sipp "127.0.0.1:$SIP_PORT" -sf "$SCENARIO" -inf users.csv \
    -s "$SERVICE" -auth_uri "$SERVICE@$HOST" -m 1 -t "$t" -p "$port" -i 127.0.0.1 -mp $((port + 500)) \
    -d $((HOLD * 1000)) -recv_timeout $((CALL_TIMEOUT * 1000)) -timeout "$((CALL_TIMEOUT + HOLD))s" -nostdin \
    -trace_msg -message_file trace -trace_err -error_file errors >console 2>&1) || true
  # The scenario's BYE is the harness hanging up: what came before it is the call.
  awk '/^BYE / { exit } { print }' "$dir/trace" >"$dir/pre" 2>/dev/null || : >"$dir/pre"
  first_note "$dir/errors" 'authentication|Aborting|unexpected|timeout|Timeout|failed' >"$dir/note"
}

run_sipsak() {
  local dir=$1 tr=$2 port=$3
  printf 'INVITE sip:%s@%s SIP/2.0\r\nFrom: <sip:%s@%s>;tag=sipsak%s\r\nTo: <sip:%s@%s>\r\nCall-ID: interop-%s@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:%s@127.0.0.1:%s;transport=%s>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
    "$SERVICE" "$HOST" "$USERNAME" "$HOST" "$(rand_hex 4)" "$SERVICE" "$HOST" "$(rand_hex 8)" "$USERNAME" "$port" "$tr" >"$dir/invite.txt"
  # sipsak resolves the host of -s: the server's address goes there, the Request-URI is the file's.
  # Over TCP sipsak opens a connection per request, each bound to -l: only UDP gets a fixed port.
  local lport=(-l "$port")
  [ "$tr" = tcp ] && lport=()
  (cd "$dir" && timeout $((CALL_TIMEOUT + 10)) sipsak -vvv -f invite.txt -s "sip:$SERVICE@127.0.0.1:$SIP_PORT" -E "$tr" \
    "${lport[@]}" -k 127.0.0.1 -H 127.0.0.1 -u "$USERNAME" -a "$PASSWORD" >console 2>&1) || true
  # sipsak -vvv prints each request several times while it builds it: keep what it sent ("request:"
  # and the final ACK's "send to:") and received ("received:", and the final response it prints
  # last), one copy each.
  sed 's/\r$//' "$dir/console" | awk '
    /^request:$|^received:$/ { keep = 1; next }
    /^send to: / { keep = 0; last = 1; next }
    /^\*\* reply received/ { keep = 0; next }
    { if (keep || last) print }
    /^$/ { if (last) last = 0 }' >"$dir/trace"
  cp "$dir/trace" "$dir/pre"
  first_note "$dir/console" '^error|unsupported|failed|timeout' >"$dir/note"
}

run_baresip() {
  local dir=$1 tr=$2 port=$3 pid
  mkdir -p "$dir/home/.baresip"
  cat >"$dir/home/.baresip/config" <<EOF
sip_listen 127.0.0.1:$port
net_interface 127.0.0.1
rtp_ports $((port + 500))-$((port + 501))
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module account.so
module menu.so
audio_player aubridge,nil
audio_source ausine,440
audio_alert aubridge,nil
EOF
  echo "<sip:$USERNAME@$HOST;transport=$tr>;auth_pass=$PASSWORD;outbound=\"sip:127.0.0.1:$SIP_PORT;transport=$tr\";regint=0" >"$dir/home/.baresip/accounts"
  : >"$dir/console"
  HOME=$dir/home timeout $((CALL_TIMEOUT + HOLD + 15)) baresip -f "$dir/home/.baresip" -s -t $((CALL_TIMEOUT + HOLD + 10)) \
    -e "/dial sip:$SERVICE@$HOST" </dev/null >"$dir/console" 2>&1 &
  pid=$!
  CLIENT_PIDS+=("$pid")
  ln -sf console "$dir/trace"
  hold_call "$dir" 'Call established|[Cc]all failed|session closed|terminated|[Ff]ailed' || true
  kill -INT "$pid" 2>/dev/null || true             # baresip hangs up (BYE) and quits on SIGINT
  wait_until 10 sh -c "! kill -0 $pid" || kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  first_note "$dir/console" '[Cc]all failed|session closed|[Ee]rror|[Ff]ailed|unsupported|No ACK' |
    sed 's/^sip:[^ ]*: //' >"$dir/note"
}

run_linphonec() {
  local dir=$1 tr=$2 port=$3 udp=$3 tcp=-1
  [ "$tr" = tcp ] && { udp=-1; tcp=$port; }
  mkdir -p "$dir/home/.local/share/linphone"
  cat >"$dir/linphonerc" <<EOF
[sip]
sip_port=$udp
sip_tcp_port=$tcp
sip_tls_port=-1
bind_address=127.0.0.1
default_proxy=0
ipv6=0
[rtp]
audio_rtp_port=$((port + 500))
[sound]
echocancellation=0
[video]
enabled=0
[proxy_0]
reg_proxy=<sip:127.0.0.1:$SIP_PORT;transport=$tr>
reg_route=<sip:127.0.0.1:$SIP_PORT;transport=$tr;lr>
reg_identity=<sip:$USERNAME@$HOST>
reg_sendregister=0
publish=0
[auth_info_0]
username=$USERNAME
passwd=$PASSWORD
realm=sipauth
domain=$HOST
EOF
  : >"$dir/console"; : >"$dir/linphone.log"
  ln -sf linphone.log "$dir/trace"
  # linphonec needs a terminal; `timeout --foreground` keeps it in the terminal's foreground.
  tmux_start "$dir" "HOME='$dir/home' timeout --foreground $((CALL_TIMEOUT + HOLD + 15)) linphonec -c '$dir/linphonerc' -d 6 -l '$dir/linphone.log'"
  wait_line 15 "$dir/console" 'linphonec>' >/dev/null || true
  tmux_keys "$dir" "call sip:$SERVICE@$HOST"
  hold_call "$dir" 'connected\.|error\.|ended|failed|declined' || true
  tmux_keys "$dir" terminate
  tmux_keys "$dir" quit
  tmux_stop "$dir"
  { first_note "$dir/linphone.log" 'Incompatible SDP|need to abort' | sed 's/.*liblinphone-[a-z]*-//'
    first_note "$dir/linphone.log" '[Uu]nsupported.*(algorithm|digest)|[Aa]lgorithm.*not supported'
    first_note "$dir/console" 'error\.|failed|declined'; } | grep -m1 . >"$dir/note" || true
}

run_twinkle() {
  local dir=$1 tr=$2 port=$3
  mkdir -p "$dir/home/.twinkle"
  cat >"$dir/home/.twinkle/interop.cfg" <<EOF
user_name=$USERNAME
user_domain=$HOST
auth_name=$USERNAME
auth_pass=$PASSWORD
outbound_proxy=127.0.0.1:$SIP_PORT
all_requests_to_proxy=yes
register_at_startup=no
pres_publish_startup=no
sip_transport=$tr
EOF
  cat >"$dir/home/.twinkle/twinkle.sys" <<EOF
sip_udp_port=$port
sip_port=$port
rtp_port=$((port + 500))
log_show_sip=yes
validate_audio_dev=no
dev_ringtone=alsa:null
dev_speaker=alsa:null
dev_mic=alsa:null
EOF
  : >"$dir/console"
  ln -sf home/.twinkle/twinkle.log "$dir/trace"
  tmux_start "$dir" "HOME='$dir/home' timeout --foreground $((CALL_TIMEOUT + HOLD + 15)) twinkle-console interop.cfg 2>'$dir/stderr'"
  wait_line 15 "$dir/console" 'Twinkle>' >/dev/null || true
  tmux_keys "$dir" "call sip:$SERVICE@$HOST"
  hold_call "$dir" 'far end answered|call failed|call ended|[0-9]{3} [A-Z]' || true
  tmux_keys "$dir" bye
  tmux_keys "$dir" quit
  tmux_stop "$dir"
  first_note "$dir/console" 'SDP answer|call failed|[Uu]nsupported|[Ff]ailed|no ACK' >"$dir/note"
}

# ---- the matrix --------------------------------------------------------------------------------
declare -A CELL
k=0
port_in_use() { ss -Htuan "( sport = :$1 or sport = :$(($1 + 1)) )" 2>/dev/null | grep -q .; }
RESULTS=$OUT/results.tsv
printf 'client\tversion\toffer\ttransport\toutcome\tdetail\n' >"$RESULTS"
for offer in $OFFERS; do
  label=${offer//,/+}
  start_offer "$offer" "$label"
  for c in $CLIENTS; do
    for tr in $TRANSPORTS; do
      # A port of its own for every call, skipping any in use (a TCP port just closed may still be
      # in TIME_WAIT).
      while :; do
        port=$((CLIENT_PORT + 2 * k))
        k=$((k + 1))
        port_in_use "$port" || port_in_use $((port + 500)) || break
      done
      if [ "${PRESENT[$c]}" != 1 ]; then
        CELL[$c/$offer/$tr]="not present"; continue
      fi
      dir=$OUT/$c-$label-$tr
      mkdir -p "$dir"
      from=$(( $(wc -l <"$OUT/server-$label.log") + 1 ))
      "run_$c" "$dir" "$tr" "$port"
      # The server writes its decision lines within 100 ms: wait for the acceptance, else 2 s.
      wait_until 2 sh -c "tail -n +$from '$OUT/server-$label.log' | grep -q 'outcome=ALLOWED'" || true
      tail -n +"$from" "$OUT/server-$label.log" | grep 'org.sipauth.decisions' >"$dir/decisions" || true
      sip_events "$dir/trace" >"$dir/events"
      sip_events "$dir/pre" >"$dir/events-before-hangup"
      result=$(classify "$dir/trace" "$dir/events" "$dir/events-before-hangup" "$dir/decisions" "$(cat "$dir/note" 2>/dev/null)")
      outcome=${result%%|*}; detail=${result#*|}
      CELL[$c/$offer/$tr]="$outcome${detail:+ ($detail)}"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "${VERSION[$c]}" "$offer" "$tr" "$outcome" "$detail" >>"$RESULTS"
      say "$c ${VERSION[$c]} $offer $tr: $outcome${detail:+ ($detail)}"
    done
  done
  stop_server
done

# ---- the table ---------------------------------------------------------------------------------
{
  printf '| client |'
  for offer in $OFFERS; do for tr in $TRANSPORTS; do printf ' `%s` %s |' "$offer" "${tr^^}"; done; done
  printf '\n|---|'
  for offer in $OFFERS; do for tr in $TRANSPORTS; do printf -- '---|'; done; done
  printf '\n'
  for c in $CLIENTS; do
    if [ "${PRESENT[$c]}" = 1 ]; then printf '| %s %s |' "${NAME[$c]}" "${VERSION[$c]}"; else printf '| %s |' "${NAME[$c]}"; fi
    for offer in $OFFERS; do for tr in $TRANSPORTS; do printf ' %s |' "${CELL[$c/$offer/$tr]}"; done; done
    printf '\n'
  done
} >"$OUT/matrix.md"
{
  echo "sipauth client matrix, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -srm), $(java -version 2>&1 | head -1)"
  echo "jar: $JAR"
  echo
  cat "$OUT/matrix.md"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
echo
echo "results and raw logs in $OUT"
