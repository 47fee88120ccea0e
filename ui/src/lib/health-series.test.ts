import { describe, expect, it } from "vitest";
import {
  alignedData,
  asPercent,
  describeChart,
  healthCharts,
  percentOf,
  rangeOption,
  sumOver,
  tableRows,
  worstOf,
  type ChartModel,
} from "./health-series";
import { connectionSeries, healthSeriesOf } from "../test/health-fixtures";

const chart = (charts: ChartModel[], key: string) => charts.find((c) => c.key === key)!;

/** Two connections over three minutes: A busy and partly failing, B idle in the middle minute. */
function twoConnections() {
  const a = connectionSeries("a", 3);
  a.requests = [10, 20, 0];
  a.ok = [9, 10, 0];
  a.clientErrors = [1, 2, 0];
  a.rateLimited = [0, 5, 0];
  a.serverErrors = [0, 3, 0];
  a.p50Ms = [50, 60, null];
  a.p95Ms = [100, 400, null];
  a.p99Ms = [150, 900, null];
  a.limitUsed = [0.1, 0.5, null];
  const b = connectionSeries("b", 3);
  b.requests = [30, 0, 4];
  b.ok = [30, 0, 4];
  b.timeouts = [0, 0, 1];
  b.p50Ms = [80, null, 20];
  b.p95Ms = [90, null, 30];
  b.p99Ms = [300, null, 40];
  return healthSeriesOf("1h", [a, b]);
}

describe("series math", () => {
  it("sums a count over connections per bucket", () => {
    const s = twoConnections();
    expect(sumOver(s.connections, (c) => c.requests, 3)).toEqual([40, 20, 4]);
    expect(sumOver([], (c) => c.requests, 2)).toEqual([0, 0]);
  });

  it("takes a rate from the sums, and leaves a gap (null) where there were no requests", () => {
    expect(percentOf([39, 10, 0], [40, 20, 0])).toEqual([97.5, 50, null]);
  });

  it("keeps the worst value per bucket, ignoring gaps", () => {
    expect(worstOf([[100, 400, null], [90, null, 30]], 3)).toEqual([100, 400, 30]);
    expect(worstOf([[null], [null]], 1)).toEqual([null]);
  });

  it("turns fractions into percentages and keeps gaps", () => {
    expect(asPercent([0.1, null, 1])).toEqual([10, null, 100]);
  });
});

describe("healthCharts (overview)", () => {
  const charts = healthCharts(twoConnections());

  it("draws one requests line per connection", () => {
    const requests = chart(charts, "requests");
    expect(requests.lines.map((l) => l.label)).toEqual(["Connection a", "Connection b"]);
    expect(requests.lines.map((l) => l.values)).toEqual([
      [10, 20, 0],
      [30, 0, 4],
    ]);
  });

  it("computes the success rate as sum(ok) / sum(requests), not an average of rates", () => {
    const success = chart(charts, "success-rate");
    expect(success.lines).toHaveLength(1);
    expect(success.lines[0].label).toBe("All connections");
    // (9 + 30) / (10 + 30) = 97.5 %, where averaging the two rates would give 95 %.
    expect(success.lines[0].values).toEqual([97.5, 50, 100]);
  });

  it("shows the worst connection's latency per bucket and says so in the legend", () => {
    const latency = chart(charts, "latency");
    expect(latency.lines.map((l) => l.label)).toEqual(["p50 (worst connection)", "p95 (worst connection)", "p99 (worst connection)"]);
    expect(latency.lines[1].values).toEqual([100, 400, 30]);
    expect(latency.lines[2].values).toEqual([300, 900, 40]);
  });

  it("sums errors by class", () => {
    const errors = chart(charts, "errors");
    expect(Object.fromEntries(errors.lines.map((l) => [l.label, l.values]))).toEqual({
      "4xx refused": [1, 2, 0],
      "429 rate limited": [0, 5, 0],
      "5xx server errors": [0, 3, 0],
      Timeouts: [0, 0, 1],
    });
  });

  it("shows quota use per connection in percent, with gaps where no reading came", () => {
    const quota = chart(charts, "rate-limit");
    expect(quota.lines.map((l) => l.values)).toEqual([
      [10, 50, null],
      [null, null, null],
    ]);
  });

  it("hands uPlot the x values followed by one column per line", () => {
    const data = alignedData(chart(charts, "success-rate"));
    expect(data).toEqual([twoConnections().times, [97.5, 50, 100]]);
  });

  it("copes with no connections at all", () => {
    const empty = healthCharts(healthSeriesOf("15m", []));
    expect(chart(empty, "requests").lines).toEqual([]);
    expect(chart(empty, "success-rate").lines[0].values).toEqual([]);
  });
});

describe("healthCharts (drill-down)", () => {
  it("labels lines with the connection and plain percentiles", () => {
    const s = twoConnections();
    const charts = healthCharts({ ...s, connections: [s.connections[0]] }, true);
    expect(chart(charts, "success-rate").lines[0]).toMatchObject({ label: "Connection a", values: [90, 50, null] });
    expect(chart(charts, "latency").lines.map((l) => l.label)).toEqual(["p50", "p95", "p99"]);
  });
});

describe("seven days for five connections", () => {
  it("keeps 2,016 five-minute buckets and sums every one", () => {
    const conns = ["a", "b", "c", "d", "e"].map((id) => connectionSeries(id, 2_016, 3));
    const s = healthSeriesOf("7d", conns);
    const charts = healthCharts(s);
    expect(s.times).toHaveLength(2_016);
    expect(s.times[1] - s.times[0]).toBe(300);
    const errors = chart(charts, "errors");
    expect(errors.lines[0].values).toHaveLength(2_016);
    expect(errors.lines[0].values.every((v) => v === 15)).toBe(true);
    expect(chart(charts, "success-rate").lines[0].values.every((v) => v === 100)).toBe(true);
  });
});

describe("text alternative", () => {
  const charts = healthCharts(twoConnections());

  it("gives totals and peaks for counts", () => {
    const text = describeChart(chart(charts, "requests"), "1h");
    expect(text).toMatch(/^Requests over the last hour: Connection a: 30 in total, at most 20 at .+; Connection b: 34 in total/);
  });

  it("gives the lowest point and the latest value for the success rate", () => {
    expect(describeChart(chart(charts, "success-rate"), "1h")).toMatch(/All connections: lowest 50% at .+, latest 100%\.$/);
  });

  it("says when a line has nothing", () => {
    expect(describeChart(chart(charts, "rate-limit"), "1h")).toContain("Connection b quota used: no data");
    expect(describeChart(chart(healthCharts(healthSeriesOf("1h", [])), "requests"), "1h")).toBe(
      "Requests over the last hour: no connections.",
    );
  });
});

describe("tableRows", () => {
  it("lists buckets that hold something, newest first, up to the limit", () => {
    const charts = healthCharts(twoConnections());
    expect(tableRows(chart(charts, "requests"), 10)).toEqual({
      rows: [
        { time: 1_700_000_120, cells: [0, 4] },
        { time: 1_700_000_060, cells: [20, 0] },
        { time: 1_700_000_000, cells: [10, 30] },
      ],
      total: 3,
    });
    const quota = tableRows(chart(charts, "rate-limit"), 1);
    expect(quota).toEqual({ rows: [{ time: 1_700_000_060, cells: [50, null] }], total: 2 });
  });
});

describe("ranges", () => {
  it("knows each range's span", () => {
    expect(rangeOption("15m").secs).toBe(900);
    expect(rangeOption("7d").secs).toBe(604_800);
    expect(rangeOption("24h").words).toBe("the last 24 hours");
  });
});
