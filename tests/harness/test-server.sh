#!/usr/bin/env bash
# tests/harness/test-server.sh — a throwaway MariaDB server for the integration tests.
#
#   test-server.sh start DIR   start a server with its data under DIR (or reuse the one that
#                              already runs there) and write DIR/url, DIR/root_url, DIR/port
#   test-server.sh stop DIR    shut it down and remove DIR
#
# When MOCORE_TEST_URL is set, `start` only writes it (and MOCORE_TEST_ROOT_URL, or the same
# URL) to DIR/url and DIR/root_url so the tests use that existing server; `stop` then just
# removes those files.
#
# The server listens on a free port on 127.0.0.1 only. Credentials (test-only, loopback only):
#   url       mysql://mocore:mocore-pw@127.0.0.1:PORT/mocore_test   (ALL on mocore_test.*, PROCESS,
#                                                                    FILE)
#   root_url  mysql://root:mocore-root@127.0.0.1:PORT/mocore_test   (ALL on *.* WITH GRANT OPTION)
# root@localhost over the Unix socket keeps no password; the harness uses it for admin work.
# The server reads and writes server-side files (LOAD DATA INFILE, INTO OUTFILE) only in
# DIR/files (secure_file_priv); LOAD DATA LOCAL is enabled on the server side.
# With MOCORE_TEST_SERVER_TLS=1 (and openssl installed) the server also offers TLS, with a
# self-signed certificate for 127.0.0.1 in DIR/tls/cert.pem (its own CA). Off by default: the
# connect tests check how clients behave against a server without TLS.
set -euo pipefail

readonly MARKER=.mocore-test-server
readonly DB=mocore_test
readonly USER_NAME=mocore USER_PW=mocore-pw ROOT_PW=mocore-root
readonly START_TIMEOUT_S=60 STOP_TIMEOUT_S=30

die() { echo "test-server: $*" >&2; exit 1; }
log() { [[ -n ${MOCORE_TEST_SERVER_VERBOSE:-} ]] && echo "test-server: $*" >&2 || true; }

find_bin() {  # the first of the names found in PATH, /usr/sbin, /usr/bin, /usr/local/*
    local n d
    for n in "$@"; do
        if command -v "$n" >/dev/null 2>&1; then command -v "$n"; return 0; fi
        for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
            [[ -x $d/$n ]] && { echo "$d/$n"; return 0; }
        done
    done
    return 1
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local p
    for _ in $(seq 200); do   # no python: probe random high ports with bash's /dev/tcp
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free TCP port found"
}

pid_alive() {
    [[ -f $1 ]] || return 1
    local p
    p=$(<"$1")
    [[ -n $p ]] && kill -0 "$p" 2>/dev/null
}

# The socket path must fit in sun_path (108 bytes); a deep build dir gets a short one in /tmp.
socket_path() {
    local dir=$1
    if [[ -f $dir/socket ]]; then cat "$dir/socket"; return; fi
    local s=$dir/mysqld.sock
    if (( ${#s} > 100 )); then s=$(mktemp -d /tmp/mocore-sock.XXXXXX)/mysqld.sock; fi
    echo "$s" >"$dir/socket"
    echo "$s"
}

admin() { "$MARIADB_ADMIN" --no-defaults -uroot --socket="$SOCK" --connect-timeout=2 "$@"; }
ping_ok() { admin ping >/dev/null 2>&1; }
sql_root_socket() { "$MARIADB_CLI" --no-defaults -uroot --socket="$SOCK" --batch "$@"; }

show_log() {
    if [[ -f $DIR/error.log ]]; then
        echo "---- tail of $DIR/error.log ----" >&2
        tail -n 40 "$DIR/error.log" >&2
    fi
}

write_external_urls() {
    mkdir -p "$DIR"
    touch "$DIR/$MARKER"
    printf '%s\n' "$MOCORE_TEST_URL" >"$DIR/url"
    printf '%s\n' "${MOCORE_TEST_ROOT_URL:-$MOCORE_TEST_URL}" >"$DIR/root_url"
    echo external >"$DIR/mode"
    echo "test-server: using the server in MOCORE_TEST_URL"
}

write_urls() {
    local port=$1
    printf 'mysql://%s:%s@127.0.0.1:%s/%s\n' "$USER_NAME" "$USER_PW" "$port" "$DB" >"$DIR/url.tmp"
    printf 'mysql://root:%s@127.0.0.1:%s/%s\n' "$ROOT_PW" "$port" "$DB" >"$DIR/root_url.tmp"
    echo "$port" >"$DIR/port"
    echo local >"$DIR/mode"
    mv "$DIR/url.tmp" "$DIR/url"
    mv "$DIR/root_url.tmp" "$DIR/root_url"
}

provision() {   # users and the test database, over the socket as password-less root@localhost
    sql_root_socket <<SQL
DROP USER IF EXISTS ''@'localhost';
DROP USER IF EXISTS ''@'${HOSTNAME:-$(uname -n)}';
DROP USER IF EXISTS 'root'@'${HOSTNAME:-$(uname -n)}';
DROP USER IF EXISTS 'root'@'::1';
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$ROOT_PW';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$USER_NAME'@'%' IDENTIFIED BY '$USER_PW';
CREATE USER IF NOT EXISTS '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$USER_PW';
GRANT ALL PRIVILEGES ON $DB.* TO '$USER_NAME'@'%';
GRANT ALL PRIVILEGES ON $DB.* TO '$USER_NAME'@'127.0.0.1';
GRANT PROCESS ON *.* TO '$USER_NAME'@'%';
GRANT PROCESS ON *.* TO '$USER_NAME'@'127.0.0.1';
GRANT FILE ON *.* TO '$USER_NAME'@'%';
GRANT FILE ON *.* TO '$USER_NAME'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
}

make_tls_cert() {  # DIR/tls/{cert,key}.pem, self-signed for 127.0.0.1; no openssl: no TLS
    [[ ${MOCORE_TEST_SERVER_TLS:-} == 1 ]] || return 0
    command -v openssl >/dev/null 2>&1 || return 0
    [[ -f $DIR/tls/cert.pem && -f $DIR/tls/key.pem ]] && return 0
    mkdir -p "$DIR/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$DIR/tls/key.pem" \
        -out "$DIR/tls/cert.pem" >"$DIR/tls/openssl.log" 2>&1 || rm -f "$DIR/tls/cert.pem"
}

start_once() {  # one attempt on a fresh port; returns 1 if the server did not come up
    local port=$1
    local -a args=(--no-defaults --datadir="$DIR/data" --port="$port" --bind-address=127.0.0.1
        --socket="$SOCK" --pid-file="$DIR/mysqld.pid" --innodb-buffer-pool-size=128M
        --innodb-log-file-size=48M --max-connections=200 --skip-name-resolve
        --log-error="$DIR/error.log" --character-set-server=utf8mb4
        --collation-server=utf8mb4_general_ci
        --innodb-buffer-pool-dump-at-shutdown=OFF --innodb-buffer-pool-load-at-startup=OFF
        --secure-file-priv="$DIR/files" --local-infile=ON --tmpdir="$DIR/tmp")
    mkdir -p "$DIR/files" "$DIR/tmp"
    make_tls_cert
    if [[ -f $DIR/tls/cert.pem ]]; then
        args+=(--ssl-cert="$DIR/tls/cert.pem" --ssl-key="$DIR/tls/key.pem" --ssl-ca="$DIR/tls/cert.pem")
    fi
    (( EUID == 0 )) && args+=(--user=root)
    : >"$DIR/error.log"
    # Detach completely (own session, no inherited stdio): ctest waits for its child's pipes.
    setsid "$MARIADBD" "${args[@]}" </dev/null >>"$DIR/mariadbd.out" 2>&1 &
    local pid=$!
    echo "$pid" >"$DIR/server.pid"
    local i
    for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
        if ping_ok; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
        sleep 0.1
    done
    echo "test-server: no answer within ${START_TIMEOUT_S}s" >&2
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}

cmd_start() {
    if [[ -n ${MOCORE_TEST_URL:-} ]]; then write_external_urls; return 0; fi

    MARIADBD=$(find_bin mariadbd mysqld) || die "mariadbd not found (install mariadb-server)"
    MARIADB_ADMIN=$(find_bin mariadb-admin mysqladmin) || die "mariadb-admin not found (install mariadb-client)"
    MARIADB_CLI=$(find_bin mariadb mysql) || die "mariadb client not found (install mariadb-client)"
    local install_db
    install_db=$(find_bin mariadb-install-db mysql_install_db) || die "mariadb-install-db not found"

    if [[ -e $DIR && ! -f $DIR/$MARKER ]] && [[ -n $(ls -A "$DIR" 2>/dev/null) ]]; then
        die "$DIR exists, is not empty and was not made by this script; refusing to use it"
    fi
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    touch "$DIR/$MARKER"
    SOCK=$(socket_path "$DIR")

    # Reuse a server that already runs here.
    if pid_alive "$DIR/server.pid" && ping_ok && [[ -f $DIR/url && -f $DIR/port && -f $DIR/mode ]] &&
        [[ $(<"$DIR/mode") == local ]]; then
        echo "test-server: reusing the server on port $(<"$DIR/port") (pid $(<"$DIR/server.pid"))"
        return 0
    fi
    # Anything left from a dead server is stale: start over.
    if pid_alive "$DIR/server.pid"; then kill -KILL "$(<"$DIR/server.pid")" 2>/dev/null || true; fi
    rm -rf "$DIR/data" "$DIR/url" "$DIR/root_url" "$DIR/port" "$DIR/server.pid" "$DIR/mysqld.pid" "$SOCK"

    local -a install_args=(--no-defaults --auth-root-authentication-method=normal
        --datadir="$DIR/data" --skip-test-db --tmpdir="$DIR/tmp")
    # Its own temporary directory: bootstraps of servers running side by side stay apart.
    mkdir -p "$DIR/tmp"
    (( EUID == 0 )) && install_args+=(--user=root)
    if ! "$install_db" "${install_args[@]}" >"$DIR/install.log" 2>&1; then
        cat "$DIR/install.log" >&2
        die "mariadb-install-db failed"
    fi

    local attempt port
    for attempt in 1 2 3; do
        port=$(free_port)
        if start_once "$port"; then
            if ! provision 2>"$DIR/provision.log"; then
                cat "$DIR/provision.log" >&2; show_log
                die "could not create the test users"
            fi
            write_urls "$port"
            echo "test-server: MariaDB $("$MARIADBD" --version | awk '{print $3}') on 127.0.0.1:$port (pid $(<"$DIR/server.pid"), dir $DIR)"
            return 0
        fi
        if grep -qi 'address already in use' "$DIR/error.log" 2>/dev/null; then
            log "port $port was taken, retrying ($attempt)"
            continue
        fi
        break
    done
    show_log
    die "the server did not start"
}

cmd_stop() {
    [[ -d $DIR ]] || return 0
    DIR=$(cd "$DIR" && pwd)
    if [[ ! -f $DIR/$MARKER ]]; then
        echo "test-server: $DIR was not made by this script; leaving it alone" >&2
        return 0
    fi
    if [[ -f $DIR/server.pid ]]; then
        local pid
        pid=$(<"$DIR/server.pid")
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            # SIGTERM is mariadbd's normal shutdown (mariadb-admin shutdown adds a 1 s poll).
            kill -TERM "$pid" 2>/dev/null || true
            local i
            for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$pid" 2>/dev/null; then
                echo "test-server: pid $pid did not exit in ${STOP_TIMEOUT_S}s; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
                sleep 0.2
            fi
        fi
    fi
    if [[ -f $DIR/socket ]]; then
        local s
        s=$(<"$DIR/socket")
        case $s in /tmp/mocore-sock.*/mysqld.sock) rm -rf "$(dirname "$s")" ;; esac
    fi
    rm -rf "$DIR"
}

[[ $# -eq 2 ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
DIR=$2
case $1 in
start) cmd_start ;;
stop) cmd_stop ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
