# seed-report.awk: a store of N cases with known answers, for `report`
# (tests/integration/190-report.t) and bench/report.
#   awk -v N=300 -v TRUTH=truth.tsv -f seed-report.awk </dev/null | sqlite3 DB
# Writes SQL (one transaction) to stdout and, per case, one line of the
# facts the report is computed from to TRUTH (tab-separated; fields in
# the header line), so that a test can compute the expected figures on
# its own. Deterministic: Park-Miller random numbers from SEED (1).
# The rows bypass the agent (no event hashes: `audit verify` would
# fail on such a store); the schema is the agent's own.
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function q(s) { return s == "" ? "NULL" : "'" s "'" }
function clock(id, name, state, start, due, end) {
	printf "INSERT INTO deadlines(case_id, clock, state, business, " \
	    "duration, since, due_at, started_at, ended_at) VALUES " \
	    "('%s','%s','%s',0,%d,%d,%d,%d,%s);\n", id, name, state, \
	    due - start, start, due, start, end == "" ? "NULL" : end
}
function fact(id, kind, value) {
	printf "INSERT OR IGNORE INTO case_facts(case_id, kind, value, " \
	    "version, score10, at) VALUES ('%s','%s','%s',%s,%s,%d);\n", \
	    id, kind, value, kind == "cvss" ? 31 : "NULL", \
	    kind == "cvss" ? 98 : "NULL", created
}
BEGIN {
	if (N == "") N = 300
	seed = SEED == "" ? 1 : SEED
	base = 1767225600		# 2026-01-01T00:00:00Z
	span = 300 * 86400		# cases registered over 300 days
	split("critical high medium low", sev, " ")
	split("7 7 30 90", fixdays, " ")	# the demo policy's fix deadlines
	split("new triaged confirmed fixing fix-scheduled fixed disclosed closed rejected duplicate", vst, " ")
	split("new contained recovered closed", ist, " ")
	split("external internal cert vendor", src, " ")
	split("CLEAR GREEN AMBER RED", tlps, " ")
	split("CWE-79 CWE-89 CWE-787 CWE-20", cwes, " ")
	split("Router|Camera|NAS", prods, "|")
	split("web-ui api firmware", mods, " ")
	split("feature platform shared-module cloud", scopes, " ")
	print "BEGIN;"
	printf "id\tkind\tstatus\tseverity\tsource\ttlp\tlevel\tcreated\t" \
	    "reporter\tack\tsuppressed\tt_state\tt_start\tt_due\tt_end\t" \
	    "f_state\tf_start\tf_due\tf_end\td_state\td_start\td_due\t" \
	    "d_end\ti_state\ti_start\ti_due\ti_end\tcve\tcwe\tcvss\t" \
	    "product\tmodule\tscope\tfix\texc\texc_pending\t" \
	    "reached_fixed\treached_disclosed\tpaused\n" > TRUTH
	for (i = 1; i <= N; i++) {
		id = sprintf("RPT-2026-%06d", i)
		created = base + int((i - 1) * (span / N)) + rnd(3600)
		inc = rnd(10) == 0
		kind = inc ? "incident" : "vulnerability"
		s = rnd(5)
		severity = inc || s == 4 ? "" : sev[s + 1]
		status = inc ? ist[rnd(4) + 1] : vst[rnd(10) + 1]
		source = src[rnd(4) + 1]
		tlp = rnd(3) == 0 ? "" : tlps[rnd(4) + 1]
		level = inc ? rnd(5) : 0
		reporter = source == "internal" ? "" : \
		    sprintf("rep%d@example.net", rnd(37))
		paused = !inc && rnd(8) == 0 && status ~ /^(confirmed|fixing)$/ ? \
		    "waiting for the supplier" : ""
		printf "INSERT INTO cases(id, kind, status, subject, reporter, " \
		    "source, lang, created_at, updated_at, tlp, severity, " \
		    "severity_by, level, paused) VALUES ('%s','%s','%s'," \
		    "'case %d',%s,'%s','en',%d,%d,%s,%s,%s,%s,%s);\n", id, kind, \
		    status, i, q(reporter), source, created, created, q(tlp), \
		    q(severity), severity == "" ? "NULL" : "'cvss'", \
		    level ? level : "NULL", q(paused)
		# the acknowledgement: most cases, within ten minutes
		ack = ""; suppressed = 0
		if (reporter != "" && rnd(5) != 0) {
			ack = rnd(600)
			printf "INSERT INTO messages(qid, case_id, direction, " \
			    "kind, message_id, received_at) VALUES ('o%d'," \
			    "'%s','out','ack','ack%d@x',%d);\n", i, id, i, \
			    created + ack
		} else if (reporter != "" && rnd(2) == 0) {
			suppressed = 1
			printf "INSERT INTO events(case_id, at, type, detail, " \
			    "actor) VALUES ('%s',%d,'ack-suppressed','auto'," \
			    "'agent');\n", id, created
		}
		t_state = t_start = t_due = t_end = ""
		f_state = f_start = f_due = f_end = ""
		d_state = d_start = d_due = d_end = ""
		i_state = i_start = i_due = i_end = ""
		reached_fixed = reached_disclosed = 0
		if (!inc) {
			t_start = created; t_due = created + 3 * 86400
			if (status == "new") t_state = "running"
			else { t_state = "met"; t_end = created + rnd(5 * 86400) }
			clock(id, "triage", t_state, t_start, t_due, t_end)
			if (status ~ /^(confirmed|fixing|fix-scheduled|fixed|disclosed|closed)$/ && severity != "") {
				f_start = t_end
				f_due = f_start + fixdays[s + 1] * 86400
				if (status ~ /^(fixed|disclosed|closed)$/) {
					f_state = "met"
					f_end = f_start + rnd(40 * 86400)
				} else
					f_state = paused != "" ? "paused" : "running"
				clock(id, "fix", f_state, f_start, f_due, f_end)
			}
			if (status == "closed" && f_state == "met") {
				reached_fixed = 1
				printf "INSERT INTO events(case_id, at, type, " \
				    "detail, actor) VALUES ('%s',%d,'case-set'," \
				    "'status=fixed','x@corp.example');\n", id, f_end
				if (rnd(2)) {
					reached_disclosed = 1
					printf "INSERT INTO events(case_id, at, " \
					    "type, detail, actor) VALUES ('%s'," \
					    "%d,'case-set','status=disclosed'," \
					    "'x@corp.example');\n", id, f_end
				}
			}
			if (f_state == "met") {
				d_start = f_end; d_due = d_start + 90 * 86400
				if (status == "disclosed" || reached_disclosed) {
					d_state = "met"
					d_end = d_start + rnd(100 * 86400)
				} else
					d_state = "running"
				clock(id, "disclosure", d_state, d_start, d_due, d_end)
			}
		} else {
			i_start = created
			i_due = created + (level >= 3 ? 36 : 72) * 3600
			if (status == "new") i_state = "running"
			else { i_state = "met"; i_end = created + rnd(100 * 3600) }
			clock(id, "incident", i_state, i_start, i_due, i_end)
		}
		cve = cwe = cvss = product = module = scope = ""
		fix = exc = exc_pending = 0
		if (!inc) {
			if (rnd(10) < 7) { cwe = cwes[rnd(4) + 1]; fact(id, "cwe", cwe) }
			if (rnd(10) < 6) { cvss = 1; fact(id, "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") }
			if (rnd(10) < 8) { product = prods[rnd(3) + 1]; fact(id, "product", product) }
			if (rnd(2)) { module = mods[rnd(3) + 1]; fact(id, "module", module) }
			if (rnd(3) == 0) { scope = scopes[rnd(4) + 1]; fact(id, "scope", scope) }
			if ((status == "disclosed" || reached_disclosed) && rnd(10) < 9) {
				cve = sprintf("CVE-2026-%05d", i); fact(id, "cve", cve)
			}
			if ((status ~ /^(fixed|disclosed)$/ || reached_fixed) && rnd(20) < 17) {
				fix = 1; fact(id, rnd(2) ? "fixed" : "remediation", "2." i)
			}
			if (rnd(50) == 0) {
				exc_pending = 1; fact(id, "exception-pending", "cannot reproduce")
				if (rnd(2)) { exc = 1; fact(id, "exception", "cannot reproduce") }
			}
		}
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", \
		    id, kind, status, severity, source, tlp, level, created, \
		    reporter, ack, suppressed, t_state, t_start, t_due, t_end, \
		    f_state, f_start, f_due, f_end, d_state, d_start, d_due, \
		    d_end, i_state, i_start, i_due, i_end, cve, cwe, cvss, \
		    product, module, scope, fix, exc, exc_pending, \
		    reached_fixed, reached_disclosed, paused > TRUTH
	}
	print "COMMIT;"
}
