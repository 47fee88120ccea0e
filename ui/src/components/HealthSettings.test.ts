import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import HealthSettings from "./HealthSettings.svelte";
import { HEALTH_SETTINGS } from "../test/health-fixtures";
import { ipcError, mockCommands } from "../test/ipc";

describe("Health settings", () => {
  it("shows the saved thresholds, and the engine's defaults for missing ones", async () => {
    mockCommands({ health_settings: { healthySuccessPct: 90, alertSlack: true } });
    render(HealthSettings);

    expect(await screen.findByTestId("health-healthySuccessPct")).toHaveValue(90);
    expect(screen.getByTestId("health-statusWindowMins")).toHaveValue(15);
    expect(screen.getByTestId("health-cooldownMins")).toHaveValue(30);
    expect(screen.getByTestId("health-alert-desktop")).toBeChecked();
    expect(screen.getByTestId("health-alert-slack")).toBeChecked();
    expect(screen.getByTestId("health-alert-zapier")).not.toBeChecked();
    expect(screen.getByText(/Slack and Zapier alerts go to the Slack channel and the Zapier hook chosen under Run notifications/)).toBeInTheDocument();
  });

  it("saves every field and says so", async () => {
    const calls = mockCommands({ health_settings: HEALTH_SETTINGS, set_health_settings: (args) => args.settings as Record<string, unknown> });
    render(HealthSettings);
    const u = userEvent.setup();

    const healthy = await screen.findByTestId("health-healthySuccessPct");
    await u.clear(healthy);
    await u.type(healthy, "97.5");
    await u.clear(screen.getByTestId("health-cooldownMins"));
    await u.type(screen.getByTestId("health-cooldownMins"), "10");
    await u.click(screen.getByTestId("health-alert-desktop"));
    await u.click(screen.getByTestId("health-alert-zapier"));
    await u.click(screen.getByTestId("health-settings-save"));

    expect(await screen.findByText("Health settings saved.")).toBeInTheDocument();
    expect(calls).toContainEqual({
      cmd: "set_health_settings",
      args: { settings: { ...HEALTH_SETTINGS, healthySuccessPct: 97.5, cooldownMins: 10, alertDesktop: false, alertZapier: true } },
    });
  });

  it("shows the engine's validation message next to the form", async () => {
    mockCommands({
      health_settings: HEALTH_SETTINGS,
      set_health_settings: () => ipcError("validation", "The status window must be between 1 and 1440 minutes"),
    });
    render(HealthSettings);
    const u = userEvent.setup();

    const window = await screen.findByTestId("health-statusWindowMins");
    await u.clear(window);
    await u.type(window, "0");
    await u.click(screen.getByTestId("health-settings-save"));

    expect(await screen.findByTestId("health-settings-error")).toHaveTextContent("The status window must be between 1 and 1440 minutes");
    expect(screen.getByTestId("health-settings-saved")).toHaveTextContent("");
  });

  it("refuses an empty number before asking the engine", async () => {
    const calls = mockCommands({ health_settings: HEALTH_SETTINGS, set_health_settings: HEALTH_SETTINGS });
    render(HealthSettings);
    const u = userEvent.setup();

    await u.clear(await screen.findByTestId("health-downAfterFailedRuns"));
    await u.click(screen.getByTestId("health-settings-save"));

    expect(await screen.findByTestId("health-settings-error")).toHaveTextContent("“Down after this many failed runs in a row” needs a number.");
    expect(calls.map((c) => c.cmd)).not.toContain("set_health_settings");
  });

  it("shows other save failures as an error panel", async () => {
    mockCommands({ health_settings: HEALTH_SETTINGS, set_health_settings: () => ipcError("storage", "database is locked") });
    render(HealthSettings);

    await userEvent.click(await screen.findByTestId("health-settings-save"));
    await waitFor(() => expect(screen.getByTestId("error-code")).toHaveTextContent("storage"));
    expect(screen.getByText("Couldn't save the health settings")).toBeInTheDocument();
  });
});
