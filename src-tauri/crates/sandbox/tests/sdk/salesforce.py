#!/usr/bin/env python3
"""simple-salesforce against the Switchyard Salesforce sandbox.

Usage: salesforce.py <base-url> <access-token>

The sandbox must hold more than 2000 Leads (reset it with enough records first).
simple-salesforce builds every URL as https://<instance>; the sandbox listens on plain
http on 127.0.0.1, so the session below only swaps the scheme. Nothing else is adapted.
"""

import datetime
import sys

import requests
from simple_salesforce import Salesforce, SalesforceMalformedRequest, SalesforceResourceNotFound

FAILED = []


class LoopbackSession(requests.Session):
    """Sends the SDK's https:// URLs to the sandbox's http:// listener."""

    def request(self, method, url, *args, **kwargs):
        if url.startswith("https://"):
            url = "http://" + url[len("https://"):]
        return super().request(method, url, *args, **kwargs)


def check(name, ok, detail=""):
    print(("ok     " if ok else "FAILED ") + name + ("" if ok else f"  ({detail})"))
    if not ok:
        FAILED.append(name)


def main():
    base, token = sys.argv[1], sys.argv[2]
    sf = Salesforce(instance_url=base, session_id=token, version="66.0", session=LoopbackSession())

    first = sf.query("SELECT Id, LastName FROM Lead")
    check("query: first batch of 2000 with nextRecordsUrl",
          first["done"] is False and len(first["records"]) == 2000 and first["nextRecordsUrl"].startswith("/services/data/v66.0/query/"),
          {k: first.get(k) for k in ("totalSize", "done", "nextRecordsUrl")})
    everything = sf.query_all("SELECT Id, LastName, Email FROM Lead")
    ids = [r["Id"] for r in everything["records"]]
    check("query_all: pages to the end", len(ids) == first["totalSize"] > 2000 and len(set(ids)) == len(ids),
          f"{len(ids)} of {first['totalSize']}")
    more = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    check("query_more by URL", more["done"] is True and len(more["records"]) == first["totalSize"] - 2000)

    created = sf.Lead.create({"FirstName": "Ada", "LastName": "Sdk", "Company": "Simple Salesforce Ltd", "Email": "ada.sdk@example.com"})
    lead_id = created.get("id", "")
    check("Lead.create", created.get("success") is True and lead_id.startswith("00Q") and len(lead_id) == 18, created)
    status = sf.Lead.update(lead_id, {"Title": "Tester", "Status": "Working - Contacted"})
    check("Lead.update returns 204", status == 204, status)
    got = sf.Lead.get(lead_id)
    check("Lead.get sees the update", got["Title"] == "Tester" and got["attributes"]["type"] == "Lead", got.get("Title"))

    describe = sf.Lead.describe()
    fields = {f["name"]: f for f in describe["fields"]}
    statuses = [p["value"] for p in fields["Status"]["picklistValues"]]
    check("Lead.describe", describe["name"] == "Lead" and "Working - Contacted" in statuses and fields["LastName"]["nillable"] is False, statuses)
    names = [o["name"] for o in sf.describe()["sobjects"]]
    check("global describe", {"Lead", "Contact", "Account", "Opportunity"} <= set(names), names)

    check("Account.upsert inserts (201)", sf.Account.upsert("ExtId__c/SDK-1", {"Name": "Sdk Account"}) == 201)
    check("Account.upsert updates (200)", sf.Account.upsert("ExtId__c/SDK-1", {"Phone": "+1 555 0199"}) == 200)
    by_ext = sf.Account.get_by_custom_id("ExtId__c", "SDK-1")
    check("Account.get_by_custom_id", by_ext["Phone"] == "+1 555 0199", by_ext.get("Phone"))

    now = datetime.datetime.now(datetime.timezone.utc)
    updated = sf.Lead.updated(now - datetime.timedelta(days=1), now + datetime.timedelta(minutes=5))
    check("Lead.updated lists the edit", lead_id in updated["ids"], updated)
    check("Lead.delete returns 204", sf.Lead.delete(lead_id) == 204)
    deleted = sf.Lead.deleted(now - datetime.timedelta(days=1), now + datetime.timedelta(minutes=5))
    check("Lead.deleted lists it", any(r["id"] == lead_id for r in deleted["deletedRecords"]), deleted)
    gone = sf.query(f"SELECT Id FROM Lead WHERE Id = '{lead_id}'")
    kept = sf.query(f"SELECT Id, IsDeleted FROM Lead WHERE Id = '{lead_id}'", include_deleted=True)
    check("query hides it, queryAll shows it", gone["totalSize"] == 0 and kept["records"][0]["IsDeleted"] is True)

    try:
        sf.Lead.get(lead_id)
        check("deleted record is 404", False, "no error")
    except SalesforceResourceNotFound as e:
        check("deleted record is 404", e.status == 404)
    try:
        sf.query("SELECT Nope__c FROM Lead")
        check("bad SOQL raises SalesforceMalformedRequest", False, "no error")
    except SalesforceMalformedRequest as e:
        check("bad SOQL raises SalesforceMalformedRequest", e.content[0]["errorCode"] == "INVALID_FIELD", e.content)

    limits = sf.limits()
    usage = sf.api_usage.get("api-usage")
    check("limits and Sforce-Limit-Info parsed", limits["DailyApiRequests"]["Max"] == 100000 and usage is not None and usage.used > 0, usage)

    if FAILED:
        print(f"{len(FAILED)} SDK CHECK(S) FAILED: {FAILED}")
        sys.exit(1)
    print("ALL SDK CHECKS PASSED")


if __name__ == "__main__":
    main()
