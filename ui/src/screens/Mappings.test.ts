import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import Mappings from "./Mappings.svelte";
import type { MappingSummary } from "../lib/backend";
import { CONNECTION } from "../test/fixtures";
import { mockCommands } from "../test/ipc";

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

describe("Mappings screen", () => {
  it("explains mappings and counts the connections it needs", async () => {
    mockCommands({ list_mappings: [], list_connections: [CONNECTION] });
    render(Mappings);

    const empty = await screen.findByTestId("empty-mappings");
    expect(empty).toHaveTextContent("joins an object in one account to an object in another");
    expect(screen.getByTestId("mappings-connection-count")).toHaveTextContent("You have 1 connection.");
    expect(screen.getByRole("link", { name: "Go to Connections" })).toHaveAttribute("href", "#/connections");
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
});
