// Sample schemas, suggestion and preview for the mapping editor tests:
// HubSpot contacts (c2) → Salesforce Lead (c1), as the sandbox accounts hold them.
import type { ConnectionSummary, FieldSpec, MappingDetail, MappingPreview, ObjectSpec, SuggestedMapping } from "../lib/backend";
import { CONNECTION } from "./fixtures";

export const SALESFORCE: ConnectionSummary = { ...CONNECTION, status: "connected", statusMessage: null, circuitState: "closed" };
export const HUBSPOT: ConnectionSummary = { ...SALESFORCE, id: "c2", provider: "hubspot", label: "Acme HubSpot" };
export const SLACK: ConnectionSummary = { ...SALESFORCE, id: "c3", provider: "slack", label: "Acme Slack" };

export function field(name: string, label: string, type: FieldSpec["type"], more: Partial<FieldSpec> = {}): FieldSpec {
  return {
    name,
    label,
    type,
    required: false,
    nillable: true,
    createable: true,
    updateable: true,
    unique: false,
    externalId: false,
    upsertKey: false,
    length: null,
    picklist: [],
    referenceTo: [],
    custom: false,
    ...more,
  };
}

export const CONTACTS: ObjectSpec = {
  name: "contacts",
  label: "Contacts",
  idField: "hs_object_id",
  modifiedField: "lastmodifieddate",
  writable: true,
  fields: [
    field("hs_object_id", "Record ID", "id", { createable: false, updateable: false, unique: true }),
    field("firstname", "First Name", "text"),
    field("lastname", "Last Name", "text"),
    field("email", "Email", "email", { unique: true }),
    field("jobtitle", "Job Title", "text"),
  ],
};

export const LEAD: ObjectSpec = {
  name: "Lead",
  label: "Lead",
  idField: "Id",
  modifiedField: "SystemModstamp",
  writable: true,
  fields: [
    field("Id", "Lead ID", "id", { createable: false, updateable: false }),
    field("FirstName", "First Name", "text"),
    field("LastName", "Last Name", "text", { required: true }),
    field("Email", "Email", "email"),
    field("Title", "Title", "text"),
    field("Company", "Company", "text", { required: true }),
    field("Status", "Lead Status", "picklist", {
      picklist: [
        { value: "Open - Not Contacted", label: "Open - Not Contacted" },
        { value: "Working - Contacted", label: "Working - Contacted" },
      ],
    }),
  ],
};

export const SUGGESTION: SuggestedMapping = {
  draft: {
    name: "Contacts → Lead",
    sourceConnectionId: "c2",
    sourceObject: "contacts",
    targetConnectionId: "c1",
    targetObject: "Lead",
    direction: "two_way",
    matchRule: { kind: "email", sourceField: "email", targetField: "Email" },
    conflictPolicy: "newest_wins",
    deletePolicy: "ignore",
    fields: [
      { sourceField: "firstname", targetField: "FirstName", transform: [], syncRule: "two_way" },
      { sourceField: "lastname", targetField: "LastName", transform: [{ op: "default", value: "[not provided]" }], syncRule: "two_way" },
      { sourceField: null, targetField: "Company", transform: [{ op: "constant", value: "Acme" }], syncRule: "always_source" },
      { sourceField: "email", targetField: "Email", transform: [{ op: "email" }], syncRule: "two_way" },
    ],
  },
  notes: ["HubSpot contacts have no lead-source property by default, so Salesforce's LeadSource is not mapped."],
};

export const DETAIL: MappingDetail = {
  id: "m1",
  enabled: true,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  draft: { ...SUGGESTION.draft, name: "Contacts to Leads" },
};

export const PREVIEW: MappingPreview = {
  records: [
    {
      sourceId: "101",
      cells: [
        { targetField: "LastName", sourceField: "lastname", sourceValue: "Lovelace", value: "Lovelace", error: null },
        { targetField: "Email", sourceField: "email", sourceValue: " ADA@Example.com ", value: "ada@example.com", error: null },
      ],
    },
    {
      sourceId: "102",
      cells: [
        { targetField: "LastName", sourceField: "lastname", sourceValue: null, value: "[not provided]", error: null },
        { targetField: "Email", sourceField: "email", sourceValue: "not-an-email", value: null, error: "not an e-mail address" },
      ],
    },
  ],
  problems: [{ row: null, field: "Company", code: "required_unmapped", message: "Lead requires Company on every new record." }],
};
