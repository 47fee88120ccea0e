// Desktop notifications: when a run started from the app ends (only when the notification
// settings ask for it), and for health alerts the engine says are due (the caller checks the
// tick's `desktop` flag). Permission is asked for once. Never throws; a failure is logged.
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import { notificationSettings, type AlertItem, type RunReport } from "./backend";
import { RUN_STATUS_LABELS, SEVERITY_LABELS } from "./format";

/** "Switchyard: Contacts" and "Partial: 120 read: …"; a run of a deleted mapping has no name. */
export function runNotification(mappingName: string, report: RunReport): { title: string; body: string } {
  const name = mappingName.trim() || "a run";
  const status = RUN_STATUS_LABELS[report.status] ?? report.status;
  return { title: `Switchyard: ${name}`, body: report.message ? `${status}: ${report.message}` : status };
}

/** "Switchyard alert: Critical" and the alert's message. */
export function alertNotification(alert: AlertItem): { title: string; body: string } {
  return { title: `Switchyard alert: ${SEVERITY_LABELS[alert.severity] ?? alert.severity}`, body: alert.message };
}

async function permitted(): Promise<boolean> {
  if (await isPermissionGranted()) return true;
  return (await requestPermission()) === "granted";
}

/**
 * Shows the desktop notification for a finished run when the settings say `desktop` (the engine's
 * default when unset), asking for permission the first time. Resolves with whether one was sent.
 */
export async function notifyRunFinished(mappingName: string, report: RunReport): Promise<boolean> {
  try {
    const settings = await notificationSettings();
    if (settings.desktop === false) return false;
    if (!(await permitted())) return false;
    sendNotification(runNotification(mappingName, report));
    return true;
  } catch (error) {
    console.warn("Switchyard: the desktop notification for a finished run was not shown.", error);
    return false;
  }
}

/** Shows one health alert as a desktop notification. Resolves with whether it was sent. */
export async function notifyAlert(alert: AlertItem): Promise<boolean> {
  try {
    if (!(await permitted())) return false;
    sendNotification(alertNotification(alert));
    return true;
  } catch (error) {
    console.warn("Switchyard: the desktop notification for an alert was not shown.", error);
    return false;
  }
}
