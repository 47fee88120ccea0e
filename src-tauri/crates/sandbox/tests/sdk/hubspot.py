"""Drives the official HubSpot Python SDK (hubspot-api-client) against a running sandbox.

Usage: python hubspot.py BASE_URL TOKEN
Run by the ignored Rust test `the_official_python_sdk_works_against_the_sandbox`
(tests/hubspot/tools.rs) when SANDBOX_SDK_PYTHON points at a venv with the SDK.
Prints one line per check and "SDK CHECK OK" at the end; exits non-zero on failure.
"""

import json
import os
import sys
import time
import urllib.request

# This file is itself named hubspot.py: keep its folder off the import path so that
# `import hubspot` finds the SDK, not this script.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import hubspot  # noqa: E402
from hubspot.crm.contacts import (  # noqa: E402
    ApiException,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchReadInputSimplePublicObjectId,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + (f" ({detail})" if detail else ""))
    if not condition:
        sys.exit(1)


def main(base, token):
    # The SDK's Configuration takes `host`; Client passes every keyword on to it.
    client = hubspot.HubSpot(access_token=token, host=base)
    contacts = client.crm.contacts

    everyone = contacts.get_all(properties=["email", "firstname"])
    check("get_all pages through every contact", len(everyone) > 100, f"{len(everyone)} contacts")
    check("ids are numeric strings", all(c.id.isdigit() for c in everyone))
    check("no id twice", len({c.id for c in everyone}) == len(everyone))

    page = contacts.basic_api.get_page(limit=5, archived=False)
    check("get_page limit and paging", len(page.results) == 5 and page.paging.next.after is not None)

    stamp = int(time.time() * 1000)
    email = f"sdk.{stamp}@sdk.example.org"
    made = contacts.basic_api.create(
        simple_public_object_input_for_create=SimplePublicObjectInputForCreate(properties={"email": email, "firstname": "Sdk", "lifecyclestage": "lead"}, associations=[])
    )
    check("create returns the contact", made.id.isdigit() and made.properties["email"] == email)

    try:
        contacts.basic_api.create(simple_public_object_input_for_create=SimplePublicObjectInputForCreate(properties={"email": email}, associations=[]))
        check("duplicate email is refused", False)
    except ApiException as e:
        body = json.loads(e.body)
        check("duplicate email is a 409 CONFLICT", e.status == 409 and body["category"] == "CONFLICT", body["message"])

    got = contacts.basic_api.get_by_id(contact_id=email, id_property="email", properties=["firstname"])
    check("get_by_id with idProperty=email", got.id == made.id and got.properties["firstname"] == "Sdk")

    updated = contacts.basic_api.update(contact_id=made.id, simple_public_object_input=SimplePublicObjectInput(properties={"jobtitle": "Tester"}))
    check("update", updated.properties["jobtitle"] == "Tester")

    batch = contacts.batch_api.create(
        batch_input_simple_public_object_batch_input_for_create=BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[SimplePublicObjectBatchInputForCreate(properties={"email": f"sdk.batch{i}.{stamp}@sdk.example.org", "firstname": f"Batch{i}"}, associations=[]) for i in range(3)]
        )
    )
    check("batch create", batch.status == "COMPLETE" and len(batch.results) == 3)

    read = contacts.batch_api.read(
        batch_read_input_simple_public_object_id=BatchReadInputSimplePublicObjectId(inputs=[SimplePublicObjectId(id=r.id) for r in batch.results], properties=["firstname"], properties_with_history=[])
    )
    check("batch read", sorted(r.properties["firstname"] for r in read.results) == ["Batch0", "Batch1", "Batch2"])

    # An injected partial failure: the SDK must parse the 207 with its errors.
    fault = json.dumps({"kind": "partial_batch", "next": 1}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base}/__sandbox/faults", data=fault, headers={"Content-Type": "application/json"}, method="POST"))
    partial = contacts.batch_api.read(
        batch_read_input_simple_public_object_id=BatchReadInputSimplePublicObjectId(inputs=[SimplePublicObjectId(id=r.id) for r in batch.results[:2]], properties=["firstname"], properties_with_history=[])
    )
    check("207 partial batch parses", partial.num_errors == 1 and len(partial.results) == 1 and partial.errors[0].status == "error", f"numErrors {partial.num_errors}")

    request = PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[Filter(property_name="lastmodifieddate", operator="GTE", value=str(stamp))])],
        sorts=[{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
        properties=["email", "firstname"],
        limit=100,
    )
    found = contacts.search_api.do_search(public_object_search_request=request)
    emails = {r.properties["email"] for r in found.results}
    check("search on lastmodifieddate finds what was written", found.total == 4 and email in emails, f"total {found.total}")

    by_email = contacts.search_api.do_search(public_object_search_request=PublicObjectSearchRequest(filter_groups=[FilterGroup(filters=[Filter(property_name="email", operator="EQ", value=email)])]))
    check("search EQ email", by_email.total == 1 and by_email.results[0].id == made.id)

    contacts.basic_api.archive(contact_id=made.id)
    try:
        contacts.basic_api.get_by_id(contact_id=made.id)
        check("archived contact is gone", False)
    except ApiException as e:
        check("archived contact is a 404", e.status == 404)

    companies = client.crm.companies.get_all(properties=["name", "domain"])
    check("companies get_all", len(companies) > 10 and all(c.properties.get("name") for c in companies))
    props = client.crm.properties.core_api.get_all(object_type="contacts")
    lead = next(p for p in props.results if p.name == "hs_lead_status")
    check("properties API", lead.type == "enumeration" and len(lead.options) > 3)

    print("SDK CHECK OK")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
