import { describe, expect, it } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import Connections from "./Connections.svelte";
import { CONNECTION, PROVIDERS } from "../test/fixtures";
import { ipcError, mockCommands } from "../test/ipc";

describe("Connections screen", () => {
  it("with no connections shows the empty state and the five provider cards", async () => {
    mockCommands({ list_connections: [], list_providers: PROVIDERS });
    render(Connections);

    expect(await screen.findByTestId("empty-connections")).toHaveTextContent("No accounts connected yet");
    for (const id of ["salesforce", "hubspot", "quickbooks", "slack", "zapier"]) {
      expect(screen.getByTestId(`provider-${id}`)).toBeInTheDocument();
    }
    expect(within(screen.getByTestId("provider-quickbooks")).getByText(/Sign in with browser/)).toBeInTheDocument();
    expect(screen.getByTestId("provider-slack")).toHaveTextContent("Paste a token");
    expect(screen.getByTestId("provider-zapier")).toHaveTextContent("Paste a hook URL");
    expect(screen.getByTestId("provider-hubspot")).toHaveTextContent("Sign in with browser or Paste a token");
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("lists connections with environment, status and message", async () => {
    mockCommands({ list_connections: [CONNECTION], list_providers: PROVIDERS });
    render(Connections);

    const row = await screen.findByTestId("connection-c1");
    expect(row).toHaveTextContent("Acme Salesforce");
    expect(row).toHaveTextContent("acme@example.com");
    expect(row).toHaveTextContent("Salesforce");
    expect(row).toHaveTextContent("Sandbox");
    expect(row).toHaveTextContent("Needs reconnect");
    expect(row).toHaveTextContent("The refresh token was revoked.");
    expect(screen.queryByTestId("empty-connections")).toBeNull();
    expect(screen.getAllByRole("columnheader").every((th) => th.getAttribute("scope") === "col")).toBe(true);
  });

  it("shows the error with its code, and Try again reloads", async () => {
    let fail = true;
    mockCommands({
      list_connections: () => (fail ? ipcError("storage", "database is locked") : []),
      list_providers: PROVIDERS,
    });
    render(Connections);

    const panel = await screen.findByTestId("error-panel");
    expect(panel).toHaveTextContent("database is locked");
    expect(screen.getByTestId("error-code")).toHaveTextContent("storage");

    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("empty-connections")).toBeInTheDocument();
    expect(screen.queryByTestId("error-panel")).toBeNull();
  });

  it("has a focusable h1", () => {
    mockCommands({ list_connections: [], list_providers: PROVIDERS });
    render(Connections);
    const heading = screen.getByRole("heading", { level: 1, name: "Connections" });
    expect(heading).toHaveAttribute("tabindex", "-1");
    expect(screen.getByTestId("loading")).toBeInTheDocument();
  });
});
