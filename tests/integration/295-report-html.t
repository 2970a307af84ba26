#!/bin/sh
# `report --format html` over nine cases made here (six vulnerabilities,
# three incidents, opened from July to October 2026 with August empty,
# seen on 2026-11-01): the page is read by python3's html.parser and
# checked against figures computed by hand below: the trend's value axis
# and its tick labels, each month's bars and their value labels (the
# empty month included), the bars of severity, TLP and incident level in
# rank order (their counts would order them otherwise), the overdue
# table's columns and rows (owner: the assignee, or the R of the clock's
# task; severity or level; due; days late), most late first, the
# generated time in both languages; and over the 300 seeded cases of
# 190-report.t, the axis steps and the monthly bars against the seed's
# truth. Then a real headless Chromium draws
# it: the PNG must be of the size asked for and not blank.
#
# Chromium (Debian `chromium`, with `fonts-noto-cjk` for the Chinese)
# is required: without it the test fails. PSIRT_NO_BROWSER=1 skips the
# drawing (only that) on a machine without a browser.
. "$top_srcdir/tests/lib/lib.sh"
need jq python3 sqlite3 awk
mk_instance || { echo "Bail out! init failed"; exit 1; }
notices_off
# triage in calendar days, so that its due time is the arrival + 2 days
# (the default counts business days); the other clocks are the defaults:
# fix 7 days (critical, high), 90 (low); disclosure 90 days; incident 72
# hours for levels 1-2
printf 'deadline triage within 2 days\n' >>"$I/inst/policies/psirt.policy"
at() { PSIRT_NOW=$1; export PSIRT_NOW; }
# report AT FROM SUBJECT: a new case opened at time AT; $ID is it
report() {
	at "$1"
	mkmsg "$2" "$3" "details follow" >"$I/m.eml"
	deliver "$I/m.eml"; process
	ID=$($A case list --json | jq -r '.[-1].id')
}
# set_ AT ID CHANGES...: case set at time AT
set_() {
	at "$1"
	shift
	$A case set "$@" >/dev/null 2>>"$I/agent.log" || diag "case set $* failed"
}

# July: V1 critical, RED, assigned to the analyst role, confirmed, never
# fixed: its fix (due 07-17 12:00) and disclosure (due 10-08 12:00)
# clocks are overdue. V2 high, GREEN, fixed and disclosed in July.
report 2026-07-10T12:00:00Z 'Rita <rita@example.net>' 'Overflow in the parser'
V1=$ID
set_ 2026-07-10T13:00:00Z "$V1" severity=critical tlp=RED assign=analyst status=confirmed
report 2026-07-20T00:00:00Z 'Bob <bob@example.com>' 'XSS in the web UI'
V2=$ID
set_ 2026-07-20T01:00:00Z "$V2" severity=high tlp=GREEN status=confirmed
set_ 2026-07-25T00:00:00Z "$V2" status=fixed fixed=2.0.1
set_ 2026-07-26T00:00:00Z "$V2" status=disclosed cve=CVE-2026-5001
# August: nothing. September: V3 low, GREEN, fixed in September; V4
# low, GREEN, untouched: its triage (due 09-17 06:00) is overdue, owned
# by the triage task's R (analyst); I1 a level-1 incident, recovered.
report 2026-09-02T00:00:00Z 'Carol <carol@example.org>' 'Weak TLS ciphers'
V3=$ID
set_ 2026-09-02T01:00:00Z "$V3" severity=low tlp=GREEN status=confirmed
set_ 2026-09-10T00:00:00Z "$V3" status=fixed fixed=1.4
report 2026-09-05T00:00:00Z 'Soc <soc@example.net>' 'Ransomware incident on a file server'
I1=$ID
set_ 2026-09-05T00:00:00Z "$I1" level=1
set_ 2026-09-06T00:00:00Z "$I1" status=recovered
report 2026-09-15T06:00:00Z 'Dan <dan@example.net>' 'Open redirect'
V4=$ID
set_ 2026-09-15T06:00:00Z "$V4" severity=low tlp=GREEN
# October: V5 high, AMBER, assigned to a member, confirmed: fix due
# 10-10 18:00, overdue; V6 low, AMBER, triaged, paused; I2 level 1, untouched:
# its clock (72 h, due 10-13) is overdue, owned by the R of the
# incident-response task (response, deputy); I3 level 4, AMBER+STRICT,
# contained in time.
report 2026-10-03T18:00:00Z 'Eve <eve@example.net>' 'Auth bypass'
V5=$ID
set_ 2026-10-03T19:00:00Z "$V5" severity=high tlp=AMBER assign=huang@corp.example status=confirmed
report 2026-10-10T00:00:00Z 'Ops <ops@example.net>' 'Breach of a build server'
I2=$ID
set_ 2026-10-10T00:00:00Z "$I2" level=1
report 2026-10-20T00:00:00Z 'Fay <fay@example.net>' 'Clickjacking'
V6=$ID
set_ 2026-10-20T01:00:00Z "$V6" severity=low tlp=AMBER status=triaged
set_ 2026-10-21T00:00:00Z "$V6" "pause=waiting for the vendor"
report 2026-10-25T08:00:00Z 'Gil <gil@example.net>' 'Compromised incident: VPN'
I3=$ID
set_ 2026-10-25T08:00:00Z "$I3" level=4 tlp=AMBER+STRICT assign=commander
set_ 2026-10-25T10:00:00Z "$I3" status=contained
is "$($A case list --json | jq -r '[.[] | .kind] | sort | group_by(.) | map("\(.[0])=\(length)") | join(" ")')" \
    "incident=3 vulnerability=6" "nine cases: six vulnerabilities, three incidents"

at 2026-11-01T00:00:00Z
H=$I/report.html
$A report --format html >"$H" 2>>"$I/agent.log"
is "$?" 0 "report --format html"
J=$($A report --format json 2>>"$I/agent.log")

# The page as python3's html.parser reads it: one line per finding.
python3 - "$H" >"$I/found" <<'PY'
import html.parser, sys

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []         # open elements: (tag, attrs)
        self.out = []
        self.text = None        # (key, pieces) being collected
        self.row = None
        self.table = None
        self.bars = None
        self.gen = None
    def cls(self, a):
        return (a.get('class') or '').split()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ('meta', 'br', 'rect', 'line'):
            self.stack.append((tag, a))
        c = self.cls(a)
        if tag == 'svg' and 'bars' in c:
            self.bars = a['data-dim']
        if tag == 'svg' and 'trend' in c:
            self.out.append('trend-svg')
        if tag == 'table' and a.get('class') in ('overdue', 'paused'):
            self.table = a['class']
        if tag == 'tr' and self.table:
            self.row = []
        if tag in ('td', 'th') and self.row is not None:
            self.text = ('cell', [])
        if tag == 'g' and 'month' in c:
            self.month = a['data-month']
            self.vals = []
        if tag == 'rect' and 'data-value' in a and self.stack and self.stack[-1][0] == 'g':
            self.vals.append(('opened' if 'b' in c else 'fixed') + '=' + a['data-value'])
        if tag == 'text' and self.text is None:
            self.text = ('text:' + ' '.join(c), [])
        if tag == 'span' and a.get('lang') == 'zh-TW' and any(
                'generated' in self.cls(x) for _, x in self.stack[:-1]):
            self.text = ('generated-zh', [])
        if tag == 'p' and 'generated' in c:
            self.gen = []
    def handle_endtag(self, tag):
        if tag in ('meta', 'br', 'rect', 'line'):
            return
        if self.text and (
                (tag in ('td', 'th') and self.text[0] == 'cell') or
                (tag == 'text' and self.text[0].startswith('text:')) or
                (tag == 'span' and self.text[0] == 'generated-zh')):
            key, pieces = self.text
            s = ' '.join(''.join(pieces).split())
            if key == 'cell':
                self.row.append(s)
            elif key == 'text:tick':
                self.out.append('tick ' + s)
            elif key == 'text:val':
                self.vals.append('label=' + s)
            elif key == 'text:s m':
                self.out.append('month %s %s label=%s' % (self.month, ' '.join(self.vals), s))
            elif key == 'text:l' and self.bars:
                self.out.append('bar %s %s' % (self.bars, s))
            elif key == 'generated-zh':
                self.out.append('%s %s' % (key, s))
            self.text = None
        if tag == 'p' and self.gen is not None:
            self.out.append('generated ' + ' '.join(''.join(self.gen).split()))
            self.gen = None
        if tag == 'tr' and self.row is not None:
            self.out.append('%s-row %s' % (self.table, ' | '.join(self.row)))
            self.row = None
        if tag == 'table':
            self.table = None
        if tag == 'svg':
            self.bars = None
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
    def handle_data(self, d):
        if self.gen is not None:
            self.gen.append(d)
        if self.text:
            self.text[1].append(d)

p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
p.close()
print('\n'.join(p.out))
PY
is "$?" 0 "the page parses"
F() { grep "^$1" "$I/found" | sed "s/^$1 *//"; }

# The generated time, in both languages, with date, time and zone.
is "$(F 'generated-zh')" "產生時間：2026-11-01 00:00:00 UTC" "generated time in zh-TW: date, time, zone"
is "$(F 'generated ')" "Generated 2026-11-01 00:00:00 UTC. 產生時間：2026-11-01 00:00:00 UTC" \
    "generated time in English (and the Chinese beside it)"
like "$(cat "$H")" '<time datetime="2026-11-01T00:00:00Z">' "... and machine-readable"

# The trend: the highest month holds 4 (October: V5, I2, V6, I3), so
# the axis steps by 1 from 0 to 4; August is drawn, empty.
is "$(F 'trend-svg' | wc -l)" 1 "one trend chart"
is "$(F tick | paste -sd ' ')" "0 1 2 3 4" "value axis: tick labels 0 to 4"
is "$(F month)" "2026-07 opened=2 label=2 fixed=1 label=1 label=2026-07
2026-08 opened=0 label=0 fixed=0 label=0 label=2026-08
2026-09 opened=3 label=3 fixed=1 label=1 label=2026-09
2026-10 opened=4 label=4 fixed=0 label=0 label=2026-10" \
    "each month: opened and fixed bars labelled with their values, the month below (the empty one too)"
# bar heights: the plot is 160 px for 4, so 2 is 80 px, 3 is 120
like "$(cat "$H")" '<rect x="[0-9]+" y="[0-9]+" width="16" height="80" class="b" data-value="2">' \
    "a bar's height is its share of the axis (2 of 4: 80 of 160 px)"
like "$(cat "$H")" 'height="120" class="b" data-value="3"' "... 3 of 4: 120 px"

# Rank order, not count order: by count low (3) and none (3) would come
# before high (2) and critical (1); GREEN (3) before AMBER (2) and RED;
# level 1 (2) before level 4 (1).
is "$(F 'bar severity' | paste -sd ' ')" "critical high low none" "severity bars: critical -> low, then none"
is "$(F 'bar tlp' | paste -sd ' ')" "RED AMBER+STRICT AMBER GREEN none" "TLP bars: RED -> CLEAR, then none"
is "$(F 'bar level' | paste -sd ' ')" "4 1" "incident level bars: 4 -> 1"
is "$(printf '%s' "$J" | jq -r '.by.severity | map(.key) | join(" ")')" "critical high low none" \
    "the same order in JSON"
T=$($A report 2>>"$I/agent.log")
is "$(printf '%s\n' "$T" | sed -n '/^By tlp$/,/^$/p' | sed 1d | awk 'NF == 2 { print $1 }' | paste -sd ' ')" \
    "RED AMBER+STRICT AMBER GREEN none" "... and in text"

# The overdue table, most late first. Late at 2026-11-01 00:00:
#   V1 fix        due 07-17 12:00  106.5 days
#   V4 triage     due 09-17 06:00   44.75 (44.7: tenths, rounded down)
#   V1 disclosure due 10-08 12:00   23.5
#   V5 fix        due 10-10 18:00   21.25
#   I2 incident   due 10-13 00:00   19.0
is "$(F 'overdue-row')" "case 案件 | owner 負責人 | severity / level 風險／事件等級 | clock 時限 | due 到期 | days late 逾期天數
$V1 | analyst | critical | fix | 2026-07-17 12:00 UTC | 106.5
$V4 | analyst (R) | low | triage | 2026-09-17 06:00 UTC | 44.7
$V1 | analyst | critical | disclosure | 2026-10-08 12:00 UTC | 23.5
$V5 | huang@corp.example | high | fix | 2026-10-10 18:00 UTC | 21.2
$I2 | response, deputy (R) | level 1 | incident | 2026-10-13 00:00 UTC | 19.0" \
    "overdue table: case, owner, severity/level, clock, due, days late; most late first"
is "$(printf '%s' "$J" | jq -r '.overdue | map("\(.case) \(.clock) \(.owner) \(.assigned) \(.severity) \(.level) \(.late_seconds)") | join(",")')" \
    "$V1 fix analyst true critical null 9201600,$V4 triage analyst false low null 3866400,$V1 disclosure analyst true critical null 2030400,$V5 fix huang@corp.example true high null 1836000,$I2 incident response, deputy false null 1 1641600" \
    "JSON: the same rows, with owner, severity and level"
is "$(printf '%s' "$J" | jq '[.times[].overdue] | add')" 5 "the times' overdue counts agree with the table"
like "$T" "$V4 +triage +low +analyst +late by 44d18h" "text: owner and severity too"
is "$(F 'paused-row')" "case 案件 | reason 原因
$V6 | waiting for the vendor" "the paused case in its own table, with its reason"

# One self-contained file: no script, no external fetch; the footnote
# has its place.
unlike "$(cat "$H")" '<script|(src|href)=|url\(' "no script, no external asset"
like "$(cat "$H")" '<footer id="definitions">' "a footer for the figures' definitions"

# A larger store (tests/lib/seed-report.awk, as 190-report.t: 300 cases
# over January to October): the axis steps by 1, 2 or 5 times a power of
# ten, at most five steps, from 0 to the first step at or above the
# highest bar; each month's bars carry the counts of the seed's truth.
mk_instance || { echo "Bail out! init failed"; exit 1; }
awk -v N=300 -v TRUTH="$I/truth.tsv" -f "$top_srcdir/tests/lib/seed-report.awk" \
    </dev/null | sqlite3 "$I/inst/psirt.db" || { echo "Bail out! seeding failed"; exit 1; }
# per month (the starts of January 2026 to January 2027 as epochs):
# opened, and fixed (the fix clock met, no approved exception)
exp=$(awk -F '\t' 'BEGIN { split("1767225600 1769904000 1772323200 1775001600 1777593600 1780272000 1782864000 1785542400 1788220800 1790812800 1793491200 1796083200 1798761600", ms, " ") }
	function mon(t,   k) { for (k = 1; k < 13; k++) if (t >= ms[k] && t < ms[k + 1]) return k; return 0 }
	NR == 1 { for (i = 1; i <= NF; i++) f[$i] = i; next }
	{ o[mon($f["created"])]++ }
	$f["f_state"] == "met" && $f["f_end"] != "" && $f["exc"] == 0 { x[mon($f["f_end"])]++ }
	END { for (k = 1; k <= 12; k++) { if (o[k] > top) top = o[k]; if (x[k] > top) top = x[k] }
	      for (k = 1; k <= 12; k++) if (o[k] + x[k]) { if (!first) first = k; last = k }
	      for (k = first; k <= last; k++) printf "month 2026-%02d opened=%d fixed=%d\n", k, o[k], x[k]
	      printf "top %d\n", top }' "$I/truth.tsv")
top=${exp##*top }
# the step by hand: 1, 2, 5, 10, 20, 50, ... the first with top <= 5 steps
for step in 1 2 5 10 20 50 100; do [ "$top" -le $((5 * step)) ] && break; done
axis=$(( (top + step - 1) / step * step ))
ticks=$(k=0; while [ $k -le $axis ]; do printf '%s ' $k; k=$((k + step)); done)
$A report --format html >"$I/seeded.html" 2>>"$I/agent.log"
python3 - "$I/seeded.html" >"$I/seeded" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    cls, month, out, vals = None, None, [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.cls = a.get('class')
        if tag == 'g' and self.cls == 'month':
            self.month, self.vals = a['data-month'], []
        if tag == 'rect' and 'data-value' in a:
            self.vals.append(('opened' if self.cls == 'b' else 'fixed') + '=' + a['data-value'])
    def handle_data(self, d):
        if self.cls == 'tick':
            self.out.append('tick ' + d)
        if self.cls == 'val':
            self.vals[-1] += '/' + d
        if self.cls == 's m':
            self.out.append('month %s %s' % (self.month, ' '.join(self.vals)))
        self.cls = None
p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
print('\n'.join(p.out))
PY
is "$(sed -n 's/^tick //p' "$I/seeded" | paste -sd ' ')" "${ticks% }" \
    "300 cases: the highest bar $top, the axis in steps of $step: ${ticks% }"
is "$(grep '^month' "$I/seeded")" \
    "$(printf '%s\n' "$exp" | grep '^month' | sed 's/opened=\([0-9]*\) fixed=\([0-9]*\)/opened=\1\/\1 fixed=\2\/\2/')" \
    "300 cases: each month's bars and value labels hold the truth's counts"

# The drawing: headless Chromium makes a PNG of the page.
if [ "${PSIRT_NO_BROWSER:-}" = 1 ]; then
	skip "Chromium draws the page" "PSIRT_NO_BROWSER=1"
	done_testing
fi
CHROME=
for c in chromium chromium-browser; do
	command -v "$c" >/dev/null 2>&1 && { CHROME=$c; break; }
done
if [ -z "$CHROME" ]; then
	fail "Chromium is installed (Debian chromium; PSIRT_NO_BROWSER=1 skips this)"
	done_testing
fi
PNG=$I/report.png
# its own session and process group, a private profile, a bound on the
# wait (a hang, not speed); the group is killed by its ID afterwards
HOME=$I setsid -w "$CHROME" --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$I/chromium" \
    --screenshot="$PNG" --window-size=1200,1600 "file://$H" \
    >"$I/chromium.log" 2>&1 &
CPID=$!
n=0
while kill -0 "$CPID" 2>/dev/null && [ $n -lt 240 ]; do
	sleep 0.5
	n=$((n + 1))
done
kill -0 "$CPID" 2>/dev/null && diag "Chromium still running after 120 s: killed"
kill -KILL -- "-$CPID" 2>/dev/null
wait "$CPID" 2>/dev/null
[ -s "$PNG" ] || diag "$(tail -n 5 "$I/chromium.log")"
# The PNG read with python3 alone: the IHDR's size; the IDAT inflated
# and unfiltered (8-bit RGB or RGBA) to count the colours and the pixels
# that are not white, and to find the trend's blue and green.
P=$(python3 - "$PNG" <<'PY'
import struct, sys, zlib
try:
    d = open(sys.argv[1], 'rb').read()
except OSError:
    print('none'); sys.exit(0)
if d[:8] != b'\x89PNG\r\n\x1a\n':
    print('not a PNG'); sys.exit(0)
pos, idat, ihdr = 8, [], None
while pos + 8 <= len(d):
    n, t = struct.unpack('>I4s', d[pos:pos + 8])
    if t == b'IHDR':
        ihdr = struct.unpack('>IIBBBBB', d[pos + 8:pos + 21])
    elif t == b'IDAT':
        idat.append(d[pos + 8:pos + 8 + n])
    pos += 12 + n
w, h, depth, ctype, _, _, lace = ihdr
print('size %dx%d' % (w, h))
bpp = {2: 3, 6: 4}.get(ctype)
if depth != 8 or bpp is None or lace:
    print('format depth %d type %d interlace %d' % (depth, ctype, lace))
    sys.exit(0)
raw = zlib.decompress(b''.join(idat))
stride = w * bpp
prev = bytearray(stride)
colours, ink = set(), 0
for y in range(h):
    f = raw[y * (stride + 1)]
    cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride):
            cur[i] = (cur[i] + cur[i - bpp]) & 255
    elif f == 2:
        cur = bytearray((a + b) & 255 for a, b in zip(cur, prev))
    elif f == 3:
        for i in range(stride):
            cur[i] = (cur[i] + ((cur[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif f == 4:
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    row = bytes(cur)
    for x in range(0, stride, bpp):
        px = row[x:x + 3]
        colours.add(px)
        ink += px != b'\xff\xff\xff'
    prev = cur
print('colours %d' % len(colours))
print('ink %d' % (ink * 100 // (w * h)))
print('blue %d green %d' % (b'\x4a\x78\xb0' in colours, b'\x6a\xa8\x4f' in colours))
PY
)
is "$(printf '%s\n' "$P" | sed -n 's/^size //p')" 1200x1600 "a PNG of exactly the size asked for (IHDR)"
c=$(printf '%s\n' "$P" | sed -n 's/^colours //p')
[ "${c:-0}" -gt 20 ]
ok $? "not blank: more than 20 colours (${c:-none})"
k=$(printf '%s\n' "$P" | sed -n 's/^ink //p')
[ "${k:-0}" -ge 2 ]
ok $? "not blank: at least 2% of the pixels are not white (${k:-none}%)"
is "$(printf '%s\n' "$P" | grep '^blue')" "blue 1 green 1" "the bars were drawn: their blue and green are on the page"
done_testing
