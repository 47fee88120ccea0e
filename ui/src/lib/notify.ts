// The desktop notification when a run started from the app ends: only when the notification
// settings ask for it and the system allows it. Never throws; a failure is logged and ignored.
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import { notificationSettings, type RunReport } from "./backend";
import { RUN_STATUS_LABELS } from "./format";

/** "Switchyard: Contacts" and "Partial: 120 read: …"; a run of a deleted mapping has no name. */
export function runNotification(mappingName: string, report: RunReport): { title: string; body: string } {
  const name = mappingName.trim() || "a run";
  const status = RUN_STATUS_LABELS[report.status] ?? report.status;
  return { title: `Switchyard: ${name}`, body: report.message ? `${status}: ${report.message}` : status };
}

/**
 * Shows the desktop notification for a finished run when the settings say `desktop` (the engine's
 * default when unset), asking for permission the first time. Resolves with whether one was sent.
 */
export async function notifyRunFinished(mappingName: string, report: RunReport): Promise<boolean> {
  try {
    const settings = await notificationSettings();
    if (settings.desktop === false) return false;
    let granted = await isPermissionGranted();
    if (!granted) granted = (await requestPermission()) === "granted";
    if (!granted) return false;
    sendNotification(runNotification(mappingName, report));
    return true;
  } catch (error) {
    console.warn("Switchyard: the desktop notification for a finished run was not shown.", error);
    return false;
  }
}
