import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coalesce } from "./coalesce";

describe("coalesce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A task that stays in flight until the test resolves it. */
  function slowTask() {
    const finishers: (() => void)[] = [];
    const task = vi.fn(() => new Promise<void>((resolve) => finishers.push(resolve)));
    return { task, finish: () => finishers.shift()?.() };
  }

  it("runs at once for the first trigger", async () => {
    const task = vi.fn(async () => {});
    const c = coalesce(task, 500);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it("folds a burst into one more run, no sooner than the interval after the last start", async () => {
    const task = vi.fn(async () => {});
    const c = coalesce(task, 500);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) {
      c.trigger();
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(task).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it("reads a changing interval at each scheduling", async () => {
    const task = vi.fn(async () => {});
    let interval = 500;
    const c = coalesce(task, () => interval);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    interval = 5_000;
    c.trigger();
    await vi.advanceTimersByTimeAsync(4_990);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it("never starts a run while one is in flight", async () => {
    const { task, finish } = slowTask();
    const c = coalesce(task, 100);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    c.trigger();
    c.trigger();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it("keeps going after a failed run", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const task = vi.fn().mockRejectedValueOnce(new Error("boom")).mockResolvedValue(undefined);
    const c = coalesce(task, 100);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    c.trigger();
    await vi.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledOnce();
  });

  it("runs nothing after dispose", async () => {
    const task = vi.fn(async () => {});
    const c = coalesce(task, 500);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    c.trigger();
    c.dispose();
    c.trigger();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
