import { afterEach, describe, expect, it } from "vitest";
import { render } from "@testing-library/svelte";
import TimeChart from "./TimeChart.svelte";
import FakeUPlot from "../../test/uplot-fake";
import type { AlignedData } from "../../lib/health-series";

type SeriesOpt = { label?: string; stroke?: string };
const strokes = (u: FakeUPlot) => (u.opts.series as SeriesOpt[]).slice(1).map((s) => s.stroke);

describe("TimeChart", () => {
  let style: HTMLStyleElement | null = null;

  afterEach(() => style?.remove());

  function theme(css: string) {
    style = document.createElement("style");
    style.textContent = css;
    document.head.append(style);
  }

  const lines = [
    { label: "Acme", color: "--chart-1" },
    { label: "Globex", color: "--chart-2" },
  ];
  const data = (n: number): AlignedData => [
    [1, 2, 3],
    [n, n, n],
    [null, n, null],
  ];

  it("builds once, then hands new data to setData without rebuilding", async () => {
    const { rerender } = render(TimeChart, { lines, data: data(1), unit: "count" });
    expect(FakeUPlot.instances).toHaveLength(1);
    const chart = FakeUPlot.instances[0];
    expect((chart.opts.series as SeriesOpt[]).map((s) => s.label)).toEqual([undefined, "Acme", "Globex"]);

    await rerender({ lines: [...lines], data: data(2) });
    await rerender({ lines, data: data(3) });

    expect(FakeUPlot.instances).toHaveLength(1);
    expect(chart.setDataCalls).toBe(2);
    expect(chart.data).toEqual(data(3));
  });

  it("rebuilds when its lines change, and destroys the chart when it goes", async () => {
    const { rerender, unmount } = render(TimeChart, { lines, data: data(1), unit: "count" });
    await rerender({ lines: [lines[0], { label: "Initech", color: "--chart-3" }], data: data(1) });

    expect(FakeUPlot.instances).toHaveLength(2);
    expect(FakeUPlot.instances[0].destroyed).toBe(true);
    unmount();
    expect(FakeUPlot.live()).toHaveLength(0);
  });

  it("reads its colours from the theme and follows a theme change", async () => {
    theme(`.chart { --chart-1: #111111; --chart-2: #222222; }
      [data-theme="dark"] .chart { --chart-1: #aaaaaa; --chart-2: #bbbbbb; }`);
    render(TimeChart, { lines, data: data(1), unit: "percent" });
    expect(strokes(FakeUPlot.instances[0])).toEqual(["#111111", "#222222"]);

    document.documentElement.dataset.theme = "dark";
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(FakeUPlot.live()).toHaveLength(1);
    expect(strokes(FakeUPlot.live()[0])).toEqual(["#aaaaaa", "#bbbbbb"]);
    expect(FakeUPlot.live()[0].data).toEqual(data(1));
  });
});
