// jsdom has no canvas, so tests swap uPlot for this stand-in (see setup.ts). It keeps what a
// chart was built with and every setData, so tests can tell an update from a rebuild.
type Data = unknown[];

export default class FakeUPlot {
  static instances: FakeUPlot[] = [];

  opts: Record<string, unknown>;
  data: Data;
  target: HTMLElement;
  setDataCalls = 0;
  size: { width: number; height: number };
  get width(): number {
    return this.size.width;
  }
  destroyed = false;

  constructor(opts: Record<string, unknown>, data: Data, target: HTMLElement) {
    this.opts = opts;
    this.data = data;
    this.target = target;
    this.size = { width: Number(opts.width ?? 0), height: Number(opts.height ?? 0) };
    FakeUPlot.instances.push(this);
  }

  setData(data: Data): void {
    this.data = data;
    this.setDataCalls += 1;
  }

  setSize(size: { width: number; height: number }): void {
    this.size = size;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** The charts alive now (built and not destroyed). */
  static live(): FakeUPlot[] {
    return FakeUPlot.instances.filter((u) => !u.destroyed);
  }
}
