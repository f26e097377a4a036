#!/usr/bin/env bash
# sipauth load harness: drives INVITE -> 401 -> ACK -> INVITE(+digest) -> 200 -> ACK with SIPp over
# UDP loopback against (1) the real server (`sipauth.jar serve`, users provisioned through the admin
# API) and (2) the bare JAIN-SIP responder (same stack and call flow, no digest check), at
# increasing rates; then 2x the best authenticated rate for OVERLOAD_SECONDS and a recovery step.
#
# Usage: benchmarks/load/run.sh            (full run: ~15 minutes of both cores)
#        QUICK=1 benchmarks/load/run.sh    (smoke run: 200 users, 2 short steps)
# Knobs (environment): USERS RATES STEP_SECONDS RETRANS_PERMILLE OVERLOAD_SECONDS RECOVERY_SECONDS HEAP
#        HEAP_OPTS (default "-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch", the recommended production heap;
#        HEAP_OPTS=-Xmx2g measures the JVM's default heap sizing)
#        OVERLOAD_RATE (default 2x the highest rate without failed calls, else 2x the clean rate)
#        RECOVERY_PAUSE (seconds between the overload and the recovery step, default 15; 0 = at once)
#        WARMUP_RATE WARMUP_SECONDS (default 1000/s for 15 s before each sweep, not counted; 0 skips)
#        SIP_PORT BARE_PORT ADMIN_PORT SIPP_PORT SKIP_AUTH=1 SKIP_BARE=1 SKIP_OVERLOAD=1 SERVER_ARGS OUT
#        SERVER_EXTRA_ARGS (appended to the server's arguments, e.g. --decision-log rejections)
#        SERVER_JAVA_OPTS (extra JVM options of the server, e.g. -Xlog:gc:file=gc.log)
#        JAR (the server jar, default server/target/sipauth.jar; for A/B runs of two builds)
#        FLOOD_RATE FLOOD_SECONDS (default unset: no flood; e.g. 20000 and 20): after the sweep, INVITEs
#        without credentials that are never acknowledged (scenarios/uac-flood.xml) at that rate; prints
#        challenges per second, the server's heap after a full GC before and after, and how often
#        it reported its transaction limit; with ANCHOR=kamailio the anchor gets the same flood
#        ANCHOR=kamailio: the same SIPp call flow, users count, rates, step length and SIPp options
#          against a Kamailio anchor in the same run, steps alternating (sipauth at a rate, Kamailio
#          at the same rate, next rate); each server gets the warm-up right before its first step
#          (the cold jump); rows of both and the sipauth/kamailio ratios per rate and for the highest
#          rate with 0 failed calls. With SKIP_AUTH=1 Kamailio runs alone. The overload and recovery
#          steps stay sipauth's. Needs the Debian package kamailio (not installed by this script).
#        KAMAILIO_ANCHOR=<dir holding kam.sh, kamailio.cfg, gen_users.py> (the anchor: a stateless
#          digest-auth Kamailio config on udp:127.0.0.1:5070, realm sip.example.test; its users are
#          generated with its gen_users.py into OUT/kamailio-run; scenario uac-auth-kamailio.xml)
#        MODE=proxy: the server runs --sip-mode proxy in front of a SIPp callee (scenarios/uas-proxy.xml on
#          UDP 127.0.0.1:UAS_PORT, default 5074), and each call is INVITE -> 407 -> ACK -> INVITE with
#          Proxy-Authorization -> 100 -> 200 -> ACK -> BYE -> 200 through it (scenarios/uac-proxy-auth.xml);
#          with ANCHOR=kamailio the anchor is kamailio-proxy.cfg (stateful, tm, Record-Route) on UDP 5072
#          in front of the same callee. No bare responder and no flood in this mode. The callee's own
#          failed calls (e.g. an INVITE that still carried credentials) are reported at the end.
# Columns per step: calls/s achieved, steal% (CPU the hypervisor gave elsewhere), cpu/call (server
# CPU microseconds per successful call, user + system; for Kamailio summed over all its processes).
# Needs: java 17, sipp (Debian sip-tester), curl; builds the jars when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SCEN=$ROOT/benchmarks/load/scenarios
# shellcheck source=../lib.sh
. "$ROOT/benchmarks/lib.sh"

if [ "${QUICK:-0}" = 1 ]; then
  : "${USERS:=200}" "${WARMUP_SECONDS:=3}" "${RATES:=100 200}" "${STEP_SECONDS:=5}" "${OVERLOAD_SECONDS:=5}" "${RECOVERY_SECONDS:=5}"
fi
USERS=${USERS:-10000}
RATES=${RATES:-1000 2000 3000 4000 5000 5500 6000 7000 8000}
STEP_SECONDS=${STEP_SECONDS:-30}
RETRANS_PERMILLE=${RETRANS_PERMILLE:-10}
OVERLOAD_SECONDS=${OVERLOAD_SECONDS:-60}
RECOVERY_SECONDS=${RECOVERY_SECONDS:-30}
HEAP=${HEAP:-2g}
# A fixed, pre-touched heap, as docs/operations.md recommends for production: the JVM then does not
# resize its heap (and its young generation) in the middle of a jump in traffic.
HEAP_OPTS=${HEAP_OPTS:--Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch}
SIP_PORT=${SIP_PORT:-25060}
BARE_PORT=${BARE_PORT:-25070}
ADMIN_PORT=${ADMIN_PORT:-28080}
SIPP_PORT=${SIPP_PORT:-25090}
HOST=load.sipauth.test
SERVICE=15550001
OUT=${OUT:-$ROOT/benchmarks/load/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

for tool in java sipp curl; do
  command -v "$tool" >/dev/null || { echo "load: $tool is missing (sipp: apt-get install -y sip-tester)" >&2; exit 2; }
done
ANCHOR=${ANCHOR:-}
MODE=${MODE:-respond}
UAS_PORT=${UAS_PORT:-5074}          # proxy mode's callee; kamailio-proxy.cfg's default UPSTREAM
case "$MODE" in
  respond) KAM_PORT=5070; KAM_CFG_FILE=kamailio.cfg ;;      # fixed by the anchor's configs (listen=...)
  proxy) KAM_PORT=5072; KAM_CFG_FILE=kamailio-proxy.cfg; SKIP_BARE=1; FLOOD_RATE= ;;
  *) echo "load: unknown MODE=$MODE (known: respond, proxy)" >&2; exit 2 ;;
esac
KAM_REALM=sip.example.test          # the anchor's realm, also the Request-URI host of its scenario
case "$ANCHOR" in
  "") ;;
  kamailio)
    KAM_DIR=${KAMAILIO_ANCHOR:-$ROOT/../shared/anchors/kamailio}
    for f in kam.sh "$KAM_CFG_FILE" gen_users.py; do
      [ -f "$KAM_DIR/$f" ] || { echo "load: ANCHOR=kamailio: no $f in '$KAM_DIR'; set KAMAILIO_ANCHOR=<dir holding kam.sh, $KAM_CFG_FILE, gen_users.py>" >&2; exit 2; }
    done
    KAM_DIR=$(readlink -f "$KAM_DIR")
    PATH=$PATH:/usr/sbin:/sbin
    command -v kamailio >/dev/null || { echo "load: ANCHOR=kamailio: kamailio is missing (apt-get install -y kamailio)" >&2; exit 2; }
    command -v python3 >/dev/null || { echo "load: ANCHOR=kamailio: python3 is missing (apt-get install -y python3)" >&2; exit 2; }
    if ss -lun 2>/dev/null | grep -q ":$KAM_PORT "; then
      echo "load: ANCHOR=kamailio: UDP 127.0.0.1:$KAM_PORT is already in use (another Kamailio?)" >&2; exit 2
    fi
    ;;
  *) echo "load: unknown ANCHOR=$ANCHOR (known: kamailio)" >&2; exit 2 ;;
esac
JAR=$(sipauth_jar)
BENCH=$ROOT/benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ] || [ ! -f "$BENCH" ]; then
  echo "load: building jars"
  ./mvnw -q -B -DskipTests package -pl benchmarks -am
fi

PIDS=()
declare -A T_CSV T_URI T_SCEN T_PIDS BEST_OF NOFAIL_OF
KAM_RUN=$OUT/kamailio-run
KAM_STARTED=0
stop_kamailio() { # kam.sh stop, then any of its processes still there (ours: started by start_kamailio)
  [ "$KAM_STARTED" = 1 ] || return 0
  KAM_STARTED=0
  KAM_RUN=$KAM_RUN "$KAM_DIR/kam.sh" stop >>"$OUT/kamailio-start.log" 2>&1 || true
  local p
  for p in ${T_PIDS[$KAM_PORT]:-}; do kill -0 "$p" 2>/dev/null && { kill -9 "$p" 2>/dev/null || true; }; done
  return 0
}
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  stop_kamailio
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

gc_summary() { # label gc-log: pause count and p50/p90/max, full GCs (retransmissions follow the pauses)
  [ -f "$2" ] || return 0
  grep 'Pause Young' "$2" | awk '{ print $NF }' | tr -d 'ms' | sort -n |
    awk -v label="$1" -v full="$(grep -c 'Pause Full' "$2" || true)" '{ a[NR] = $1 } END {
      p90 = int(NR * 0.9); if (p90 < 1) p90 = 1
      if (NR) printf "%s: GC young pauses %d, p50 %.0f ms, p90 %.0f ms, max %.0f ms; full GCs %d\n",
        label, NR, a[int((NR + 1) / 2)], a[p90], a[NR], full }' |
    tee -a "$OUT/summary.txt"
}

# ---- the users -------------------------------------------------------------------------------
CSV=$OUT/users.csv
# Passwords satisfy the API's rules (>= 12 chars, digit, mixed case) and never start with 0x (SIPp: hex).
awk -v n="$USERS" -v host="$HOST" 'BEGIN { print "SEQUENTIAL"
  for (i = 1; i <= n; i++) printf "u%05d;%s;[authentication username=u%05d password=Load%05dSecret]\n", i, host, i, i }' > "$CSV"

# ---- per server, keyed by its SIP port: SIPp injection file, digest uri, scenario, and the
# processes whose CPU time is counted (filled in when the server is up) ---------------------------
T_CSV[$SIP_PORT]=$CSV; T_URI[$SIP_PORT]=$SERVICE@$HOST; T_SCEN[$SIP_PORT]=$SCEN/uac-auth.xml
[ "$MODE" = proxy ] && T_SCEN[$SIP_PORT]=$SCEN/uac-proxy-auth.xml
T_CSV[$BARE_PORT]=$CSV; T_URI[$BARE_PORT]=$SERVICE@$HOST; T_SCEN[$BARE_PORT]=$SCEN/uac-auth.xml

# ---- the Kamailio anchor (ANCHOR=kamailio) ----------------------------------------------------
# Its own users (gen_users.py: user;password;[authentication ...]), hence its own scenario, which
# differs from uac-auth.xml only where the injection file's layout and the host require it.
T_CSV[$KAM_PORT]=$KAM_RUN/users.csv; T_URI[$KAM_PORT]=$SERVICE@$KAM_REALM; T_SCEN[$KAM_PORT]=$SCEN/uac-auth-kamailio.xml
[ "$MODE" = proxy ] && T_SCEN[$KAM_PORT]=$SCEN/uac-proxy-auth-kamailio.xml
start_kamailio() {
  python3 "$KAM_DIR/gen_users.py" "$USERS" "$KAM_RUN" >"$OUT/kamailio-start.log" 2>&1
  KAM_STARTED=1
  if ! KAM_RUN=$KAM_RUN KAM_CFG=$KAM_CFG_FILE "$KAM_DIR/kam.sh" start >>"$OUT/kamailio-start.log" 2>&1 || [ ! -s "$KAM_RUN/run/kamailio.pid" ]; then
    echo "load: kamailio did not start; see $OUT/kamailio-start.log and $KAM_RUN/run/kamailio.log" >&2; exit 1
  fi
  wait_udp "$KAM_PORT"
  # The main process and all its workers (it daemonizes: they are not this script's children).
  local main; main=$(cat "$KAM_RUN/run/kamailio.pid")
  T_PIDS[$KAM_PORT]="$main$(ps -o pid= --ppid "$main" | awk '{ printf " %s", $1 }' || true)"
  echo "load: kamailio anchor listening on UDP $KAM_PORT (processes ${T_PIDS[$KAM_PORT]}), $USERS users"
}

# ---- UDP datagrams the kernel dropped because a socket's receive buffer was full ---------------
udp_rcvbuf_errors() { # all sockets of the machine, since boot
  awk '/^Udp:/ { n++; if (n == 2) print $6 }' /proc/net/snmp
}
udp_drops() { # port -> drops of the sockets bound to that local port, since each was opened
  local hex; hex=$(printf '%04X' "$1")
  cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v p=":$hex" '$2 ~ p"$" { s += $NF } END { print s + 0 }'
}

# ---- one SIPp step: prints "rate calls ok failed retrans achieved steal% cpu/call drops" ---------
# drops: datagrams dropped by the kernel during the step for want of receive buffer, as
# "server/callee/other": the measured server's socket, proxy mode's SIPp callee, and every other
# socket (in practice the SIPp caller, whose socket closes with it). A failed call with drops in
# "other" was lost in the load generator, not in the server.
# cpu/call: the measured server's CPU time (user + system, /proc/PID/stat, summed over the server's
# processes T_PIDS[port]) per successful call, in microseconds: the cost of a call, less sensitive
# to the VM's noise than the failure counts.
proc_cpu() { # port -> clock ticks
  local p files=()
  for p in ${T_PIDS[$1]:-}; do [ -r "/proc/$p/stat" ] && files+=("/proc/$p/stat"); done
  [ ${#files[@]} -gt 0 ] || { echo 0; return; }
  { cat "${files[@]}" 2>/dev/null || true; } | awk '{ s += $14 + $15 } END { print s + 0 }'
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

step() { # label port rate seconds [scenario]
  local label=$1 port=$2 rate=$3 secs=$4 scen=${5:-${T_SCEN[$2]:-$SCEN/uac-auth.xml}}
  local csv=${T_CSV[$2]:-$CSV} uri=${T_URI[$2]:-$SERVICE@$HOST}
  local calls=$((rate * secs)) stf=$OUT/$label-$rate.csv start end cpu0 cpu1 srv0 srv1
  rm -f "$stf"
  start=$(date +%s.%N)
  cpu0=$(head -1 /proc/stat)
  srv0=$(proc_cpu "$port")
  local all0 sd0 cd0 all1 sd1 cd1
  all0=$(udp_rcvbuf_errors); sd0=$(udp_drops "$port"); cd0=$(udp_drops "$UAS_PORT")
  timeout $((secs * 3 + 60)) sipp "127.0.0.1:$port" -sf "$scen" -inf "$csv" -s "$SERVICE" \
    -auth_uri "$uri" -t u1 -p "$SIPP_PORT" -i 127.0.0.1 -r "$rate" -m "$calls" \
    -recv_timeout 8000 -buff_size 4194304 -nostdin -trace_stat -stf "$stf" -fd 1 \
    -trace_err -error_file "$OUT/$label-$rate.errors.log" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  cpu1=$(head -1 /proc/stat)
  srv1=$(proc_cpu "$port")
  all1=$(udp_rcvbuf_errors); sd1=$(udp_drops "$port"); cd1=$(udp_drops "$UAS_PORT")
  local sdrop=$((sd1 - sd0)) cdrop=0
  [ "$MODE" = proxy ] && cdrop=$((cd1 - cd0))
  local drops="$sdrop/$cdrop/$(( all1 - all0 - sdrop - cdrop ))"
  # Last line of the statistics file, columns looked up by name. steal%: CPU time the hypervisor
  # gave to other guests during the step (/proc/stat); a noisy neighbour shows there, not in SIPp.
  awk -F';' -v drops="$drops" -v rate="$rate" -v calls="$calls" -v t0="$start" -v t1="$end" -v c0="$cpu0" -v c1="$cpu1" -v srv="$(( (srv1 - srv0) * TICK_US ))" '
    NR==1 { for (i=1;i<=NF;i++) col[$i]=i; next }
    { last=$0 }
    END {
      n=split(last, f, ";");
      ok=f[col["SuccessfulCall(C)"]]+0; failed=f[col["FailedCall(C)"]]+0; re=f[col["Retransmissions(C)"]]+0;
      split(c0, a, " "); split(c1, b, " "); total=0
      for (i=2; i<=9; i++) total += b[i] - a[i]
      steal = total > 0 ? 100 * (b[9] - a[9]) / total : 0
      printf "%6d %8d %8d %7d %8d %10.0f %6.1f %8.0f %s\n", rate, calls, ok, failed, re, ok/(t1-t0), steal, ok ? srv/ok : 0, drops }' "$stf"
}

warmup() { # label port
  # A cold JVM (JIT, caches) retransmits for its first seconds: warm up outside the measured steps.
  if [ "${WARMUP_SECONDS:-15}" -gt 0 ]; then
    step "$1-warmup" "$2" "${WARMUP_RATE:-1000}" "${WARMUP_SECONDS:-15}" >/dev/null
  fi
}

ratio() { # a b -> a/b with 2 decimals, n/a when b is 0
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'
}

# sweep label port [label2 port2] -> BEST_OF/NOFAIL_OF[label], BEST and BEST_NOFAIL (first label).
# With two servers the steps alternate: the first at a rate, the second at the same rate, the next
# rate. Each is warmed up right before its own first step, so each takes the same cold jump from the
# warm-up rate to the first rate; each row is followed by its ratio first/second.
sweep() {
  local labels=() ports=() rows=() i n label port line ok failed re calls rate first=1
  while [ $# -gt 0 ]; do labels+=("$1"); ports+=("$2"); shift 2; done
  n=${#labels[@]}
  for ((i = 0; i < n; i++)); do BEST_OF[${labels[i]}]=0; NOFAIL_OF[${labels[i]}]=0; done
  warmup "${labels[0]}" "${ports[0]}"
  if [ "$n" -eq 1 ]; then
    printf '%s\n%6s %8s %8s %7s %8s %10s %6s %8s %s\n' "== ${labels[0]} (steps of ${STEP_SECONDS}s)" rate calls ok failed retrans "calls/s" "steal%" "cpu/call" "drops(srv/callee/other)"
  else
    printf '%s\n%-8s %6s %8s %8s %7s %8s %10s %6s %8s %s\n' "== ${labels[0]} and ${labels[1]}, alternating steps of ${STEP_SECONDS}s" server rate calls ok failed retrans "calls/s" "steal%" "cpu/call" "drops(srv/callee/other)"
  fi
  for rate in $RATES; do
    for ((i = 0; i < n; i++)); do
      label=${labels[i]}; port=${ports[i]}
      if [ "$first" = 1 ] && [ "$i" -gt 0 ]; then warmup "$label" "$port"; fi
      line=$(step "$label" "$port" "$rate" "$STEP_SECONDS")
      rows[i]=$line
      echo "$line" >>"$OUT/$label.txt"
      if [ "$n" -eq 1 ]; then echo "$line"; else printf '%-8s %s\n' "$label" "$line"; fi
      read -r _ calls ok failed re _ <<<"$line"
      # "~0 retransmissions": at most RETRANS_PERMILLE per mille of the calls.
      if [ "$failed" -eq 0 ] && [ "$ok" -eq "$calls" ]; then
        NOFAIL_OF[$label]=$rate
        if [ $((re * 1000)) -le $((calls * RETRANS_PERMILLE)) ]; then
          BEST_OF[$label]=$rate
        fi
      fi
    done
    first=0
    if [ "$n" -eq 2 ]; then
      local a b
      read -r -a a <<<"${rows[0]}"; read -r -a b <<<"${rows[1]}"
      printf '%-8s %6d  %s/%s: calls/s %s, cpu/call %s; failed %d vs %d\n' ratio "$rate" "${labels[0]}" "${labels[1]}" \
        "$(ratio "${a[5]}" "${b[5]}")" "$(ratio "${a[7]}" "${b[7]}")" "${a[3]}" "${b[3]}" | tee -a "$OUT/ratio.txt"
    fi
  done
  for ((i = 0; i < n; i++)); do
    label=${labels[i]}
    echo "$label: highest clean rate (0 failed, retransmissions <= ${RETRANS_PERMILLE} per mille of calls) = ${BEST_OF[$label]} calls/s" | tee -a "$OUT/summary.txt"
    echo "$label: highest rate with 0 failed calls = ${NOFAIL_OF[$label]} calls/s" | tee -a "$OUT/summary.txt"
  done
  if [ "$n" -eq 2 ]; then
    local x=${NOFAIL_OF[${labels[0]}]} y=${NOFAIL_OF[${labels[1]}]}
    echo "${labels[0]}/${labels[1]} highest rate with 0 failed calls = $x/$y = $(ratio "$x" "$y")" | tee -a "$OUT/summary.txt"
  fi
  BEST=${BEST_OF[${labels[0]}]}
  BEST_NOFAIL=${NOFAIL_OF[${labels[0]}]}
}

# flood label port [label2 port2]: FLOOD_RATE INVITEs/s without credentials, never acknowledged.
heap_after_gc_kb() { # pid -> heap used after a full GC, KiB
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  jcmd "$1" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | grep -o '[0-9]*' || echo 0
}
flood() {
  [ -n "${FLOOD_RATE:-}" ] || return 0
  local secs=${FLOOD_SECONDS:-20} label port line h0 h1 limit0 limit1
  echo "== flood: INVITEs without credentials, never acknowledged, ${FLOOD_RATE}/s for ${secs}s"
  printf '%-8s %6s %8s %8s %7s %8s %10s %6s %8s\n' server rate invites "401s" failed retrans "401s/s" "steal%" "cpu/401"
  while [ $# -gt 0 ]; do
    label=$1; port=$2; shift 2
    if [ "$port" = "$SIP_PORT" ]; then
      h0=$(heap_after_gc_kb "$SERVER_PID"); limit0=$(grep -c 'overload: .* server transactions' "$OUT/server.log" || true)
      line=$(step "$label-flood" "$port" "$FLOOD_RATE" "$secs" "$SCEN/uac-flood.xml")
      h1=$(heap_after_gc_kb "$SERVER_PID"); limit1=$(grep -c 'overload: .* server transactions' "$OUT/server.log" || true)
      printf '%-8s %s\n' "$label" "$line" | tee -a "$OUT/flood.txt"
      echo "$label: heap after full GC ${h0} KiB before the flood, ${h1} KiB after; transaction-limit reports during it: $((limit1 - limit0))" | tee -a "$OUT/summary.txt"
    else
      line=$(step "$label-flood" "$port" "$FLOOD_RATE" "$secs" "$SCEN/uac-flood-kamailio.xml")
      printf '%-8s %s\n' "$label" "$line" | tee -a "$OUT/flood.txt"
    fi
  done
}

# ---- proxy mode's callee -----------------------------------------------------------------------
if [ "$MODE" = proxy ]; then
  if ss -lun 2>/dev/null | grep -q ":$UAS_PORT "; then
    echo "load: MODE=proxy: UDP 127.0.0.1:$UAS_PORT is already in use" >&2; exit 2
  fi
  # A 4 MiB socket buffer (SIPp's default is 64 KiB), as the caller's: the load generators must not
  # be what drops datagrams when the server in front of them sends a burst.
  sipp -sf "$SCEN/uas-proxy.xml" -i 127.0.0.1 -p "$UAS_PORT" -t u1 -nostdin -buff_size 4194304 -trace_stat -stf "$OUT/callee.csv" -fd 5 \
    -trace_err -error_file "$OUT/callee.errors.log" >/dev/null 2>&1 &
  UAS_PID=$!
  PIDS+=("$UAS_PID")
  wait_udp "$UAS_PORT"
  echo "load: SIPp callee (uas-proxy.xml) on UDP $UAS_PORT"
fi
callee_summary() {
  [ "$MODE" = proxy ] && [ -f "$OUT/callee.csv" ] || return 0
  awk -F';' 'NR==1 { for (i=1;i<=NF;i++) col[$i]=i; next } { last=$0 } END { split(last, f, ";")
    printf "callee: %d calls completed, %d failed (e.g. credentials seen, ACK or BYE missing)\n",
      f[col["SuccessfulCall(C)"]], f[col["FailedCall(C)"]] }' "$OUT/callee.csv" | tee -a "$OUT/summary.txt"
}

# ---- (1) the real server ---------------------------------------------------------------------
AUTH_BEST=0
if [ "${SKIP_AUTH:-0}" != 1 ]; then
ACCOUNT=AC$(rand_hex 16)
TOKEN=$(rand_hex 16)
SERVER_ARGS=${SERVER_ARGS:---data-dir $OUT/data --sip-host 127.0.0.1 --sip-port $SIP_PORT --admin-host 127.0.0.1 --admin-port $ADMIN_PORT --digest-algorithms MD5 --throttle-max-failures 1000000}
[ "$MODE" = proxy ] && SERVER_ARGS="$SERVER_ARGS --sip-mode proxy --upstream sip:127.0.0.1:$UAS_PORT"
SIPAUTH_ACCOUNT_SID=$ACCOUNT SIPAUTH_AUTH_TOKEN=$TOKEN \
  java $HEAP_OPTS -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$OUT/server-gc.log" ${SERVER_JAVA_OPTS:-} -jar "$JAR" serve $SERVER_ARGS ${SERVER_EXTRA_ARGS:-} >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_until 30 curl -sf "http://127.0.0.1:$ADMIN_PORT/health" || { echo "load: server did not start; see $OUT/server.log" >&2; exit 1; }
wait_udp "$SIP_PORT"

API=http://127.0.0.1:$ADMIN_PORT
A2010=$API/2010-04-01/Accounts/$ACCOUNT/SIP
CL=$(curl -sf -u "$ACCOUNT:$TOKEN" --data-urlencode FriendlyName=load "$A2010/CredentialLists.json" | sid CL)
echo "load: provisioning $USERS credentials into $CL through the admin API"
t0=$(date +%s)
# One curl process, keep-alive connections, 8 requests in flight; each block is one POST.
awk -v n="$USERS" -v base="$A2010/CredentialLists/$CL/Credentials.json" -v auth="$ACCOUNT:$TOKEN" 'BEGIN {
  for (i = 1; i <= n; i++) {
    printf "url = \"%s\"\nuser = \"%s\"\ndata = \"Username=u%05d&Password=Load%05dSecret\"\n", base, auth, i, i
    printf "silent\noutput = \"/dev/null\"\nwrite-out = \"status=%%{http_code}\\n\"\n"
    if (i < n) print "next"
  } }' > "$OUT/provision.curl"
curl -s --no-progress-meter --parallel --parallel-max 8 -K "$OUT/provision.curl" > "$OUT/provision.codes" 2>/dev/null || true
created=$(grep -c '^status=201$' "$OUT/provision.codes" || true)
TK=$(curl -sf -u "$ACCOUNT:$TOKEN" --data-urlencode FriendlyName=load --data-urlencode DomainName=$HOST "$API/v1/Trunks" | sid TK)
curl -sf -u "$ACCOUNT:$TOKEN" --data-urlencode CredentialListSid="$CL" "$API/v1/Trunks/$TK/CredentialLists" >/dev/null
echo "load: $created/$USERS credentials created in $(( $(date +%s) - t0 ))s; trunk $TK ($HOST) mapped"
[ "$created" -eq "$USERS" ] || { echo "load: provisioning failed; see $OUT/provision.codes" >&2; exit 1; }

# Every call comes from 127.0.0.1, hence the raised throttle above: a few failures under overload
# must not lock the load generator out. The decision log (server.log) is part of the measured cost.
T_PIDS[$SIP_PORT]=$SERVER_PID
if [ "$ANCHOR" = kamailio ]; then
  start_kamailio
  sweep sipauth "$SIP_PORT" kamailio "$KAM_PORT"
  flood sipauth "$SIP_PORT" kamailio "$KAM_PORT"
  stop_kamailio
else
  sweep sipauth "$SIP_PORT"
  flood sipauth "$SIP_PORT"
fi
AUTH_BEST=$BEST
AUTH_NOFAIL=$BEST_NOFAIL

if [ "${SKIP_OVERLOAD:-0}" != 1 ]; then
  # "Sustainable" = the highest rate with 0 failed calls (the clean rate is set by retransmissions).
  base=$AUTH_NOFAIL; [ "$base" -gt 0 ] || base=$AUTH_BEST; [ "$base" -gt 0 ] || base=${RATES%% *}
  over=${OVERLOAD_RATE:-$((base * 2))}
  echo "== overload: $over calls/s for ${OVERLOAD_SECONDS}s"
  step overload "$SIP_PORT" "$over" "$OVERLOAD_SECONDS" | tee -a "$OUT/overload.txt"
  if kill -0 "$SERVER_PID" 2>/dev/null; then alive=yes; else alive=NO; fi
  oom=$(grep -c OutOfMemoryError "$OUT/server.log" || true)
  rss=$(ps -o rss= -p "$SERVER_PID" 2>/dev/null | tr -d ' ' || echo 0)
  echo "== recovery: $base calls/s for ${RECOVERY_SECONDS}s, ${RECOVERY_PAUSE:-15}s after the overload"
  sleep "${RECOVERY_PAUSE:-15}"
  rec=$(step recovery "$SIP_PORT" "$base" "$RECOVERY_SECONDS")
  echo "$rec" | tee -a "$OUT/overload.txt"
  read -r _ rcalls rok rfailed _ _ <<<"$rec"
  echo "overload: server alive=$alive, OutOfMemoryError lines=$oom, RSS after overload=${rss} KiB; recovery at $base/s: $rok/$rcalls ok, $rfailed failed" | tee -a "$OUT/summary.txt"
  # The server's shedding counters (logged at most every 10 s, totals since start).
  shed503=$(grep -o 'new requests answered 503 ([0-9]* since start)' "$OUT/server.log" | tail -1 | grep -o '[0-9]* since' | cut -d' ' -f1 || true)
  dropped=$(grep -o 'datagrams dropped ([0-9]* since start)' "$OUT/server.log" | tail -1 | grep -o '[0-9]* since' | cut -d' ' -f1 || true)
  echo "overload: shed by the server since start: ${shed503:-0} new requests answered 503, ${dropped:-0} datagrams dropped from the full UDP queue" | tee -a "$OUT/summary.txt"
fi
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
gc_summary sipauth "$OUT/server-gc.log"
elif [ "$ANCHOR" = kamailio ]; then
  start_kamailio
  sweep kamailio "$KAM_PORT"
  stop_kamailio
fi

# ---- (2) the bare responder ------------------------------------------------------------------
if [ "${SKIP_BARE:-0}" != 1 ]; then
  java $HEAP_OPTS -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$OUT/bare-gc.log" -cp "$BENCH" org.sipauth.benchmarks.BareSipResponder 127.0.0.1 "$BARE_PORT" \
    >"$OUT/bare.log" 2>&1 &
  BARE_PID=$!
  PIDS+=("$BARE_PID")
  wait_udp "$BARE_PORT"
  T_PIDS[$BARE_PORT]=$BARE_PID
  sweep bare "$BARE_PORT"
  BARE_BEST=$BEST
  kill "$BARE_PID" 2>/dev/null || true
  wait "$BARE_PID" 2>/dev/null || true
  gc_summary bare "$OUT/bare-gc.log"
  if [ "$BARE_BEST" -gt 0 ] && [ "$AUTH_BEST" -gt 0 ]; then
    awk -v a="$AUTH_BEST" -v b="$BARE_BEST" 'BEGIN { printf "auth/bare clean-rate ratio = %d/%d = %.2f\n", a, b, a/b }' | tee -a "$OUT/summary.txt"
  fi
fi
callee_summary
echo "results in $OUT (summary.txt holds the summary lines above)"
