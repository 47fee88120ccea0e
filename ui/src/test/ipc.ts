// Fakes the Rust side for tests: each command name maps to a handler whose
// return value is the command's answer and whose throw is its rejection.
import { Channel } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";

export type Handler = (args: Record<string, unknown>) => unknown;
/** A fixed answer, or a handler computing one from the command's arguments. */
export type Answer = Handler | readonly unknown[] | Record<string, unknown> | string | number | boolean | null;

export interface IpcCall {
  cmd: string;
  args: Record<string, unknown>;
}

/**
 * Installs handlers keyed by Rust command name; returns the log of calls made. Events are
 * mocked too: `listen` registers for real and `emitEvent` reaches those listeners.
 */
export function mockCommands(handlers: Record<string, Answer>): IpcCall[] {
  const calls: IpcCall[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (!(cmd in handlers)) throw { code: "not_found", message: `test did not mock ${cmd}` };
    const handler = handlers[cmd];
    return typeof handler === "function" ? (handler as Handler)(args) : handler;
  }, { shouldMockEvents: true });
  return calls;
}

/** Sends an event to the app's listeners the way the Rust side would (`health-updated`, …). */
export async function emitEvent<T>(name: string, payload: T): Promise<void> {
  await emit(name, payload);
}

/** A rejection shaped like the back end's IpcError. */
export function ipcError(code: string, message: string): never {
  throw { code, message };
}

/**
 * The Channel a command was given as `args[key]`, as a function that sends it one
 * message the way the Rust side would: `channelOf<Progress>(args)({ event: "started", … })`.
 */
export function channelOf<T>(args: Record<string, unknown>, key = "onProgress"): (message: T) => void {
  const channel = args[key];
  if (!(channel instanceof Channel)) throw new Error(`the command was not given a Channel as ${key}`);
  return (message) => (channel as Channel<T>).onmessage(message);
}
