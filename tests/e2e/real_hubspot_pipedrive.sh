#!/usr/bin/env bash
# HubSpot and Pipedrive presets against the headers their documentation
# and public fixtures show (tests/py/real_fixtures.py hubspot, pipedrive):
# "Company Name" where the preset says "Company name" (a header that
# differs only in case matches when none matches exactly), internal stage
# values, datetimes; "Entity - Field" headers with a trailing "*" on the
# required ones, "Deal - Currency of value", "Deal - Closed on".
set -euo pipefail
. "$ROOT/tests/e2e/real_lib.sh"
H="$TMP/hubspot"
real_make hubspot "$H"
real_run "$H"
under_5pct "$H"
need "$H/check.txt" 'name             <- "Company Name"'
need "$H/check.txt" 'name             <- "Deal Name"'
need "$H/check.txt" "'closedwon': 4 -> won"
need "$H/check.txt" "'closedlost': 4 -> lost"
need "$H/check.txt" "records: read 16, accepted 16, rejected 0"
need "$H/out/csv/accounts.csv" "Northwind 0"

P="$TMP/pipedrive"
real_make pipedrive "$P"
real_run "$P"
under_5pct "$P"
need "$P/check.txt" 'name             <- "Deal - Title *"'
need "$P/check.txt" 'account_id       <- "Deal - Organization *"'
need "$P/check.txt" 'currency         <- "Deal - Currency of value"'
need "$P/check.txt" 'close_date       <- "Deal - Closed on | Deal - Won time | Deal - Lost time"'
need "$P/check.txt" "'Won': 4 -> won"
need "$P/check.txt" "records: read 12, accepted 12, rejected 0"
