import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockCommands } from "../test/ipc";

// A fresh module per test: the "already reported" state is per page.
async function load() {
  vi.resetModules();
  return import("./startup");
}

describe("start-up report", () => {
  let frames: FrameRequestCallback[];

  beforeEach(() => {
    frames = [];
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => frames.push(cb));
  });

  afterEach(() => {
    delete window.__SWITCHYARD_STARTUP_REPORT__;
    vi.unstubAllGlobals();
  });

  /** Runs the animation frames queued so far, as the browser would for one frame. */
  function nextFrame() {
    const queued = frames.splice(0);
    for (const cb of queued) cb(performance.now());
  }

  it("sends nothing when the shell did not ask for it", async () => {
    const calls = mockCommands({ startup_painted: null });
    const { markMounted, reportFirstScreen } = await load();
    markMounted();
    await reportFirstScreen("welcome");
    expect(frames).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it("reports once, two frames after the first screen is in the DOM", async () => {
    window.__SWITCHYARD_STARTUP_REPORT__ = true;
    const calls = mockCommands({ startup_painted: null });
    const { markMounted, reportFirstScreen } = await load();
    markMounted();
    const done = reportFirstScreen("welcome");

    await Promise.resolve();
    expect(calls).toHaveLength(0);
    nextFrame();
    await Promise.resolve();
    expect(calls).toHaveLength(0); // one frame is not enough: it may not be painted yet
    nextFrame();
    await done;

    expect(calls.map((c) => c.cmd)).toEqual(["startup_painted"]);
    const marks = calls[0].args.marks as Record<string, number | string | null>;
    expect(marks.screen).toBe("welcome");
    const order = ["mountedMs", "readyMs", "paintedMs", "sentMs"].map((k) => marks[k] as number);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    await reportFirstScreen("connections");
    expect(calls).toHaveLength(1);
  });

  it("keeps the app running when the report cannot be sent", async () => {
    window.__SWITCHYARD_STARTUP_REPORT__ = true;
    mockCommands({});
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { reportFirstScreen } = await load();
    const done = reportFirstScreen("welcome");
    nextFrame();
    await Promise.resolve();
    nextFrame();
    await expect(done).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith("start-up report not sent", expect.anything());
  });
});
