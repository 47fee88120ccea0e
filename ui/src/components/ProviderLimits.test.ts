import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import ProviderLimits from "./ProviderLimits.svelte";
import { ipcError, mockCommands } from "../test/ipc";

describe("Provider limits", () => {
  it("shows the saved pace, or the engine's default of 4 when none is saved", async () => {
    mockCommands({ provider_limits: {} });
    render(ProviderLimits);
    expect(await screen.findByTestId("limits-hubspot-search")).toHaveValue(4);
  });

  it("saves a new pace and says so", async () => {
    const calls = mockCommands({
      provider_limits: { hubspotSearchPerSecond: 4 },
      set_provider_limits: (args) => args.limits as Record<string, unknown>,
    });
    render(ProviderLimits);
    const u = userEvent.setup();
    const input = await screen.findByTestId("limits-hubspot-search");
    await u.clear(input);
    await u.type(input, "5");
    await u.click(screen.getByTestId("provider-limits-save"));

    expect(await screen.findByText("Provider limits saved.")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "set_provider_limits", args: { limits: { hubspotSearchPerSecond: 5 } } });
    expect(screen.getByTestId("limits-hubspot-search")).toHaveValue(5);
  });

  it("shows the engine's refusal, and refuses an empty or fractional pace itself", async () => {
    const calls = mockCommands({
      provider_limits: { hubspotSearchPerSecond: 4 },
      set_provider_limits: () => ipcError("validation", "HubSpot searches per second must be between 1 and 100 (got 500)"),
    });
    render(ProviderLimits);
    const u = userEvent.setup();
    const input = await screen.findByTestId("limits-hubspot-search");
    await u.clear(input);
    await u.type(input, "500");
    await u.click(screen.getByTestId("provider-limits-save"));
    expect(await screen.findByTestId("provider-limits-error")).toHaveTextContent("must be between 1 and 100 (got 500)");
    expect(screen.getByTestId("provider-limits-saved")).toHaveTextContent("");

    await u.clear(input);
    await u.type(input, "2.5");
    await u.click(screen.getByTestId("provider-limits-save"));
    expect(await screen.findByTestId("provider-limits-error")).toHaveTextContent("needs a whole number");
    expect(calls.filter((c) => c.cmd === "set_provider_limits")).toHaveLength(1);
  });
});
