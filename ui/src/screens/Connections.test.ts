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
    // The cards are information; the actions are the sandbox button and "Add an account".
    expect(screen.getByTestId("connect-sandbox")).toHaveTextContent("Try with sandbox accounts");
    expect(within(screen.getByTestId("add-account")).getByTestId("sign-in-hubspot")).toBeInTheDocument();
    expect(within(screen.getByTestId("add-account")).queryByTestId("sign-in-zapier")).toBeNull();
    expect(within(screen.getByTestId("add-account")).getByTestId("paste-zapier")).toHaveTextContent("Paste hook URL");
  });

  it("Try with sandbox accounts connects them and shows the new list", async () => {
    let connected: unknown[] = [];
    const calls = mockCommands({
      list_connections: () => connected,
      list_providers: PROVIDERS,
      connect_sandbox_accounts: () => {
        connected = [{ ...CONNECTION, status: "connected", statusMessage: null, circuitState: "closed", tokenExpiresAt: Date.now() + 30 * 60_000 }];
        return connected;
      },
    });
    render(Connections);
    await userEvent.click(await screen.findByTestId("connect-sandbox"));
    expect(await screen.findByTestId("connection-c1")).toHaveTextContent("Connected");
    expect(screen.getByTestId("connection-c1")).not.toHaveTextContent("Circuit open");
    expect(calls.filter((c) => c.cmd === "connect_sandbox_accounts")).toHaveLength(1);
    expect(screen.getByTestId("token-expiry-c1")).toHaveTextContent("token renews in 30 minutes");
  });

  it("Test and Disconnect call the back end for that row; a failure is shown with its code", async () => {
    const calls = mockCommands({
      list_connections: [CONNECTION],
      list_providers: PROVIDERS,
      test_connection: () => ipcError("auth_expired", "Salesforce did not accept these credentials."),
      disconnect: () => ({ ...CONNECTION, status: "disconnected" }),
      set_backoff: ({ backoff }) => ({ ...CONNECTION, backoff }),
    });
    render(Connections);
    await userEvent.click(await screen.findByTestId("test-c1"));
    expect(await screen.findByTestId("action-error")).toHaveTextContent("Salesforce did not accept these credentials. (auth_expired)");
    await userEvent.click(screen.getByTestId("disconnect-c1"));
    expect(calls.find((c) => c.cmd === "disconnect")?.args).toEqual({ id: "c1" });
    expect(calls.find((c) => c.cmd === "test_connection")?.args).toEqual({ id: "c1" });
    await userEvent.selectOptions(screen.getByTestId("backoff-c1"), "fixed");
    expect(calls.find((c) => c.cmd === "set_backoff")?.args).toEqual({ id: "c1", backoff: "fixed" });
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
    expect(row).toHaveTextContent("Circuit open");
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

  it("Sign in starts the flow, shows the link while waiting, and lists the new connection", async () => {
    let connected: unknown[] = [];
    let release: () => void = () => {};
    const calls = mockCommands({
      list_connections: () => connected,
      list_providers: PROVIDERS,
      start_connect: { flowId: "f1", provider: "hubspot", authorizeUrl: "http://127.0.0.1:9/oauth/authorize?x=1", redirectUri: "http://127.0.0.1:5/callback", needsPaste: false },
      finish_connect: () =>
        new Promise((resolve) => {
          release = () => {
            connected = [{ ...CONNECTION, id: "c9", status: "connected", statusMessage: null }];
            resolve(connected[0]);
          };
        }),
      "plugin:opener|open_url": null,
    });
    render(Connections);
    await userEvent.click(await screen.findByTestId("sign-in-hubspot"));
    expect(await screen.findByTestId("authorize-url")).toHaveAttribute("href", "http://127.0.0.1:9/oauth/authorize?x=1");
    expect(calls.find((c) => c.cmd === "start_connect")?.args).toEqual({ provider: "hubspot", environment: "sandbox" });
    release();
    expect(await screen.findByTestId("connection-c9")).toBeInTheDocument();
    expect(screen.queryByTestId("pending-sign-in")).toBeNull();
  });

  it("a refused pasted token is explained and nothing is added", async () => {
    mockCommands({
      list_connections: [],
      list_providers: PROVIDERS,
      connect_pasted: () => ipcError("auth_expired", "Slack did not accept these credentials."),
    });
    render(Connections);
    await userEvent.click(await screen.findByTestId("paste-slack"));
    await userEvent.type(screen.getByTestId("paste-input-slack"), "xoxb-wrong");
    await userEvent.click(screen.getByTestId("paste-connect-slack"));
    expect(await screen.findByTestId("add-error")).toHaveTextContent("Slack did not accept these credentials. (auth_expired)");
    expect(screen.getByTestId("empty-connections")).toBeInTheDocument();
  });

  it("a provider that refuses loopback is finished by pasting the address the browser landed on", async () => {
    let connected: unknown[] = [];
    const calls = mockCommands({
      list_connections: () => connected,
      list_providers: PROVIDERS,
      start_connect: { flowId: "f2", provider: "quickbooks", authorizeUrl: "https://appcenter.example/connect", redirectUri: "https://me.example/cb", needsPaste: true },
      finish_connect_pasted: () => {
        connected = [{ ...CONNECTION, id: "c7", provider: "quickbooks", status: "connected", statusMessage: null }];
        return connected[0];
      },
      "plugin:opener|open_url": null,
    });
    render(Connections);
    await userEvent.click(await screen.findByTestId("sign-in-quickbooks"));
    await userEvent.type(await screen.findByTestId("paste-redirect-input"), "https://me.example/cb?code=abc&state=s&realmId=123");
    await userEvent.click(screen.getByTestId("paste-redirect-finish"));
    expect(await screen.findByTestId("connection-c7")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "finish_connect_pasted")?.args).toEqual({ flowId: "f2", pastedUrl: "https://me.example/cb?code=abc&state=s&realmId=123" });
    expect(calls.some((c) => c.cmd === "finish_connect")).toBe(false);
  });
});
