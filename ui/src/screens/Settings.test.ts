import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import Settings from "./Settings.svelte";
import { APP_INFO, CONNECTION } from "../test/fixtures";
import { ipcError, mockCommands } from "../test/ipc";

/** The Webhooks section's view: the receiver off, as on a fresh install. */
const WEBHOOKS = {
  settings: { enabled: false, host: "127.0.0.1", port: 8787, publicUrl: null, hubspotSignature: "v3", debounceMs: 2000 },
  status: { state: "off", address: null, message: null },
  baseUrl: "http://127.0.0.1:8787",
  endpoints: [{ provider: "quickbooks", url: "http://127.0.0.1:8787/webhooks/quickbooks", secretLabel: "Verifier token", hasSecret: false, usesAppSecret: false }],
  generic: [],
  stats: { since: 0, received: 0, rejected: 0, duplicates: 0, pending: 0, lastReceivedAt: null, lastRejectedAt: null, receiver: "off" },
};

/** What the Run notifications section loads (its settings and the connections it offers), and the Health and provider limits sections' settings. */
const NOTIFY = {
  notification_settings: { desktop: true, slackConnectionId: null, slackChannel: null, zapierConnectionId: null },
  webhook_settings: WEBHOOKS,
  list_connections: [],
  health_settings: {},
  provider_limits: { hubspotSearchPerSecond: 4 },
};

describe("Settings screen", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows where this installation keeps its files", async () => {
    mockCommands({ ...NOTIFY, get_preferences: { theme: "system", onboardingCompleted: true }, app_info: APP_INFO });
    render(Settings);

    expect(await screen.findByTestId("info-database-path")).toHaveTextContent(APP_INFO.databasePath);
    expect(screen.getByTestId("info-version")).toHaveTextContent("0.1.0");
    expect(screen.getByTestId("info-schema-version")).toHaveTextContent("20261128000015");
    expect(screen.getByTestId("info-key-source")).toHaveTextContent("Key file beside the database");
    expect(screen.getByTestId("theme-select")).toHaveValue("system");
    expect(await screen.findByTestId("health-healthySuccessPct")).toHaveValue(95);
    expect(await screen.findByTestId("limits-hubspot-search")).toHaveValue(4);
  });

  it("saves and applies a new theme at once", async () => {
    const calls = mockCommands({
      ...NOTIFY,
      get_preferences: { theme: "light", onboardingCompleted: true },
      app_info: { ...APP_INFO, keySource: "keychain" },
      set_theme: (args) => ({ theme: args.theme, onboardingCompleted: true }),
    });
    render(Settings);

    const select = await screen.findByTestId("theme-select");
    expect(screen.getByTestId("info-key-source")).toHaveTextContent("OS keychain");
    await userEvent.selectOptions(select, "dark");

    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(calls).toContainEqual({ cmd: "set_theme", args: { theme: "dark" } });
  });

  it("says so when the theme could not be saved", async () => {
    mockCommands({
      ...NOTIFY,
      get_preferences: { theme: "light", onboardingCompleted: true },
      app_info: APP_INFO,
      set_theme: () => ipcError("storage", "disk full"),
    });
    render(Settings);

    await userEvent.selectOptions(await screen.findByTestId("theme-select"), "dark");
    expect(await screen.findByText("Couldn't save the theme")).toBeInTheDocument();
    expect(screen.getByTestId("error-code")).toHaveTextContent("storage");
  });

  it("has a Run notifications section that saves its choices", async () => {
    const calls = mockCommands({
      ...NOTIFY,
      list_connections: [{ ...CONNECTION, id: "s1", provider: "slack", label: "Team Slack", status: "connected" }],
      get_preferences: { theme: "system", onboardingCompleted: true },
      app_info: APP_INFO,
      set_notification_settings: ({ settings }) => settings,
    });
    render(Settings);

    const section = await screen.findByRole("region", { name: "Run notifications" });
    await userEvent.selectOptions(await within(section).findByLabelText("Slack account"), "s1");
    await userEvent.type(within(section).getByLabelText(/Channel id/), "C0123ABCD");
    await userEvent.click(within(section).getByRole("button", { name: "Save notifications" }));

    expect(await within(section).findByText("Notification settings saved.")).toHaveAttribute("role", "status");
    expect(calls.find((c) => c.cmd === "set_notification_settings")?.args).toEqual({
      settings: { desktop: true, slackConnectionId: "s1", slackChannel: "C0123ABCD", zapierConnectionId: null },
    });
    expect(within(section).getByTestId("notify-no-zapier")).toBeInTheDocument();
  });

  it("saves an app's client id and secret and shows the redirect URI to register", async () => {
    const app = (provider: string) => ({ provider, clientId: null, hasSecret: false, redirectUri: "http://127.0.0.1:53682/callback", pasteRedirectUri: null });
    const calls = mockCommands({
      ...NOTIFY,
      get_preferences: { theme: "system", onboardingCompleted: true },
      app_info: APP_INFO,
      app_credentials: ({ provider }) => app(provider as string),
      set_app_credentials: ({ provider, clientId, pasteRedirectUri }) => ({ ...app(provider as string), clientId, hasSecret: true, pasteRedirectUri }),
    });
    render(Settings);
    expect(await screen.findByText("http://127.0.0.1:53682/callback")).toHaveAttribute("data-testid", "app-redirect-uri");
    await userEvent.type(await screen.findByTestId("app-hubspot-client-id"), "my-client");
    await userEvent.type(screen.getByTestId("app-hubspot-secret"), "shh");
    await userEvent.click(screen.getByTestId("app-hubspot-save"));
    expect(await screen.findByText("Saved")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "set_app_credentials")?.args).toEqual({ provider: "hubspot", clientId: "my-client", clientSecret: "shh", pasteRedirectUri: "" });
    expect(screen.getByTestId("app-hubspot-secret")).toHaveValue("");
    expect(screen.getByTestId("app-hubspot-secret")).toHaveAttribute("placeholder", "Secret saved (type to replace)");
  });

  it("has a Webhooks section, off by default, with the address to give each service", async () => {
    mockCommands({ ...NOTIFY, get_preferences: { theme: "system", onboardingCompleted: true }, app_info: APP_INFO });
    render(Settings);

    const section = await screen.findByRole("region", { name: "Webhooks" });
    expect(await within(section).findByTestId("webhook-status")).toHaveTextContent("Off");
    expect(within(section).getByTestId("webhook-enabled")).not.toBeChecked();
    expect(within(section).getByTestId("webhook-url-quickbooks")).toHaveTextContent("http://127.0.0.1:8787/webhooks/quickbooks");
  });
});
