import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import RunNotifications from "./RunNotifications.svelte";
import type { ConnectionSummary, NotificationSettings } from "../lib/backend";
import { CONNECTION } from "../test/fixtures";
import { ipcError, mockCommands, type Answer } from "../test/ipc";

const SLACK: ConnectionSummary = { ...CONNECTION, id: "s1", provider: "slack", label: "Team Slack", accountName: "acme", status: "connected" };
const SLACK_EXPIRED: ConnectionSummary = { ...SLACK, id: "s2", label: "Old Slack", accountName: null, status: "needs_reconnect" };
const ZAPIER: ConnectionSummary = { ...CONNECTION, id: "z1", provider: "zapier", label: "Ops Zap", accountName: null, status: "connected" };
const SALESFORCE: ConnectionSummary = { ...CONNECTION, status: "connected" };

const DEFAULTS: NotificationSettings = { desktop: true, slackConnectionId: null, slackChannel: null, zapierConnectionId: null };

function commands(extra: Record<string, Answer> = {}) {
  return mockCommands({
    notification_settings: DEFAULTS,
    list_connections: [SALESFORCE, SLACK, SLACK_EXPIRED, ZAPIER],
    set_notification_settings: ({ settings }) => settings as NotificationSettings,
    ...extra,
  });
}

const optionTexts = (select: HTMLElement) => within(select).getAllByRole("option").map((o) => o.textContent);

describe("Run notifications settings", () => {
  it("loads the saved settings and offers only connected Slack and Zapier accounts", async () => {
    commands({ notification_settings: { desktop: false, slackConnectionId: "s1", slackChannel: "C0123ABCD", zapierConnectionId: null } });
    render(RunNotifications);

    const slack = await screen.findByTestId("notify-slack-connection");
    expect(screen.getByTestId("notify-desktop")).not.toBeChecked();
    expect(slack).toHaveValue("s1");
    expect(optionTexts(slack)).toEqual(["Don't post", "Team Slack (acme)"]);
    expect(screen.getByTestId("notify-slack-channel")).toHaveValue("C0123ABCD");
    expect(screen.getByLabelText(/Channel id/)).toHaveAccessibleDescription(/channel details/);
    expect(screen.getByTestId("notify-zapier-connection")).toHaveValue("");
    expect(optionTexts(screen.getByTestId("notify-zapier-connection"))).toEqual(["Don't post", "Ops Zap"]);
    expect(screen.getByLabelText("Desktop notification when a run ends")).toBe(screen.getByTestId("notify-desktop"));
  });

  it("keeps a saved connection that needs reconnecting visible, marked as such", async () => {
    commands({ notification_settings: { ...DEFAULTS, slackConnectionId: "s2", slackChannel: "C9" } });
    render(RunNotifications);

    const slack = await screen.findByTestId("notify-slack-connection");
    expect(slack).toHaveValue("s2");
    expect(optionTexts(slack)).toEqual(["Don't post", "Team Slack (acme)", "Old Slack (needs reconnect)"]);
  });

  it("saves a chosen Slack connection, its channel and a Zapier hook, then confirms", async () => {
    const calls = commands();
    render(RunNotifications);
    const user = userEvent.setup();

    expect(await screen.findByTestId("notify-desktop")).toBeChecked();
    expect(screen.queryByTestId("notify-slack-channel")).toBeNull();
    await user.selectOptions(screen.getByTestId("notify-slack-connection"), "s1");
    await user.type(screen.getByTestId("notify-slack-channel"), "  C0123ABCD ");
    await user.selectOptions(screen.getByTestId("notify-zapier-connection"), "z1");
    await user.click(screen.getByTestId("notify-desktop"));
    expect(screen.getByTestId("notify-saved")).toHaveTextContent("");
    await user.click(screen.getByTestId("notify-save"));

    await waitFor(() => expect(screen.getByTestId("notify-saved")).toHaveTextContent("Notification settings saved."));
    expect(screen.getByTestId("notify-saved")).toHaveAttribute("role", "status");
    expect(calls.filter((c) => c.cmd === "set_notification_settings")).toEqual([
      {
        cmd: "set_notification_settings",
        args: { settings: { desktop: false, slackConnectionId: "s1", slackChannel: "C0123ABCD", zapierConnectionId: "z1" } },
      },
    ]);

    // Editing again hides the confirmation until the next save.
    await user.click(screen.getByTestId("notify-desktop"));
    expect(screen.getByTestId("notify-saved")).toHaveTextContent("");
  });

  it("sends nulls for Don't post, dropping the channel of a Slack account no longer chosen", async () => {
    const calls = commands({ notification_settings: { desktop: true, slackConnectionId: "s1", slackChannel: "C1", zapierConnectionId: "z1" } });
    render(RunNotifications);
    const user = userEvent.setup();

    await user.selectOptions(await screen.findByTestId("notify-slack-connection"), "");
    expect(screen.queryByTestId("notify-slack-channel")).toBeNull();
    await user.selectOptions(screen.getByTestId("notify-zapier-connection"), "");
    await user.click(screen.getByTestId("notify-save"));

    await waitFor(() => expect(screen.getByTestId("notify-saved")).toHaveTextContent("saved"));
    expect(calls.find((c) => c.cmd === "set_notification_settings")?.args).toEqual({
      settings: { desktop: true, slackConnectionId: null, slackChannel: null, zapierConnectionId: null },
    });
  });

  it("shows the engine's validation message inline and no confirmation", async () => {
    const calls = commands({
      set_notification_settings: ({ settings }) =>
        (settings as NotificationSettings).slackChannel
          ? (settings as NotificationSettings)
          : ipcError("validation", "Give the Slack channel's id (for example C0123ABCD)."),
    });
    render(RunNotifications);
    const user = userEvent.setup();

    await user.selectOptions(await screen.findByTestId("notify-slack-connection"), "s1");
    await user.click(screen.getByTestId("notify-save"));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Give the Slack channel's id (for example C0123ABCD).");
    expect(screen.getByTestId("notify-saved")).toHaveTextContent("");
    expect(calls.find((c) => c.cmd === "set_notification_settings")?.args).toEqual({
      settings: { desktop: true, slackConnectionId: "s1", slackChannel: null, zapierConnectionId: null },
    });

    // Fixing it and saving again clears the error.
    await user.type(screen.getByTestId("notify-slack-channel"), "C0123ABCD");
    await user.click(screen.getByTestId("notify-save"));
    await waitFor(() => expect(screen.getByTestId("notify-saved")).toHaveTextContent("saved"));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows other save failures in the error panel with their code", async () => {
    commands({ set_notification_settings: () => ipcError("storage", "disk full") });
    render(RunNotifications);

    await userEvent.click(await screen.findByTestId("notify-save"));
    expect(await screen.findByText("Couldn't save the notification settings")).toBeInTheDocument();
    expect(screen.getByTestId("error-code")).toHaveTextContent("storage");
    expect(screen.queryByTestId("notify-error")).toBeNull();
  });

  it("says so, with a link to Connections, when no Slack or Zapier account is connected", async () => {
    const calls = commands({ list_connections: [SALESFORCE, { ...SLACK, status: "disconnected" }] });
    render(RunNotifications);

    const noSlack = await screen.findByTestId("notify-no-slack");
    expect(noSlack).toHaveTextContent("no connected Slack account");
    expect(within(noSlack).getByRole("link")).toHaveAttribute("href", "#/connections");
    expect(within(screen.getByTestId("notify-no-zapier")).getByRole("link")).toHaveAttribute("href", "#/connections");
    expect(screen.queryByTestId("notify-slack-connection")).toBeNull();
    expect(screen.queryByTestId("notify-zapier-connection")).toBeNull();

    // The desktop choice still saves on its own.
    await userEvent.click(screen.getByTestId("notify-desktop"));
    await userEvent.click(screen.getByTestId("notify-save"));
    await waitFor(() => expect(screen.getByTestId("notify-saved")).toHaveTextContent("saved"));
    expect(calls.find((c) => c.cmd === "set_notification_settings")?.args).toEqual({ settings: { ...DEFAULTS, desktop: false } });
  });

  it("notes a saved connection that was removed, and saving drops it", async () => {
    const calls = commands({ notification_settings: { ...DEFAULTS, zapierConnectionId: "gone" } });
    render(RunNotifications);

    expect(await screen.findByTestId("notify-zapier-gone")).toHaveTextContent("removed");
    expect(screen.getByTestId("notify-zapier-connection")).toHaveValue("");
    await userEvent.click(screen.getByTestId("notify-save"));
    await waitFor(() => expect(screen.getByTestId("notify-saved")).toHaveTextContent("saved"));
    expect(calls.find((c) => c.cmd === "set_notification_settings")?.args).toEqual({ settings: DEFAULTS });
    expect(screen.queryByTestId("notify-zapier-gone")).toBeNull();
  });

  it("treats an unset desktop choice as on, the engine's default", async () => {
    commands({ notification_settings: { slackConnectionId: null, slackChannel: null, zapierConnectionId: null } });
    render(RunNotifications);
    expect(await screen.findByTestId("notify-desktop")).toBeChecked();
  });

  it("offers to try again when the settings could not be loaded", async () => {
    let fail = true;
    commands({ notification_settings: () => (fail ? ipcError("storage", "database locked") : DEFAULTS) });
    render(RunNotifications);

    expect(await screen.findByText("Couldn't load the notification settings")).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("notify-desktop")).toBeChecked();
  });
});
