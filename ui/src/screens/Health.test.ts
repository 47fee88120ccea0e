import { beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import Health from "./Health.svelte";
import type { AlertItem, ConnectionHealth, HealthSummary } from "../lib/backend";
import { ALERT, EMPTY_HEALTH, PROVIDERS } from "../test/fixtures";
import { CONNECTION_HEALTH, TIMELINE_RUN, connectionSeries, healthSeriesOf, tickOf } from "../test/health-fixtures";
import { emitEvent, ipcError, mockCommands, type Answer } from "../test/ipc";
import FakeUPlot from "../test/uplot-fake";
import { rememberRange } from "../lib/health-series";

const value = (key: string) => screen.getByTestId(`tile-${key}-value`).textContent;
const count = (calls: { cmd: string }[], cmd: string) => calls.filter((c) => c.cmd === cmd).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const DEGRADED: ConnectionHealth = {
  ...CONNECTION_HEALTH,
  connectionId: "c2",
  label: "Acme HubSpot",
  provider: "hubspot",
  status: "degraded",
  statusReason: "81% of 300 requests succeeded in the last 15 minutes (healthy at 95% or more)",
  successRate: 0.81,
  p95LatencyMs: 2_400,
  lastError: { at: Date.now() - 5 * 60_000, text: "429 rate limited on POST /crm/v3/objects/contacts/batch/update" },
  tokenExpiresAt: Date.now() + 3 * 3_600_000,
  burstRemaining: 92,
  burstTotal: 100,
  circuitState: "closed",
};

const BUSY: HealthSummary = {
  ...EMPTY_HEALTH,
  services: 2,
  activeConnections: 2,
  requests: 1_500,
  successRate: 0.975,
  avgLatencyMs: 240,
  p50LatencyMs: 120,
  p95LatencyMs: 1_840,
  p99LatencyMs: 3_100,
  cacheHitRate: 0.5,
  connections: [CONNECTION_HEALTH, DEGRADED],
};

function busySeries() {
  const c1 = connectionSeries("c1", 60, 2);
  const c2 = connectionSeries("c2", 60, 1);
  return healthSeriesOf("1h", [c1, c2]);
}

const HOOKS = { since: 0, received: 42, rejected: 3, duplicates: 1, pending: 0, lastReceivedAt: null, lastRejectedAt: null, receiver: "listening" };

/** Everything the Health screen loads; `extra` overrides. */
function healthCommands(extra: Record<string, Answer> = {}) {
  return mockCommands({
    health_summary: BUSY,
    list_alerts: [],
    list_providers: PROVIDERS,
    health_series: busySeries(),
    health_timeline: [],
    alert_history: [],
    webhook_stats: HOOKS,
    ...extra,
  });
}

describe("Health screen", () => {
  beforeEach(() => rememberRange("1h"));

  it("keeps the chosen range when the screen is left and opened again", async () => {
    const calls = healthCommands();
    const first = render(Health);
    await userEvent.click(await screen.findByTestId("range-24h"));
    await waitFor(() => expect(calls).toContainEqual({ cmd: "health_summary", args: { windowSecs: 86_400 } }));
    first.unmount();
    calls.length = 0;
    render(Health);
    expect(await screen.findByTestId("range-24h")).toHaveAttribute("aria-pressed", "true");
    await waitFor(() => expect(calls).toContainEqual({ cmd: "health_summary", args: { windowSecs: 86_400 } }));
    expect(calls).not.toContainEqual({ cmd: "health_summary", args: { windowSecs: 3_600 } });
  });

  it("shows — for null values and the no-traffic empty state over the last hour", async () => {
    const calls = healthCommands({ health_summary: EMPTY_HEALTH });
    render(Health);

    expect(await screen.findByTestId("empty-health")).toHaveTextContent("No API traffic in the last hour");
    expect(value("requests")).toBe("0");
    expect(value("success-rate")).toBe("—");
    expect(value("avg-latency")).toBe("—");
    expect(value("p95-latency")).toBe("—");
    expect(value("cache-hit-rate")).toBe("—");
    expect(value("errors")).toBe("0");
    expect(value("rate-limited")).toBe("0");
    expect(value("open-alerts")).toBe("0");
    expect(value("services")).toBe("0");
    expect(value("webhooks")).toBe("42");
    expect(screen.getByTestId("tile-webhooks")).toHaveTextContent("3 refused, 1 repeats, 0 waiting");
    expect(screen.getByTestId("alerts-empty")).toBeInTheDocument();
    expect(screen.getByTestId("range-1h")).toHaveAttribute("aria-pressed", "true");
    expect(calls).toContainEqual({ cmd: "health_summary", args: { windowSecs: 3_600 } });
    expect(calls).toContainEqual({ cmd: "list_alerts", args: { includeAcknowledged: false } });
  });

  it("shows traffic per connection, the headline numbers and the charts", async () => {
    healthCommands();
    render(Health);

    const row = await screen.findByTestId("connection-health-c1");
    expect(row).toHaveTextContent("Acme Salesforce");
    expect(row).toHaveTextContent("97.5%");
    expect(row).toHaveTextContent("42%");
    expect(row).toHaveTextContent("Half-open");
    expect(row).toHaveTextContent("Healthy");
    expect(value("requests")).toBe("1,500");
    expect(value("avg-latency")).toBe("240 ms");
    expect(value("p95-latency")).toBe("1.8 s");
    expect(screen.getByTestId("tile-p95-latency")).toHaveTextContent("p99 3.1 s");
    expect(value("active-connections")).toBe("2");
    expect(screen.queryByTestId("empty-health")).toBeNull();

    const charts = await screen.findByTestId("health-charts");
    for (const key of ["requests", "success-rate", "latency", "errors", "rate-limit"]) {
      expect(within(charts).getByTestId(`chart-${key}`)).toBeInTheDocument();
    }
    expect(FakeUPlot.live()).toHaveLength(5);
    expect(screen.getByTestId("chart-requests-summary")).toHaveTextContent(
      /^Requests over the last hour: Connection c1: 120 in total, at most 2 at .+; Connection c2: 60 in total/,
    );
  });

  it("asks for the chosen range everywhere when the range changes", async () => {
    const calls = healthCommands();
    render(Health);
    await screen.findByTestId("health-charts");

    await userEvent.click(screen.getByTestId("range-24h"));

    await waitFor(() => expect(calls).toContainEqual({ cmd: "health_summary", args: { windowSecs: 86_400 } }));
    expect(calls).toContainEqual({ cmd: "health_series", args: { range: "24h", connectionId: null } });
    expect(calls).toContainEqual({ cmd: "health_timeline", args: { range: "24h" } });
    expect(calls).toContainEqual({ cmd: "alert_history", args: { range: "24h" } });
    expect(screen.getByTestId("range-24h")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("range-1h")).toHaveAttribute("aria-pressed", "false");

    await userEvent.click(screen.getByTestId("range-7d"));
    await waitFor(() => expect(calls).toContainEqual({ cmd: "health_series", args: { range: "7d", connectionId: null } }));
    expect(calls).toContainEqual({ cmd: "health_summary", args: { windowSecs: 604_800 } });
  });

  it("shows each connection's status in words with its reason and numbers", async () => {
    healthCommands();
    render(Health);

    const healthy = await screen.findByTestId("status-c1");
    expect(healthy).toHaveAttribute("data-status", "healthy");
    expect(healthy).toHaveTextContent("Healthy");
    expect(healthy).toHaveTextContent("99.2% of 1,200 requests succeeded in the last 15 minutes");
    expect(screen.getByTestId("status-c1-headroom")).toHaveTextContent("6,300 of 15,000 (42%)");
    expect(screen.getByTestId("status-c1-last-error")).toHaveTextContent("None");

    const degraded = screen.getByTestId("status-c2");
    expect(degraded).toHaveAttribute("data-status", "degraded");
    expect(degraded).toHaveTextContent("Degraded");
    expect(screen.getByTestId("status-c2-reason")).toHaveTextContent("81% of 300 requests succeeded");
    expect(screen.getByTestId("status-c2-last-error")).toHaveTextContent(
      "429 rate limited on POST /crm/v3/objects/contacts/batch/update 5 minutes ago",
    );
    expect(degraded).toHaveTextContent("Expires in 3 hours");
    expect(screen.getByTestId("status-c2-burst")).toHaveTextContent("92 of 100");
    expect(screen.queryByTestId("status-c1-burst")).toBeNull();
    // The first element whose test id starts with "status-" and names a connection is its tile.
    const first = [...document.querySelectorAll<HTMLElement>('[data-testid^="status-"]')].find((t) => t.textContent?.includes("HubSpot"));
    expect(first?.dataset.testid).toBe("status-c2");
    expect(degraded).toHaveTextContent("Closed");
  });

  it("drills into a connection: its own series, its last error, and back", async () => {
    const calls = healthCommands({
      health_series: (args) =>
        args.connectionId === "c2" ? healthSeriesOf("1h", [connectionSeries("c2", 60, 1)]) : busySeries(),
    });
    render(Health);

    await userEvent.click(await screen.findByTestId("status-c2-open"));

    const drill = await screen.findByTestId("drilldown");
    expect(calls).toContainEqual({ cmd: "health_series", args: { range: "1h", connectionId: "c2" } });
    expect(within(drill).getByRole("heading", { level: 2, name: "Acme HubSpot" })).toHaveFocus();
    expect(screen.getByTestId("drilldown-last-error")).toHaveTextContent("429 rate limited on POST");
    expect(await within(drill).findByTestId("drilldown-charts")).toBeInTheDocument();
    expect(screen.getByTestId("chart-latency")).toHaveTextContent("Latency");
    expect(screen.queryByTestId("connection-statuses")).toBeNull();

    await userEvent.click(screen.getByTestId("drilldown-back"));
    expect(await screen.findByTestId("health-charts")).toBeInTheDocument();
    expect(screen.queryByTestId("drilldown")).toBeNull();
    expect(screen.getByTestId("status-c2-open")).toHaveFocus();
  });

  it("leaves the drill-down when its connection is removed", async () => {
    let connections = BUSY.connections;
    const calls = healthCommands({ health_summary: () => ({ ...BUSY, connections }) });
    render(Health);
    await userEvent.click(await screen.findByTestId("status-c2-open"));
    await screen.findByTestId("drilldown");

    connections = [CONNECTION_HEALTH];
    await emitEvent("health-updated", tickOf());

    expect(await screen.findByTestId("health-charts")).toBeInTheDocument();
    expect(screen.queryByTestId("drilldown")).toBeNull();
    expect(calls.filter((c) => c.cmd === "health_series").at(-1)?.args).toEqual({ range: "1h", connectionId: null });
  });

  it("refreshes quietly on a health event, updating the charts without rebuilding them", async () => {
    let requests = 1_500;
    const calls = healthCommands({ health_summary: () => ({ ...BUSY, requests }) });
    render(Health);
    await screen.findByTestId("health-charts");
    const built = FakeUPlot.instances.length;
    expect(screen.getByTestId("live-indicator")).toHaveTextContent(/^Live · updated \d\d:\d\d:\d\d/);

    requests = 1_600;
    await emitEvent("health-updated", tickOf());

    await waitFor(() => expect(value("requests")).toBe("1,600"));
    expect(screen.queryByTestId("loading")).toBeNull();
    expect(count(calls, "health_series")).toBe(2);
    expect(count(calls, "health_timeline")).toBe(2);
    await waitFor(() => expect(FakeUPlot.live().every((u) => u.setDataCalls >= 1)).toBe(true));
    expect(FakeUPlot.instances).toHaveLength(built);
  });

  it("folds a burst of events into few refreshes, at most two a second and never two at once", async () => {
    let inFlight = 0;
    let overlapped = false;
    const starts: number[] = [];
    const calls = healthCommands({
      health_summary: async () => {
        starts.push(Date.now());
        inFlight += 1;
        if (inFlight > 1) overlapped = true;
        await sleep(30);
        inFlight -= 1;
        return BUSY;
      },
    });
    render(Health);
    await screen.findByTestId("health-charts");
    expect(count(calls, "health_summary")).toBe(1);

    // A burst becomes one refresh…
    for (let i = 0; i < 4; i++) await emitEvent("health-updated", tickOf());
    await waitFor(() => expect(count(calls, "health_summary")).toBe(2));
    // …and events during or right after it one more, half a second after the last start.
    for (let i = 0; i < 4; i++) await emitEvent("health-updated", tickOf());
    await waitFor(() => expect(count(calls, "health_summary")).toBe(3), { timeout: 2_000 });
    await sleep(700);
    expect(count(calls, "health_summary")).toBe(3);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(450);
    expect(overlapped).toBe(false);
  });

  it("shows the statuses of an event at once, before the refresh answers", async () => {
    let answered = 0;
    healthCommands({
      health_summary: () => (answered++ === 0 ? BUSY : new Promise(() => {})),
    });
    render(Health);
    expect(await screen.findByTestId("status-c1")).toHaveAttribute("data-status", "healthy");

    await emitEvent(
      "health-updated",
      tickOf({
        at: Date.now() + 1_000,
        statuses: [{ connectionId: "c1", label: "Acme Salesforce", provider: "salesforce", status: "down", reason: "The circuit breaker is open" }],
      }),
    );

    await waitFor(() => expect(screen.getByTestId("status-c1")).toHaveAttribute("data-status", "down"));
    expect(screen.getByTestId("status-c1")).toHaveTextContent("Down");
    expect(screen.getByTestId("status-c1-reason")).toHaveTextContent("The circuit breaker is open");
  });

  it("acknowledges an alert and reloads the list and the history", async () => {
    let open: AlertItem[] = [{ ...ALERT, kind: "rate_limit", occurrences: 3 }];
    const calls = healthCommands({
      health_summary: () => ({ ...EMPTY_HEALTH, openAlerts: open.length }),
      list_alerts: () => open,
      alert_history: () => (open.length ? open : [{ ...ALERT, acknowledgedAt: Date.now() }]),
      acknowledge_alert: () => {
        open = [];
        return null;
      },
    });
    render(Health);

    const alert = await screen.findByTestId("alert-a1");
    expect(alert).toHaveTextContent("Acme Salesforce needs to be reconnected.");
    expect(screen.getByTestId("alert-a1-kind")).toHaveTextContent("Rate limit");
    expect(screen.getByTestId("alert-a1-occurrences")).toHaveTextContent(/^Seen 3 times, last/);
    expect(value("open-alerts")).toBe("1");
    expect(screen.getByTestId("alert-history-a1")).toHaveAttribute("data-state", "open");

    await userEvent.click(screen.getByRole("button", { name: "Acknowledge" }));

    expect(await screen.findByTestId("alerts-empty")).toBeInTheDocument();
    expect(value("open-alerts")).toBe("0");
    expect(calls).toContainEqual({ cmd: "acknowledge_alert", args: { id: "a1" } });
    await waitFor(() => expect(screen.getByTestId("alert-history-a1")).toHaveAttribute("data-state", "acknowledged"));
    expect(screen.getByTestId("alert-history-a1")).toHaveTextContent("Acknowledged");
  });

  it("shows resolved alerts in the history", async () => {
    healthCommands({ alert_history: [{ ...ALERT, resolvedAt: Date.now(), acknowledgedAt: Date.now() }] });
    render(Health);

    const row = await screen.findByTestId("alert-history-a1");
    expect(row).toHaveAttribute("data-state", "resolved");
    expect(row).toHaveTextContent("Resolved");
  });

  it("puts the range's runs on the timeline, each linking to the run", async () => {
    const started = Date.now() - 10 * 60_000;
    healthCommands({ health_timeline: [{ ...TIMELINE_RUN, startedAt: started, finishedAt: started + 3_500 }] });
    render(Health);

    const timeline = await screen.findByTestId("run-timeline");
    const run = within(timeline).getByTestId("timeline-run-r1");
    expect(run).toHaveAttribute("href", "#/runs/r1");
    expect(run).toHaveAttribute("data-status", "failed");
    expect(run.getAttribute("aria-label")).toMatch(/^Contacts to HubSpot: Failed · Started by hand · .+ · 1,500 read, 8 failed · took 3\.5 s/);
    expect(within(timeline).getByText("Succeeded")).toBeInTheDocument();

    run.focus();
    expect(await within(timeline).findByTestId("timeline-details")).toHaveTextContent("Contacts to HubSpot: Failed");
  });

  it("exports the range's health data and runs and says where the file went", async () => {
    const calls = healthCommands({
      export_health: { path: "/home/ada/Downloads/switchyard-health-1h.csv", rows: 42 },
      export_runs: () => ipcError("storage", "could not save /home/ada/Downloads/runs.json: disk full"),
    });
    render(Health);

    await userEvent.click(await screen.findByTestId("export-health-csv"));
    expect(await screen.findByText("Saved 42 rows to /home/ada/Downloads/switchyard-health-1h.csv")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "export_health", args: { range: "1h", format: "csv" } });

    await userEvent.click(screen.getByTestId("range-7d"));
    await userEvent.click(screen.getByTestId("export-runs-json"));
    await waitFor(() =>
      expect(screen.getByTestId("export-note")).toHaveTextContent("Couldn't export: could not save /home/ada/Downloads/runs.json: disk full"),
    );
    expect(calls).toContainEqual({ cmd: "export_runs", args: { range: "7d", format: "json" } });
  });

  it("shows a chart's data as a table on request", async () => {
    healthCommands();
    render(Health);

    const toggle = await screen.findByTestId("chart-errors-table-toggle");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const chart = screen.getByTestId("chart-errors");
    expect(within(chart).getByRole("columnheader", { name: "5xx server errors" })).toBeInTheDocument();
    expect(within(chart).getByRole("table")).toHaveAccessibleName("Errors by class: 60 buckets with data");
    expect(within(chart).getAllByRole("row")).toHaveLength(61);
  });

  it("clears the read cache by hand and says so", async () => {
    const calls = healthCommands({ health_summary: EMPTY_HEALTH, clear_cache: null });
    render(Health);

    await userEvent.click(await screen.findByTestId("clear-cache"));
    expect(await screen.findByText("Cache cleared: the next reads ask the providers again.")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "clear_cache", args: {} });
  });
});
