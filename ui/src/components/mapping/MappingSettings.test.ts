import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import MappingSettings from "./MappingSettings.svelte";
import { CONTACTS, SUGGESTION, field } from "../../test/mapping-fixtures";
import type { MappingDraft } from "../../lib/backend";

const ext = (upsertKey: boolean) => field("ExtId__c", "External Id", "text", { externalId: upsertKey, upsertKey });
const byExternalId: MappingDraft = {
  ...SUGGESTION.draft,
  matchRule: { kind: "external_id", sourceField: "hs_object_id", targetField: "ExtId__c" },
};

function show(draft: MappingDraft, upsertKey: boolean) {
  render(MappingSettings, { props: { draft, sourceFields: CONTACTS.fields, targetFields: [ext(upsertKey)], onchange: () => {} } });
}

describe("Mapping settings: how unlinked records are written", () => {
  it("says an external-id match on an upsert key writes by upsert, with no look-up", () => {
    show(byExternalId, true);
    expect(screen.getByTestId("match-upsert")).toHaveTextContent("written by upsert on External Id");
  });

  it("says records are looked up first when the target cannot upsert by the field", () => {
    show(byExternalId, false);
    expect(screen.getByTestId("match-upsert")).toHaveTextContent("looked up first");
  });

  it("says nothing for e-mail matching, which always looks up", () => {
    show(SUGGESTION.draft, true);
    expect(screen.queryByTestId("match-upsert")).toBeNull();
  });
});
