#!/bin/sh
# The layering of the source tree (ARCHITECTURE.md): no folder includes
# a folder above it, in this order
#   util, net -> parsers, policies, spool -> crypto -> agent
#   -> pipeline, out, reports -> intake, cli
# and each library's header is included only in its home. A grep over
# the tree; it fails naming the file and the include.
. "$top_srcdir/tests/lib/lib.sh"
cd "$top_srcdir" || exit 1
rank() {
	case $1 in
	util|net) echo 0 ;;
	parsers|policies|spool) echo 1 ;;
	crypto) echo 2 ;;
	agent) echo 3 ;;
	pipeline|out|reports) echo 4 ;;
	intake|cli) echo 5 ;;
	*) echo -1 ;;
	esac
}
FOLDERS="util net parsers policies spool crypto agent pipeline out reports intake cli"
bad=$(for d in $FOLDERS; do
	r=$(rank "$d")
	for f in "$d"/*.c "$d"/*.h; do
		[ -e "$f" ] || continue
		sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f" | sort -u | while read -r inc; do
			ri=$(rank "$inc")
			[ "$ri" -gt "$r" ] && echo "$f includes $inc/"
		done
	done
done)
is "$bad" "" "no folder includes a folder above it"
for d in $FOLDERS; do
	[ -d "$d" ] || { fail "folder $d exists"; continue; }
	[ -f "$d/local.mk" ] && head -1 "$d/local.mk" | grep -q "^# $d/:" ||
	    { fail "$d/local.mk starts by saying what the folder is"; continue; }
	pass "$d/local.mk says what the folder is"
done

# no circle of includes between modules (a module: X.c with X.h; the
# store, spool/store*.c with its headers, is one module split for
# size), but for the pair ARCHITECTURE.md names: out/notice and
# out/outbox (a reply the TLP holds tells the team by a notice, which is
# a reply)
edges=$(for d in $FOLDERS; do
	for f in "$d"/*.c "$d"/*.h; do
		[ -e "$f" ] || continue
		sed -n 's/^#include "\([a-z]*\/[a-z_]*\)\.h".*/\1/p' "$f" |
		    sed "s|^|${f%.?} |"
	done
done | sed 's#spool/store_[a-z]*#spool/store#g' | awk '$1 != $2' | sort -u)
circles=$(printf '%s\n' "$edges" | awk '
	{ adj[$1] = adj[$1] " " $2; node[$1]; node[$2] }
	END {
		for (s in node) {	# what s reaches
			delete seen; n = 0; stack[++n] = s
			while (n > 0) {
				v = stack[n--]; k = split(adj[v], w, " ")
				for (i = 1; i <= k; i++)
					if (!(w[i] in seen)) { seen[w[i]]; stack[++n] = w[i] }
			}
			if (s in seen) print s
		}
	}' | sort | tr '\n' ' ')
is "$circles" "out/notice out/outbox " "no include circle between modules but notice/outbox"

# home LIBRARY-HEADER-REGEX FILE-REGEX...: where the header may appear
home() {
	re=$1
	shift
	allowed=$(printf '%s|' "$@")
	found=$(grep -rlE "^#include <$re" $FOLDERS --include='*.c' --include='*.h' |
	    grep -vE "^(${allowed%|})$")
	is "$found" "" "<$re...> only in $*"
}
home 'gpgme\.h' 'crypto/gpg\.c'
home 'openssl/' 'crypto/cms\.c'
home 'sqlite3\.h' 'spool/store[a-z_]*\.[ch]'
home 'pcre2\.h' 'parsers/regex\.c'
home 'gnutls/' 'net/stream\.c'
home 'libetpan/' 'net/[a-z]*\.[ch]' 'parsers/mime\.c' 'out/smtp\.c' 'intake/poll\.c'

# the front program links no library from pkg-config
like "$(sed -n 's/^psirt_agent_LDADD = //p' cli/local.mk)" '^libpsirt-base\.a$' \
    "psirt-agent (deliver) links libpsirt-base.a only"
# intake never runs the pipeline, the timers or the audit signing
is "$(grep -lE '#include "(pipeline|out|reports|cli)/' intake/*.c intake/*.h)" "" \
    "intake includes no pipeline, out, reports or cli header"
done_testing
