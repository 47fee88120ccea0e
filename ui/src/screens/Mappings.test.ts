import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import Mappings from "./Mappings.svelte";
import type { MappingDraft, MappingSummary, Problem } from "../lib/backend";
import { CONNECTION } from "../test/fixtures";
import { CONTACTS, DETAIL, HUBSPOT, LEAD, PREVIEW, SALESFORCE, SLACK, SUGGESTION } from "../test/mapping-fixtures";
import { mockCommands, type Answer } from "../test/ipc";

const MAPPING: MappingSummary = {
  id: "m1",
  name: "Contacts to HubSpot",
  sourceConnectionId: "c1",
  sourceObject: "Contact",
  targetConnectionId: "c2",
  targetObject: "contacts",
  direction: "two_way",
  enabled: true,
  fieldCount: 12,
  updatedAt: Date.now(),
};

/** A validator shaped like the engine's: required Last Name, and a target on every row. */
function validate({ draft }: Record<string, unknown>): Problem[] {
  const d = draft as MappingDraft;
  const problems: Problem[] = [];
  d.fields.forEach((row, i) => {
    if (row.targetField === "") problems.push({ row: i, field: "", code: "unknown_field", message: "Lead has no field ." });
  });
  if (!d.fields.some((f) => f.targetField === "LastName")) {
    problems.push({ row: null, field: "LastName", code: "required_unmapped", message: "Lead requires Last Name on every new record." });
  }
  return problems;
}

function editorCommands(extra: Record<string, Answer> = {}) {
  return mockCommands({
    list_mappings: [],
    list_connections: [SALESFORCE, HUBSPOT, SLACK],
    list_objects: ({ connectionId }) =>
      connectionId === "c2"
        ? [{ name: "contacts", label: "Contacts", writable: true }]
        : [
            { name: "Lead", label: "Lead", writable: true },
            { name: "Account", label: "Account", writable: true },
          ],
    describe_object: ({ object }) => (object === "contacts" ? CONTACTS : LEAD),
    suggest_mapping: SUGGESTION,
    validate_mapping: validate,
    ...extra,
  });
}

const user = () => userEvent.setup();

/** Opens a new mapping and picks HubSpot contacts → Salesforce Lead. */
async function pickEnds(u: ReturnType<typeof userEvent.setup>) {
  await u.click(await screen.findByTestId("new-mapping"));
  await u.selectOptions(screen.getByTestId("source-connection"), "c2");
  await waitFor(() => expect(screen.getByTestId("source-object")).toBeEnabled());
  await u.selectOptions(screen.getByTestId("source-object"), "contacts");
  await u.selectOptions(screen.getByTestId("target-connection"), "c1");
  await waitFor(() => expect(screen.getByTestId("target-object")).toBeEnabled());
  await u.selectOptions(screen.getByTestId("target-object"), "Lead");
  await screen.findByTestId("field-row-3");
}

describe("Mappings screen", () => {
  it("explains mappings and counts the connections it needs", async () => {
    mockCommands({ list_mappings: [], list_connections: [CONNECTION] });
    render(Mappings);

    const empty = await screen.findByTestId("empty-mappings");
    expect(empty).toHaveTextContent("joins an object in one account to an object in another");
    expect(screen.getByTestId("mappings-connection-count")).toHaveTextContent("You have 1 connection.");
    expect(screen.getByRole("link", { name: "Go to Connections" })).toHaveAttribute("href", "#/connections");
    expect(screen.queryByTestId("create-defaults")).toBeNull();
  });

  it("shows source and target with their connection labels", async () => {
    mockCommands({
      list_mappings: [MAPPING],
      list_connections: [CONNECTION, { ...CONNECTION, id: "c2", provider: "hubspot", label: "Acme HubSpot" }],
    });
    render(Mappings);

    const row = await screen.findByTestId("mapping-m1");
    expect(row).toHaveTextContent("Contact");
    expect(row).toHaveTextContent("Acme Salesforce");
    expect(row).toHaveTextContent("Acme HubSpot");
    expect(row).toHaveTextContent("Two way");
    expect(row).toHaveTextContent("12");
    expect(row).toHaveTextContent("Enabled");
  });

  it("the empty state offers the default mappings once two record accounts are connected", async () => {
    let mappings: MappingSummary[] = [];
    const calls = mockCommands({
      list_mappings: () => mappings,
      list_connections: [SALESFORCE, HUBSPOT, SLACK],
      create_default_mappings: () => {
        mappings = [MAPPING, { ...MAPPING, id: "m2", name: "Deals" }];
        return mappings;
      },
    });
    render(Mappings);
    await user().click(await screen.findByTestId("create-defaults"));
    expect(await screen.findByTestId("mapping-m2")).toHaveTextContent("Deals");
    expect(screen.getByTestId("mappings-notice")).toHaveTextContent("Created 2 default mappings.");
    expect(calls.filter((c) => c.cmd === "create_default_mappings")).toHaveLength(1);
  });

  it("a new mapping is prefilled from the suggestion for the two objects, notes shown", async () => {
    const calls = editorCommands();
    render(Mappings);
    const u = user();
    await pickEnds(u);

    // Slack holds no records, so it is no source or target.
    const accounts = within(screen.getByTestId("source-connection")).getAllByRole("option").map((o) => o.textContent);
    expect(accounts).toEqual(["Choose an account…", "Acme Salesforce", "Acme HubSpot"]);
    expect(calls.find((c) => c.cmd === "suggest_mapping")?.args).toEqual({
      sourceConnectionId: "c2",
      sourceObject: "contacts",
      targetConnectionId: "c1",
      targetObject: "Lead",
    });
    expect(screen.getByTestId("mapping-name")).toHaveValue("Contacts → Lead");
    expect(screen.getByTestId("target-field-1")).toHaveValue("Last Name (LastName)");
    expect(screen.getByTestId("source-field-2")).toHaveValue("Constant (no source field)");
    expect(screen.getByTestId("step-label-1-0")).toHaveTextContent("Default when blank: “[not provided]”");
    expect(screen.getByTestId("mapping-direction")).toHaveValue("two_way");
    expect(screen.getByTestId("match-target")).toHaveValue("Email (Email)");
    expect(screen.getByTestId("suggestion-notes")).toHaveTextContent("lead-source property");
    await waitFor(() => expect(screen.getByTestId("problem-summary")).toHaveTextContent("No problems"));
  });

  it("shows a problem on its row or at the top, and drops it once fixed", async () => {
    const calls = editorCommands();
    render(Mappings);
    const u = user();
    await pickEnds(u);

    await u.click(screen.getByTestId("remove-row-1"));
    const general = await screen.findByTestId("problems-general");
    expect(general).toHaveTextContent("Lead requires Last Name on every new record.");
    expect(screen.getByTestId("problem-summary")).toHaveTextContent("1 problem to fix");

    await u.click(screen.getByTestId("add-row"));
    const rowProblem = await screen.findByTestId("problem-row-3");
    expect(rowProblem).toHaveTextContent("Pick the target field this row fills.");
    expect(rowProblem).toHaveAttribute("role", "alert");
    expect(screen.getByTestId("problem-summary")).toHaveTextContent("2 problems");

    await u.click(screen.getByTestId("target-field-3"));
    await u.keyboard("last");
    await u.keyboard("{Enter}");
    await waitFor(() => expect(screen.queryByTestId("problem-row-3")).toBeNull(), { timeout: 2000 });
    expect(screen.queryByTestId("problems-general")).toBeNull();
    expect(screen.getByTestId("problem-summary")).toHaveTextContent("No problems");
    // Debounced: a burst of edits is checked once it settles, not on every keystroke.
    expect(calls.filter((c) => c.cmd === "validate_mapping").length).toBeLessThan(6);
  });

  it("the field picker is searchable and works by keyboard: arrows, Enter, Escape", async () => {
    editorCommands();
    render(Mappings);
    const u = user();
    await pickEnds(u);

    const picker = screen.getByTestId("target-field-0");
    expect(screen.getByRole("combobox", { name: "Row 1 Target field" })).toBe(picker);
    await u.click(picker);
    expect(picker).toHaveAttribute("aria-expanded", "true");
    // Required target fields first and marked.
    const first = within(screen.getByTestId("target-field-0-list")).getAllByRole("option")[0];
    expect(first).toHaveTextContent(/^Company\s*required\s*Company · text$/);
    await u.keyboard("ti");
    const options = within(screen.getByTestId("target-field-0-list")).getAllByRole("option");
    expect(options.map((o) => o.textContent?.replace(/\s+/g, " ").trim())).toEqual(["Title Title · text"]);
    await u.keyboard("{Escape}");
    expect(picker).toHaveAttribute("aria-expanded", "false");
    expect(picker).toHaveValue("First Name (FirstName)");

    await u.keyboard("{ArrowDown}");
    expect(picker).toHaveAttribute("aria-expanded", "true");
    await u.keyboard("e");
    // Filtered to fields with an "e", required first: Last Name, then Email…; the first is active.
    await u.keyboard("{ArrowDown}");
    const active = document.getElementById(picker.getAttribute("aria-activedescendant")!)!;
    expect(active).toHaveAttribute("aria-selected", "true");
    expect(active).toHaveTextContent("Email");
    await u.keyboard("{Enter}");
    expect(picker).toHaveAttribute("aria-expanded", "false");
    expect(picker).toHaveValue("Email (Email)");
    expect(screen.getByTestId("target-field-3")).toHaveValue("Email (Email)");
  });

  it("previews the draft on five records: each record's fields, values and errors", async () => {
    const calls = editorCommands({ preview_mapping: PREVIEW });
    render(Mappings);
    const u = user();
    await pickEnds(u);

    await u.click(screen.getByTestId("preview-button"));
    const records = await screen.findAllByTestId("preview-record");
    expect(records).toHaveLength(2);
    expect(records[0]).toHaveTextContent("Source record 101");
    expect(records[0]).toHaveTextContent("ada@example.com");
    expect(records[1]).toHaveTextContent("not an e-mail address");
    expect(screen.getByTestId("preview-problems")).toHaveTextContent("Lead requires Company on every new record.");
    const call = calls.find((c) => c.cmd === "preview_mapping")!;
    expect(call.args.limit).toBe(5);
    expect((call.args.draft as MappingDraft).fields).toHaveLength(4);
    expect(screen.queryByTestId("preview-stale")).toBeNull();
    await u.click(screen.getByTestId("remove-row-3"));
    expect(screen.getByTestId("preview-stale")).toHaveTextContent("changed since this preview");
  });

  it("a two-way row edits its steps back to the source, which are saved with it", async () => {
    const calls = editorCommands({
      create_mapping: ({ draft }) => ({ ...DETAIL, id: "m8", draft }),
    });
    render(Mappings);
    const u = user();
    await pickEnds(u);

    await u.selectOptions(screen.getByTestId("sync-rule-0"), "always_source");
    expect(screen.queryByTestId("add-step-op-0-back")).toBeNull();
    await u.selectOptions(screen.getByTestId("sync-rule-0"), "two_way");
    await u.selectOptions(screen.getByTestId("add-step-op-0-back"), "trim");
    await u.click(screen.getByTestId("add-step-0-back"));
    expect(screen.getByTestId("step-label-0-back-0")).toHaveTextContent(/trim/i);
    await u.click(screen.getByTestId("save-mapping"));

    await waitFor(() => expect(calls.some((c) => c.cmd === "create_mapping")).toBe(true));
    const draft = calls.find((c) => c.cmd === "create_mapping")!.args.draft as MappingDraft;
    expect(draft.fields[0]).toMatchObject({ syncRule: "two_way", reverse: [{ op: "trim" }] });
  });

  it("Create mapping saves the draft as edited, with its steps, and goes back to the list", async () => {
    let saved: MappingDraft | null = null;
    const calls = editorCommands({
      create_mapping: ({ draft }) => {
        saved = draft as MappingDraft;
        return { ...DETAIL, id: "m9", draft };
      },
      list_mappings: () => (saved ? [{ ...MAPPING, id: "m9", name: saved.name }] : []),
    });
    render(Mappings);
    const u = user();
    await pickEnds(u);

    const name = screen.getByTestId("mapping-name");
    await u.clear(name);
    await u.type(name, "Leads from HubSpot");
    await u.selectOptions(screen.getByTestId("add-step-op-0"), "uppercase");
    await u.click(screen.getByTestId("add-step-0"));
    await u.selectOptions(screen.getByTestId("sync-rule-0"), "always_source");
    await u.selectOptions(screen.getByTestId("conflict-policy"), "review");
    await u.click(screen.getByTestId("save-mapping"));

    expect(await screen.findByTestId("mapping-m9")).toHaveTextContent("Leads from HubSpot");
    expect(screen.getByTestId("mappings-notice")).toHaveTextContent("Saved “Leads from HubSpot”.");
    const args = calls.find((c) => c.cmd === "create_mapping")!.args.draft as MappingDraft;
    expect(args).toEqual({
      ...SUGGESTION.draft,
      name: "Leads from HubSpot",
      conflictPolicy: "review",
      fields: [
        { sourceField: "firstname", targetField: "FirstName", transform: [{ op: "uppercase" }], syncRule: "always_source" },
        ...SUGGESTION.draft.fields.slice(1),
      ],
    });
  });

  it("edits a value map as a two-column table", async () => {
    editorCommands();
    render(Mappings);
    const u = user();
    await pickEnds(u);

    await u.selectOptions(screen.getByTestId("add-step-op-0"), "map_values");
    await u.click(screen.getByTestId("add-step-0"));
    await u.click(screen.getByTestId("step-0-0-add-value"));
    await u.type(screen.getByTestId("step-0-0-from-0"), "Bob");
    await u.type(screen.getByTestId("step-0-0-to-0"), "Robert");
    expect(screen.getByTestId("step-label-0-0")).toHaveTextContent("Map values: 1 value, others: keep the value");
    await u.click(screen.getByRole("button", { name: "Remove step 1 of row 1" }));
    expect(screen.queryByTestId("step-0-0")).toBeNull();
  });

  it("edits a saved mapping and saves it with update_mapping", async () => {
    const calls = editorCommands({
      list_mappings: [MAPPING],
      get_mapping: DETAIL,
      update_mapping: ({ id, draft }) => ({ ...DETAIL, id, draft }),
    });
    render(Mappings);
    const u = user();
    await u.click(await screen.findByTestId("edit-m1"));
    const name = await screen.findByTestId("mapping-name");
    expect(name).toHaveValue("Contacts to Leads");
    await screen.findByTestId("field-row-3");
    expect(calls.some((c) => c.cmd === "suggest_mapping")).toBe(false);

    await u.click(screen.getByTestId("row-down-0"));
    expect(screen.getByTestId("target-field-1")).toHaveValue("First Name (FirstName)");
    await u.click(screen.getByTestId("save-mapping"));
    await screen.findByTestId("mappings-table");
    const update = calls.find((c) => c.cmd === "update_mapping")!;
    expect(update.args.id).toBe("m1");
    expect((update.args.draft as MappingDraft).fields.map((f) => f.targetField)).toEqual(["LastName", "FirstName", "Company", "Email"]);
  });

  it("in the editor: Duplicate opens the copy; Delete asks first; Cancel with changes asks to discard", async () => {
    let mappings = [MAPPING];
    const copy = { ...DETAIL, id: "m2", draft: { ...DETAIL.draft, name: "Contacts to Leads (copy)" } };
    const calls = editorCommands({
      list_mappings: () => mappings,
      get_mapping: ({ id }) => (id === "m2" ? copy : DETAIL),
      duplicate_mapping: () => {
        mappings = [...mappings, { ...MAPPING, id: "m2", name: copy.draft.name }];
        return copy;
      },
      delete_mapping: ({ id }) => {
        mappings = mappings.filter((m) => m.id !== id);
        return null;
      },
    });
    render(Mappings);
    const u = user();
    await u.click(await screen.findByTestId("edit-m1"));
    expect(screen.getByRole("heading", { name: "Edit mapping" })).toHaveFocus();
    await screen.findByTestId("field-row-0");

    await u.click(screen.getByTestId("editor-duplicate"));
    await waitFor(() => expect(screen.getByTestId("mapping-name")).toHaveValue("Contacts to Leads (copy)"));
    expect(screen.getByTestId("mappings-notice")).toHaveTextContent("you are editing the copy");
    expect(calls.find((c) => c.cmd === "duplicate_mapping")?.args).toEqual({ id: "m1" });

    // Unsaved changes: Cancel asks before throwing them away.
    await u.type(screen.getByTestId("mapping-name"), "!");
    expect(screen.getByTestId("editor-duplicate")).toBeDisabled();
    await u.click(screen.getByTestId("cancel-edit"));
    expect(screen.getByTestId("confirm-discard")).toHaveTextContent("unsaved changes");
    await u.keyboard("{Escape}");
    expect(screen.queryByTestId("confirm-discard")).toBeNull();
    expect(screen.getByTestId("mapping-name")).toHaveValue("Contacts to Leads (copy)!");

    await u.click(screen.getByTestId("editor-delete"));
    expect(screen.getByTestId("confirm-delete")).toHaveTextContent("Delete the mapping “Contacts to Leads (copy)!”?");
    expect(calls.some((c) => c.cmd === "delete_mapping")).toBe(false);
    await u.click(screen.getByTestId("confirm-delete-yes"));
    await screen.findByTestId("mappings-table");
    expect(calls.find((c) => c.cmd === "delete_mapping")?.args).toEqual({ id: "m2" });
    expect(screen.getByTestId("mappings-notice")).toHaveTextContent("Deleted");
    expect(screen.queryByTestId("mapping-m2")).toBeNull();
    expect(screen.getByTestId("mapping-m1")).toBeInTheDocument();
  });

  it("delete asks first; Cancel keeps the mapping, Delete mapping removes it", async () => {
    let mappings = [MAPPING];
    const calls = mockCommands({
      list_mappings: () => mappings,
      list_connections: [SALESFORCE, HUBSPOT],
      delete_mapping: ({ id }) => {
        mappings = mappings.filter((m) => m.id !== id);
        return null;
      },
    });
    render(Mappings);
    const u = user();
    await u.click(await screen.findByTestId("delete-m1"));
    const confirm = screen.getByTestId("confirm-delete");
    expect(confirm).toHaveTextContent("Delete the mapping “Contacts to HubSpot”?");
    expect(within(confirm).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await u.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("confirm-delete")).toBeNull();
    expect(calls.some((c) => c.cmd === "delete_mapping")).toBe(false);

    await u.click(screen.getByTestId("delete-m1"));
    await u.click(screen.getByTestId("confirm-delete-yes"));
    expect(await screen.findByTestId("empty-mappings")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "delete_mapping")?.args).toEqual({ id: "m1" });
  });

  it("a failed save is shown with its code and keeps the draft", async () => {
    editorCommands({
      create_mapping: () => {
        throw { code: "validation", message: "Email is filled by more than one row." };
      },
    });
    render(Mappings);
    const u = user();
    await pickEnds(u);
    await u.click(screen.getByTestId("save-mapping"));
    const panel = await screen.findByTestId("error-panel");
    expect(panel).toHaveTextContent("Couldn't save the mapping");
    expect(panel).toHaveTextContent("Email is filled by more than one row.");
    expect(screen.getByTestId("error-code")).toHaveTextContent("validation");
    expect(screen.getByTestId("mapping-name")).toHaveValue("Contacts → Lead");
  });
});
