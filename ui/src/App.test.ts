import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { isPermissionGranted, sendNotification } from "@tauri-apps/plugin-notification";
import App from "./App.svelte";
import type { AlertItem } from "./lib/backend";
import { ALERT, PROVIDERS } from "./test/fixtures";
import { tickOf } from "./test/health-fixtures";
import { emitEvent, mockCommands } from "./test/ipc";

vi.mock("@tauri-apps/plugin-notification", () => ({
  isPermissionGranted: vi.fn(),
  requestPermission: vi.fn(),
  sendNotification: vi.fn(),
}));
const sent = vi.mocked(sendNotification);

const everything = (onboardingCompleted: boolean) => ({
  get_preferences: { theme: "dark", onboardingCompleted },
  complete_onboarding: { theme: "dark", onboardingCompleted: true },
  list_connections: [],
  list_providers: PROVIDERS,
  list_mappings: [],
  list_runs: [],
  list_alerts: [],
});

const CRITICAL: AlertItem = { ...ALERT, id: "a2", severity: "critical", kind: "status", message: "Acme HubSpot is down: the circuit breaker is open." };

describe("App shell", () => {
  it("shows the welcome page on first run, and Get started goes to Connections", async () => {
    const calls = mockCommands(everything(false));
    render(App);

    expect(await screen.findByTestId("screen-welcome")).toBeInTheDocument();
    expect(window.location.hash).toBe("#/welcome");
    await userEvent.click(screen.getByTestId("get-started"));

    expect(await screen.findByTestId("screen-connections")).toBeInTheDocument();
    expect(window.location.hash).toBe("#/connections");
    expect(calls.map((c) => c.cmd)).toContain("complete_onboarding");
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("opens the screen named by the hash, marks it current and jumps with Alt+digit", async () => {
    history.replaceState(null, "", "#/runs");
    mockCommands(everything(true));
    render(App);

    expect(await screen.findByTestId("screen-runs")).toBeInTheDocument();
    expect(screen.getByTestId("nav-runs")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("nav-connections")).not.toHaveAttribute("aria-current");

    await userEvent.keyboard("{Alt>}2{/Alt}");
    expect(await screen.findByTestId("screen-mappings")).toBeInTheDocument();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1, name: "Mappings" })),
    );
    expect(screen.getByTestId("nav-mappings")).toHaveAttribute("aria-current", "page");
  });

  it("offers a skip link that moves focus to the screen heading", async () => {
    mockCommands(everything(true));
    render(App);
    await screen.findByTestId("screen-connections");

    await userEvent.tab();
    const skip = screen.getByRole("link", { name: "Skip to content" });
    expect(document.activeElement).toBe(skip);
    await userEvent.keyboard("{Enter}");
    expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1, name: "Connections" }));
    expect(window.location.hash).not.toBe("#main");
  });

  describe("live alerts", () => {
    beforeEach(() => {
      sent.mockReset();
      vi.mocked(isPermissionGranted).mockResolvedValue(true);
    });

    it("shows each alert of a health event as a dismissible toast on any screen", async () => {
      mockCommands(everything(true));
      render(App);
      await screen.findByTestId("screen-connections");

      await emitEvent("health-updated", tickOf({ alerts: [ALERT, CRITICAL], desktop: false }));

      const toasts = await screen.findAllByTestId("alert-toast");
      expect(toasts).toHaveLength(2);
      expect(toasts[0]).toHaveTextContent("Acme Salesforce needs to be reconnected.");
      expect(toasts[0]).toHaveAttribute("role", "status");
      expect(toasts[1]).toHaveAttribute("role", "alert");
      expect(toasts[1]).toHaveTextContent("Critical");
      expect(within(toasts[1]).getByRole("link", { name: "See it on Health" })).toHaveAttribute("href", "#/health");

      await userEvent.click(within(toasts[0]).getByRole("button", { name: "Dismiss alert: Acme Salesforce needs to be reconnected." }));
      expect(screen.getAllByTestId("alert-toast")).toHaveLength(1);
      expect(sent).not.toHaveBeenCalled();
    });

    it("sends a desktop notification only when the event says desktop", async () => {
      mockCommands(everything(true));
      render(App);
      await screen.findByTestId("screen-connections");

      await emitEvent("health-updated", tickOf({ alerts: [ALERT], desktop: false }));
      await screen.findByTestId("alert-toast");
      expect(sent).not.toHaveBeenCalled();

      await emitEvent("health-updated", tickOf({ alerts: [CRITICAL], desktop: true }));
      await waitFor(() => expect(sent).toHaveBeenCalledOnce());
      expect(sent).toHaveBeenCalledWith({
        title: "Switchyard alert: Critical",
        body: "Acme HubSpot is down: the circuit breaker is open.",
      });
    });

    it("badges Health with the open-alert count, kept up to date by events", async () => {
      let open: AlertItem[] = [];
      mockCommands({ ...everything(true), list_alerts: () => open });
      render(App);
      await screen.findByTestId("screen-connections");
      expect(screen.queryByTestId("nav-health-badge")).toBeNull();

      open = [ALERT, CRITICAL];
      await emitEvent("health-updated", tickOf({ alerts: [CRITICAL] }));

      expect(await screen.findByTestId("nav-health-badge", {}, { timeout: 3_000 })).toHaveTextContent("2");
      expect(screen.getByTestId("nav-health")).toHaveAccessibleName(/Health.*\(2 open alerts\)/);
    });
  });
});
