// Following the engine's health ticks from a component or the shell: the subscription is
// asynchronous, so the stop function works even before the listener is confirmed.
import { onHealthUpdated, toBackendError, type BackendError, type HealthTick } from "./backend";

/** Calls `onTick` for every `health-updated` event until the returned function is called. */
export function followHealth(onTick: (tick: HealthTick) => void, onError?: (error: BackendError) => void): () => void {
  let stopped = false;
  let stop: (() => void) | null = null;
  onHealthUpdated((tick) => {
    if (!stopped) onTick(tick);
  }).then(
    (unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    },
    (error) => {
      if (!stopped) onError?.(toBackendError(error));
    },
  );
  return () => {
    stopped = true;
    stop?.();
  };
}
