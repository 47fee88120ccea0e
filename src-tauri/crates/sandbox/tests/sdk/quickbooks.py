"""Drives the QuickBooks sandbox with Intuit's own Python clients: intuit-oauth
(discovery document, refresh with rotation, revoke) and python-quickbooks (paged
queries, count, create, update with SyncToken, a stale update answered with 5010, batch
and change data capture).

Usage: python quickbooks.py BASE_URL ACCESS_TOKEN REALM_ID REFRESH_TOKEN CLIENT_ID CLIENT_SECRET

python-quickbooks builds URLs from sandbox-quickbooks.api.intuit.com; the client's
`api_url_v3` / `sandbox_api_url_v3` attributes are pointed at the sandbox instead, and
intuit-oauth takes the discovery document's URL as its `environment`.
"""

import datetime
import os
import sys
import uuid
import warnings

# This file is named quickbooks.py: keep its folder off the path so that
# `import quickbooks` finds python-quickbooks.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

# requests-oauthlib refuses plain http unless told this is a test setup.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
warnings.simplefilter("ignore", DeprecationWarning)

from intuitlib.client import AuthClient  # noqa: E402
from quickbooks import QuickBooks  # noqa: E402
from quickbooks.batch import batch_create  # noqa: E402
from quickbooks.cdc import change_data_capture  # noqa: E402
from quickbooks.exceptions import AuthorizationException, QuickbooksException  # noqa: E402
from quickbooks.objects.customer import Customer  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what)


def main():
    base, access, realm, refresh, client_id, client_secret = sys.argv[1:7]
    auth = AuthClient(client_id, client_secret, "http://127.0.0.1:53682/callback",
                      base + "/.well-known/openid_sandbox_configuration/",
                      access_token=access, refresh_token=refresh, realm_id=realm)
    check(auth.token_endpoint == base + "/oauth2/v1/tokens/bearer", "discovery document read by intuit-oauth")
    auth.refresh()
    check(auth.refresh_token != refresh and auth.expires_in == 3600, "refresh rotated the refresh token")
    check(auth.x_refresh_token_expires_in == 8726400, "x_refresh_token_expires_in")

    qb = QuickBooks(auth_client=auth, refresh_token=auth.refresh_token, company_id=realm, minorversion=75)
    qb.api_url_v3 = base + "/v3"
    qb.sandbox_api_url_v3 = base + "/v3"

    total = Customer.count(qb=qb)
    seen, start = [], 1
    while True:
        page = Customer.where("", order_by="Id", start_position=start, max_results=100, qb=qb)
        seen.extend(c.Id for c in page)
        if len(page) < 100:
            break
        start += 100
    check(total > 0 and len(seen) == total and len(set(seen)) == total, f"paged {len(seen)} customers, count(*) says {total}")
    everyone = Customer.count("Active IN (true, false)", qb=qb)
    check(everyone > total, f"inactive customers hidden unless asked for ({total} of {everyone})")

    name = f"SDK Customer {uuid.uuid4().hex[:8]}"
    created = Customer()
    created.DisplayName = name
    created.CompanyName = "SDK Co"
    created = created.save(qb=qb)
    check(created.Id and created.SyncToken == "0" and created.DisplayName == name, f"created customer {created.Id}")

    fetched = Customer.get(created.Id, qb=qb)
    fetched.Notes = "updated by python-quickbooks"
    updated = fetched.save(qb=qb)
    check(updated.SyncToken == "1" and updated.Notes == "updated by python-quickbooks", "updated with the current SyncToken")

    stale = Customer.get(created.Id, qb=qb)
    stale.SyncToken = "0"
    stale.Notes = "stale write"
    try:
        stale.save(qb=qb)
        check(False, "a stale SyncToken must fail")
    except QuickbooksException as e:
        check(e.error_code == 5010, f"stale SyncToken answered with {e.error_code}: {e.message}")

    duplicate = Customer()
    duplicate.DisplayName = name
    try:
        duplicate.save(qb=qb)
        check(False, "a duplicate DisplayName must fail")
    except QuickbooksException as e:
        check(e.error_code == 6240, f"duplicate DisplayName answered with {e.error_code}")

    batch = []
    for i in range(3):
        c = Customer()
        c.DisplayName = f"{name} batch {i}"
        batch.append(c)
    result = batch_create(batch, qb=qb)
    check(len(result.successes) == 3 and not result.faults, "batch_create of 3 customers")

    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)).isoformat(timespec="seconds")
    cdc = change_data_capture([Customer], since, qb=qb)
    changed = {c.Id for c in cdc.Customer}
    check(created.Id in changed and len(changed) >= 4, f"CDC saw {len(changed)} changed customers")

    auth.revoke(token=auth.refresh_token)
    try:
        Customer.count(qb=qb)
        check(False, "a revoked grant must fail")
    except AuthorizationException as e:
        check(e.error_code == 401, "after revoke the API answers 401")
    print("SDK OK")


if __name__ == "__main__":
    main()
