import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import WebhookSettings from "./WebhookSettings.svelte";
import type { GeneratedSecret, ProviderId, WebhookSettings as Settings, WebhookView } from "../../lib/backend";
import { ipcError, mockCommands, type Answer } from "../../test/ipc";

const OFF: WebhookView = {
  settings: { enabled: false, host: "127.0.0.1", port: 8787, publicUrl: null, hubspotSignature: "v3", debounceMs: 2000 },
  status: { state: "off", address: null, message: null },
  baseUrl: "http://127.0.0.1:8787",
  endpoints: [
    { provider: "hubspot", url: "http://127.0.0.1:8787/webhooks/hubspot", secretLabel: "App client secret", hasSecret: false, usesAppSecret: true },
    { provider: "quickbooks", url: "http://127.0.0.1:8787/webhooks/quickbooks", secretLabel: "Verifier token", hasSecret: false, usesAppSecret: false },
    { provider: "slack", url: "http://127.0.0.1:8787/webhooks/slack", secretLabel: "Signing secret", hasSecret: true, usesAppSecret: false },
  ],
  generic: [{ mappingId: "m1", mappingName: "Contacts to leads", url: "http://127.0.0.1:8787/webhooks/generic/m1", hasSecret: false }],
  stats: { since: 0, received: 12, rejected: 1, duplicates: 0, pending: 0, lastReceivedAt: null, lastRejectedAt: null, receiver: "off" },
};

/** What the engine answers a save with: the settings it was given, listening when enabled. */
function listening(settings: Settings): WebhookView {
  const base = settings.publicUrl ?? `http://127.0.0.1:${settings.port}`;
  return {
    ...OFF,
    settings,
    baseUrl: base,
    status: settings.enabled ? { state: "listening", address: `127.0.0.1:${settings.port}`, message: null } : OFF.status,
    endpoints: OFF.endpoints.map((e) => ({ ...e, url: `${base}/webhooks/${e.provider}` })),
  };
}

function commands(extra: Record<string, Answer> = {}) {
  return mockCommands({
    webhook_settings: OFF,
    set_webhook_settings: ({ settings }) => listening(settings as Settings),
    set_webhook_secret: ({ provider, secret }) => ({
      ...OFF,
      endpoints: OFF.endpoints.map((e) => (e.provider === (provider as ProviderId) ? { ...e, hasSecret: secret !== null } : e)),
    }),
    rotate_webhook_secret: ({ mappingId }): GeneratedSecret => ({ mappingId: mappingId as string, url: OFF.generic[0].url, secret: "whsec_0123abcd" }),
    remove_webhook_secret: OFF,
    ...extra,
  });
}

describe("Webhook settings", () => {
  it("shows the receiver off by default, the addresses to paste and which secrets are set", async () => {
    commands();
    render(WebhookSettings);

    expect(await screen.findByTestId("webhook-status")).toHaveTextContent("Off — no webhooks are received.");
    expect(screen.getByTestId("webhook-enabled")).not.toBeChecked();
    expect(screen.getByLabelText("Address to listen on")).toHaveValue("127.0.0.1");
    expect(screen.getByLabelText("Port")).toHaveValue("8787");
    expect(screen.getByLabelText("Sync delay (seconds)")).toHaveValue("2");
    expect(screen.getByLabelText("HubSpot signature")).toHaveValue("v3");
    expect(screen.getByTestId("webhook-url-hubspot")).toHaveTextContent("http://127.0.0.1:8787/webhooks/hubspot");
    expect(screen.getByTestId("webhook-url-quickbooks")).toHaveTextContent("http://127.0.0.1:8787/webhooks/quickbooks");
    expect(screen.getByTestId("webhook-secret-state-hubspot")).toHaveTextContent("Uses the client secret saved for your HubSpot app");
    expect(screen.getByTestId("webhook-secret-state-quickbooks")).toHaveTextContent("No verifier token yet");
    expect(screen.getByTestId("webhook-secret-state-slack")).toHaveTextContent("Signing secret saved.");
    expect(screen.getByTestId("webhook-stats")).toHaveTextContent("Last 24 hours: 12 events received, 1 request refused, 0 repeats ignored.");
    expect(screen.getByLabelText("Public address (optional)")).toHaveAccessibleDescription(/cloudflared tunnel --url http:\/\/127.0.0.1:8787/);
  });

  it("turns the receiver on with a tunnel address and shows where it listens", async () => {
    const calls = commands();
    render(WebhookSettings);
    const user = userEvent.setup();

    await user.click(await screen.findByTestId("webhook-enabled"));
    await user.type(screen.getByTestId("webhook-public-url"), " https://abc.trycloudflare.com ");
    await user.selectOptions(screen.getByTestId("webhook-hubspot-signature"), "v1");
    await user.clear(screen.getByTestId("webhook-delay"));
    await user.type(screen.getByTestId("webhook-delay"), "1.5");
    await user.click(screen.getByTestId("webhook-save"));

    await waitFor(() => expect(screen.getByTestId("webhook-saved")).toHaveTextContent("Webhook settings saved."));
    expect(calls.find((c) => c.cmd === "set_webhook_settings")?.args).toEqual({
      settings: { enabled: true, host: "127.0.0.1", port: 8787, publicUrl: "https://abc.trycloudflare.com", hubspotSignature: "v1", debounceMs: 1500 },
    });
    expect(screen.getByTestId("webhook-status")).toHaveTextContent("Listening on 127.0.0.1:8787");
    expect(screen.getByTestId("webhook-url-slack")).toHaveTextContent("https://abc.trycloudflare.com/webhooks/slack");
    // The form shows what was saved.
    expect(screen.getByTestId("webhook-enabled")).toBeChecked();
    expect(screen.getByTestId("webhook-delay")).toHaveValue("1.5");
  });

  it("checks the port and delay before saving, and shows the engine's refusals inline", async () => {
    const calls = commands({ set_webhook_settings: () => ipcError("validation", "The address to listen on must be an IP address, such as 127.0.0.1.") });
    render(WebhookSettings);
    const user = userEvent.setup();

    await user.clear(await screen.findByTestId("webhook-port"));
    await user.type(screen.getByTestId("webhook-port"), "99999");
    await user.click(screen.getByTestId("webhook-save"));
    expect(await screen.findByRole("alert")).toHaveTextContent("The port must be a whole number from 1 to 65535.");
    expect(calls.some((c) => c.cmd === "set_webhook_settings")).toBe(false);

    await user.clear(screen.getByTestId("webhook-port"));
    await user.type(screen.getByTestId("webhook-port"), "8787");
    await user.clear(screen.getByTestId("webhook-delay"));
    await user.type(screen.getByTestId("webhook-delay"), "-1");
    await user.click(screen.getByTestId("webhook-save"));
    expect(await screen.findByRole("alert")).toHaveTextContent("between 0 and 600 seconds");

    await user.clear(screen.getByTestId("webhook-delay"));
    await user.type(screen.getByTestId("webhook-delay"), "2");
    await user.clear(screen.getByTestId("webhook-host"));
    await user.type(screen.getByTestId("webhook-host"), "localhost");
    await user.click(screen.getByTestId("webhook-save"));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("must be an IP address"));
    expect(screen.getByTestId("webhook-saved")).toHaveTextContent("");
  });

  it("says why the receiver is not listening", async () => {
    commands({ webhook_settings: { ...OFF, settings: { ...OFF.settings, enabled: true }, status: { state: "error", address: null, message: "Cannot listen on 127.0.0.1:8787: address in use" } } });
    render(WebhookSettings);
    expect(await screen.findByTestId("webhook-status")).toHaveTextContent("Not listening: Cannot listen on 127.0.0.1:8787: address in use");
  });

  it("saves a provider's secret without ever showing it, and removes one", async () => {
    const calls = commands();
    render(WebhookSettings);
    const user = userEvent.setup();

    const input = await screen.findByTestId("webhook-secret-quickbooks");
    expect(input).toHaveAttribute("type", "password");
    expect(screen.getByTestId("webhook-secret-save-quickbooks")).toBeDisabled();
    await user.type(input, "  verifier-123 ");
    await user.click(screen.getByTestId("webhook-secret-save-quickbooks"));
    await waitFor(() => expect(screen.getByTestId("webhook-secret-state-quickbooks")).toHaveTextContent("Verifier token saved."));
    expect(input).toHaveValue("");
    expect(calls.find((c) => c.cmd === "set_webhook_secret")?.args).toEqual({ provider: "quickbooks", secret: "verifier-123" });
    expect(document.body.textContent).not.toContain("verifier-123");

    await user.click(screen.getByTestId("webhook-secret-remove-slack"));
    await waitFor(() => expect(screen.getByTestId("webhook-secret-state-slack")).toHaveTextContent("No signing secret yet"));
    expect(calls.filter((c) => c.cmd === "set_webhook_secret").at(-1)?.args).toEqual({ provider: "slack", secret: null });
  });

  it("generates a mapping's secret, shows it once, and turns the endpoint off", async () => {
    const calls = commands();
    render(WebhookSettings);
    const user = userEvent.setup();

    const row = await screen.findByTestId("webhook-mapping-m1");
    expect(within(row).getByText("Contacts to leads")).toBeInTheDocument();
    expect(within(row).getByText("http://127.0.0.1:8787/webhooks/generic/m1")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Generate secret" }));

    expect(await screen.findByTestId("webhook-revealed-secret")).toHaveTextContent("whsec_0123abcd");
    expect(screen.getByTestId("webhook-revealed")).toHaveTextContent("will not show it again");
    expect(calls.find((c) => c.cmd === "rotate_webhook_secret")?.args).toEqual({ mappingId: "m1" });
    expect(within(row).getByRole("button", { name: "New secret" })).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("webhook-revealed")).toBeNull();
    expect(document.body.textContent).not.toContain("whsec_0123abcd");

    await user.click(within(row).getByRole("button", { name: "Turn off" }));
    await waitFor(() => expect(within(row).getByRole("button", { name: "Generate secret" })).toBeInTheDocument());
    expect(calls.find((c) => c.cmd === "remove_webhook_secret")?.args).toEqual({ mappingId: "m1" });
    expect(screen.getByText("How to sign a request")).toBeInTheDocument();
  });

  it("points to Mappings when there is none", async () => {
    commands({ webhook_settings: { ...OFF, generic: [] } });
    render(WebhookSettings);
    const empty = await screen.findByTestId("webhook-no-mappings");
    expect(within(empty).getByRole("link")).toHaveAttribute("href", "#/mappings");
  });

  it("offers to try again when the settings could not be loaded", async () => {
    let fail = true;
    commands({ webhook_settings: () => (fail ? ipcError("storage", "database locked") : OFF) });
    render(WebhookSettings);

    expect(await screen.findByText("Couldn't load the webhook settings")).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("webhook-status")).toHaveTextContent("Off");
  });
});
