// Loading state for one screen's data: loading → ready | error, with reload.
// A reload that overlaps an older one wins; the older answer is dropped.
import { toBackendError, type BackendError } from "./backend";

export type LoadState<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "error"; error: BackendError };

export class Resource<T> {
  state: LoadState<T> = $state.raw({ status: "loading" });
  #fetch: () => Promise<T>;
  #generation = 0;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** Fetches again; `quiet` keeps showing the current data until the answer arrives. */
  async load({ quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    const generation = ++this.#generation;
    if (!quiet || this.state.status !== "ready") this.state = { status: "loading" };
    try {
      const data = await this.#fetch();
      if (generation === this.#generation) this.state = { status: "ready", data };
    } catch (error) {
      if (generation === this.#generation) this.state = { status: "error", error: toBackendError(error) };
    }
  }
}
