#!/usr/bin/env bash
# CI: the Windows build. Cross-compiles a static fairpanel.exe (x86_64, mingw-w64), checks that it
# needs no DLL beside it and its size, then runs the command line under wine: --version, check (the
# demo, and a bad file for exit code 2), record, verify, minutes, completions, man, in a folder
# whose name has spaces and non-ASCII characters, with CRLF input. docs/windows.md says what this
# proves and what it does not.
#
# Debian's wine 8 has no ProcessPrng in bcryptprimitives.dll, which Rust's standard library calls
# for random bytes; a test-only shim (.ci/windows/prng-shim.c, built here with the same toolchain)
# is put beside the exe under wine only. It is never shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never LANG=C.UTF-8 LC_ALL=C.UTF-8
TARGET=x86_64-pc-windows-gnu
# The shipped .exe must stay small enough to e-mail and to pass a council's download filter, and
# a build that lost its stripping (debug info is several times the code) must fail here.
MAX_EXE_BYTES=$((32 * 1024 * 1024))
started=$(date +%s)
say() { echo "windows: $*"; }
fail() { echo "windows: FAILED: $*" >&2; exit 1; }

# --- What it needs: mingw-w64 (64-bit, win32 threads) and wine (64-bit only, no i386). ---
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64-win32)
# Debian's wine64 puts its loader in /usr/lib/wine (the wine package's /usr/bin wrapper wants i386).
export PATH="/usr/lib/wine:$PATH"
command -v wine64 >/dev/null 2>&1 || need+=(wine64)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if ((${#need[@]})); then
  say "installing ${need[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
rustup target add "$TARGET" >/dev/null 2>&1 || rustup target list --installed | grep -qx "$TARGET" \
  || fail "rustup cannot add the $TARGET target"

# --- The build: release, static C runtime, no debug info, stripped. ---
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=symbols \
  cargo build --release --locked --target "$TARGET" --bin fairpanel
exe="${CARGO_TARGET_DIR:-target}/$TARGET/release/fairpanel.exe"
[ -f "$exe" ] || fail "$exe was not built"
built=$(date +%s)

bytes=$(stat -c %s "$exe")
say "fairpanel.exe is $bytes bytes ($((bytes / 1024)) KiB), limit $MAX_EXE_BYTES"
((bytes <= MAX_EXE_BYTES)) || fail "fairpanel.exe is larger than $MAX_EXE_BYTES bytes"
# Only DLLs every Windows has: nothing of mingw's (libgcc_s, libwinpthread, libstdc++) may be needed.
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
say "imports: $(echo "$dlls" | tr '\n' ' ')"
while read -r dll; do
  case "$dll" in
    kernel32.dll | ntdll.dll | advapi32.dll | bcrypt.dll | bcryptprimitives.dll | ws2_32.dll | \
      userenv.dll | user32.dll | shell32.dll | ole32.dll | oleaut32.dll | msvcrt.dll | \
      api-ms-win-*.dll | ucrtbase.dll | secur32.dll | crypt32.dll | combase.dll) ;;
    *) fail "fairpanel.exe needs $dll, which Windows does not have: link it statically" ;;
  esac
done <<<"$dlls"

# --- Under wine: a fresh prefix, the exe and the shim in a folder with a space and an accent. ---
work=$(mktemp -d)
tmux_sock="fairpanel-windows-$$"
trap 'tmux -L "$tmux_sock" kill-server >/dev/null 2>&1 || true; wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
run="$work/Zoë's panel files"
mkdir -p "$run"
cp "$exe" "$run/fairpanel.exe"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$run/bcryptprimitives.dll" .ci/windows/prng-shim.c -ladvapi32
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
# mscoree and mshtml off: no prompt to install Mono or Gecko; bcryptprimitives: the shim beside it.
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
export FAIRPANEL_DATA_DIR='C:\fairpanel data'
wine64 wineboot --init >/dev/null 2>&1 || true

# Runs fairpanel.exe; its stdout in $work/out, stderr in $work/err, exit code in $code.
fp() {
  set +e
  (cd "$run" && timeout 120 wine64 ./fairpanel.exe "$@" >"$work/out" 2>"$work/err")
  code=$?
  set -e
  tr -d '\r' <"$work/out" >"$work/out.lf" && mv "$work/out.lf" "$work/out"
  tr -d '\r' <"$work/err" >"$work/err.lf" && mv "$work/err.lf" "$work/err"
}
expect() { # CODE WHAT
  if [ "$code" != "$1" ]; then
    echo "--- stdout"; head -c 2000 "$work/out"; echo "--- stderr"; head -c 2000 "$work/err"
    fail "$2: exit $code, expected $1"
  fi
  say "ok: $2 (exit $code)"
}

fp --version
expect 0 "--version"
grep -q "^fairpanel [0-9]" "$work/out" || fail "--version printed: $(head -c 200 "$work/out")"

fp check --demo
expect 0 "check --demo"

# The demo caseload written, then read back with CRLF line ends, in the folder with the accent.
fp demo --out "Zoë's demo.json"
expect 0 "demo --out (a name with an apostrophe and an accent)"
sed 's/$/\r/' "$run/Zoë's demo.json" >"$run/crlf caseload.json"
fp check "crlf caseload.json"
expect 0 "check on a CRLF caseload"

# A bad file: the problem is named by its JSON path and line; exit 2.
sed 's/"date_of_birth": "[0-9-]*"/"date_of_birth": "2011-02-30"/' "$run/crlf caseload.json" >"$run/bad caseload.json"
fp check "bad caseload.json"
expect 2 "check on a bad caseload"
grep -q "date_of_birth (line [0-9]*, column [0-9]*)" "$work/err" \
  || fail "the problem did not name its path and line: $(head -c 400 "$work/err")"

# A decision between meetings, into a log in a folder with spaces and non-ASCII characters.
log='Panel log ł/walsall.fairpanel-log'
fp record --log "$log" --caseload "crlf caseload.json" --as-of 2026-03-13 --agreed-by "Janet Okafor" \
  --case FA-2026-003 --outcome allocate_school --urn 142594 --start 2026-03-16 \
  --reasons "Nearest school with a Y10 place"
expect 0 "record"
[ -f "$run/$log" ] || fail "record wrote no log"
[ -f "$run/$log.lock" ] || fail "record left no sidecar lock file beside the log"

fp verify --log "$log"
expect 0 "verify"
grep -Eq "^[0-9]+ entr" "$work/out" || fail "verify: $(head -c 300 "$work/out")"

fp minutes --log "$log"
expect 0 "minutes (JSON on stdout)"
grep -q '"FA-2026-003"' "$work/out" || fail "the minutes do not hold the decision"
fp minutes --log "$log" --format md --out "minutes ł.md"
expect 0 "minutes --format md --out"
grep -q "FA-2026-003" "$run/minutes ł.md" || fail "the Markdown minutes do not hold the decision"

fp minutes --log "$log" --format html --out "minutes.html"
expect 0 "minutes --format html"
fp minutes --log "$log" --format docx --out "minutes ł.docx"
expect 0 "minutes --format docx"
[ "$(head -c 2 "$run/minutes ł.docx")" = PK ] || fail "the Word minutes are not a .docx (zip) file"
# Atomic replace on NTFS: the same file written again over the old one (MoveFileExW).
fp minutes --log "$log" --format md --out "minutes ł.md"
expect 0 "minutes --out over the file written before"
[ "$(ls "$run" | grep -c '^minutes ł.md$')" = 1 ] && ! ls "$run" | grep -q '^\.tmp' \
  || fail "replacing the minutes left another file beside them"
fp next --log "$log" --meeting 2026-04-23 --out "next meeting – avril.json"
expect 0 "next --out"
fp check "next meeting – avril.json"
expect 0 "check on the next meeting's caseload"

# A verified backup, written the same way a new log is (temporary file, flushed, renamed).
fp backup --log "$log" --out "Backups ł"
expect 0 "backup --out"
copy=$(head -n 1 "$work/out")
fp verify --log "$copy"
expect 0 "verify on the backup"

fp completions powershell
expect 0 "completions powershell"
grep -q "fairpanel" "$work/out" || fail "the PowerShell completions name no command"
fp man --out "man pages"
expect 0 "man --out"
[ -s "$run/man pages/fairpanel.1" ] || fail "man wrote no fairpanel.1"

fp check "no such file.json"
expect 2 "check on a missing file"

# --- The screen under wine's console, inside tmux. wine 8 draws it with misplaced runs of text,
# so only what survives that is checked: the screen starts on the demo in ASCII, holds the log's
# writer lock (a second writer gets exit 3), moves on j, and q quits with exit 0. ---
pane() { tmux -L "$tmux_sock" capture-pane -p -t fp 2>/dev/null || true; }
wait_pane() { # PATTERN WHAT
  for _ in $(seq 1 120); do
    if pane | grep -Eq -- "$1"; then say "ok: the screen shows $2"; return 0; fi
    sleep 0.5
  done
  pane; fail "the screen under wine never showed $2"
}
# No FAIRPANEL_DATA_DIR here: the demo's log goes to the default data folder, which must be the
# local AppData (data_local_dir), never the roaming profile.
cat >"$work/screen.sh" <<SCREEN
cd "$run" && env -u FAIRPANEL_DATA_DIR wine64 ./fairpanel.exe --ascii
echo "EXIT=\$?"
sleep 600
SCREEN
tmux -L "$tmux_sock" new-session -d -s fp -x 100 -y 30 "bash '$work/screen.sh'"
wait_pane '!!35/20' "the demo queue, overdue as !!"
local_data=$(echo "$WINEPREFIX"/drive_c/users/*/AppData/Local/fairpanel/data)
demo_log=$(ls "$local_data" 2>/dev/null | grep 'fairpanel-log$' || true)
[ -n "$demo_log" ] || fail "the demo's log is not in the local AppData (%LOCALAPPDATA%\\fairpanel\\data)"
[ ! -e "$(echo "$WINEPREFIX"/drive_c/users/*/AppData/Roaming)/fairpanel" ] || fail "fairpanel wrote to the roaming profile"
say "ok: the demo's log is in %LOCALAPPDATA%\\fairpanel\\data\\$demo_log"
win_log="C:\\$(echo "${local_data#"$WINEPREFIX"/drive_c/}/$demo_log" | tr / '\\')"
fp record --log "$win_log" --caseload "Zoë's demo.json" --as-of 2026-03-13 \
  --agreed-by "Janet Okafor" --case FA-2026-003 --outcome allocate_school --urn 142594 \
  --start 2026-03-16 --reasons "Nearest school with a Y10 place"
expect 3 "record while the screen holds the log (the sidecar lock)"
tmux -L "$tmux_sock" send-keys -t fp j
wait_pane '> FA-2026-001' "the second case selected after j"
tmux -L "$tmux_sock" send-keys -t fp q
wait_pane '^EXIT=0' "exit 0 after q"

done_at=$(date +%s)
say "built in $((built - started)) s, ran under wine in $((done_at - built)) s, $((done_at - started)) s in all"
