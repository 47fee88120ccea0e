import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import Health from "./Health.svelte";
import type { HealthSummary } from "../lib/backend";
import { ALERT, EMPTY_HEALTH, PROVIDERS } from "../test/fixtures";
import { mockCommands } from "../test/ipc";

const value = (key: string) => screen.getByTestId(`tile-${key}-value`).textContent;

describe("Health screen", () => {
  it("shows — for null values and the no-traffic empty state", async () => {
    const calls = mockCommands({ health_summary: EMPTY_HEALTH, list_alerts: [], list_providers: PROVIDERS });
    render(Health);

    expect(await screen.findByTestId("empty-health")).toHaveTextContent("No API traffic in the last 24 hours");
    expect(value("requests")).toBe("0");
    expect(value("success-rate")).toBe("—");
    expect(value("p50-latency")).toBe("—");
    expect(value("p95-latency")).toBe("—");
    expect(value("cache-hit-rate")).toBe("—");
    expect(value("errors")).toBe("0");
    expect(value("rate-limited")).toBe("0");
    expect(value("open-alerts")).toBe("0");
    expect(screen.getByTestId("alerts-empty")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "health_summary", args: { windowSecs: 86_400 } });
    expect(calls).toContainEqual({ cmd: "list_alerts", args: { includeAcknowledged: false } });
  });

  it("shows traffic per connection", async () => {
    const busy: HealthSummary = {
      ...EMPTY_HEALTH,
      requests: 1_200,
      successRate: 0.975,
      p50LatencyMs: 120,
      p95LatencyMs: 1_840,
      cacheHitRate: 0.5,
      connections: [
        {
          connectionId: "c1",
          label: "Acme Salesforce",
          provider: "salesforce",
          requests: 1_200,
          successRate: 0.975,
          p95LatencyMs: null,
          headroomPct: 0.42,
          circuitState: "half_open",
        },
      ],
    };
    mockCommands({ health_summary: busy, list_alerts: [], list_providers: PROVIDERS });
    render(Health);

    const row = await screen.findByTestId("connection-health-c1");
    expect(row).toHaveTextContent("Acme Salesforce");
    expect(row).toHaveTextContent("97.5%");
    expect(row).toHaveTextContent("42%");
    expect(row).toHaveTextContent("Half-open");
    expect(row).toHaveTextContent("—");
    expect(value("requests")).toBe("1,200");
    expect(value("p95-latency")).toBe("1.8 s");
    expect(screen.queryByTestId("empty-health")).toBeNull();
  });

  it("acknowledges an alert and reloads the list", async () => {
    let open = [ALERT];
    const calls = mockCommands({
      health_summary: () => ({ ...EMPTY_HEALTH, openAlerts: open.length }),
      list_alerts: () => open,
      list_providers: PROVIDERS,
      acknowledge_alert: () => {
        open = [];
        return null;
      },
    });
    render(Health);

    expect(await screen.findByTestId("alert-a1")).toHaveTextContent("Acme Salesforce needs to be reconnected.");
    expect(value("open-alerts")).toBe("1");

    await userEvent.click(screen.getByRole("button", { name: "Acknowledge" }));

    expect(await screen.findByTestId("alerts-empty")).toBeInTheDocument();
    expect(value("open-alerts")).toBe("0");
    expect(calls).toContainEqual({ cmd: "acknowledge_alert", args: { id: "a1" } });
  });

  it("clears the read cache by hand and says so", async () => {
    const calls = mockCommands({ health_summary: EMPTY_HEALTH, list_alerts: [], list_providers: PROVIDERS, clear_cache: null });
    render(Health);

    await userEvent.click(await screen.findByTestId("clear-cache"));
    expect(await screen.findByText("Cache cleared: the next reads ask the providers again.")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "clear_cache", args: {} });
  });
});
