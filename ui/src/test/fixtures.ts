// Sample back-end answers shared by the component tests.
import type {
  AlertItem,
  AppInfo,
  ConnectionSummary,
  HealthSummary,
  ProviderInfo,
} from "../lib/backend";

export const PROVIDERS: ProviderInfo[] = [
  {
    id: "salesforce",
    name: "Salesforce",
    category: "CRM",
    description: "Accounts, contacts, leads and opportunities.",
    authKinds: ["oauth_loopback"],
    objects: ["Account", "Contact", "Lead", "Opportunity"],
  },
  {
    id: "hubspot",
    name: "HubSpot",
    category: "CRM",
    description: "Companies, contacts and deals.",
    authKinds: ["oauth_loopback", "pasted_token"],
    objects: ["companies", "contacts", "deals"],
  },
  {
    id: "quickbooks",
    name: "QuickBooks Online",
    category: "Accounting",
    description: "Customers, invoices and payments.",
    authKinds: ["oauth_loopback", "oauth_paste_redirect"],
    objects: ["Customer", "Invoice", "Payment"],
  },
  {
    id: "slack",
    name: "Slack",
    category: "Messaging",
    description: "Post messages to channels when records change.",
    authKinds: ["pasted_token"],
    objects: ["message"],
  },
  {
    id: "zapier",
    name: "Zapier",
    category: "Automation",
    description: "Send records to a Zap through a catch hook.",
    authKinds: ["hook_url"],
    objects: ["hook"],
  },
];

export const CONNECTION: ConnectionSummary = {
  id: "c1",
  provider: "salesforce",
  label: "Acme Salesforce",
  accountName: "acme@example.com",
  environment: "sandbox",
  status: "needs_reconnect",
  statusMessage: "The refresh token was revoked.",
  createdAt: 1_700_000_000_000,
  lastCheckedAt: null,
  tokenExpiresAt: null,
  circuitState: "open",
  backoff: "exponential",
};

export const EMPTY_HEALTH: HealthSummary = {
  windowSecs: 3_600,
  services: 0,
  activeConnections: 0,
  requests: 0,
  successRate: null,
  avgLatencyMs: null,
  p50LatencyMs: null,
  p95LatencyMs: null,
  p99LatencyMs: null,
  errors: 0,
  rateLimited: 0,
  cacheHits: 0,
  cacheMisses: 0,
  cacheHitRate: null,
  openAlerts: 0,
  connections: [],
};

export const ALERT: AlertItem = {
  id: "a1",
  severity: "warning",
  kind: "auth_expiring",
  message: "Acme Salesforce needs to be reconnected.",
  connectionId: "c1",
  mappingId: null,
  occurrences: 1,
  raisedAt: 1_700_000_000_000,
  lastSeenAt: 1_700_000_000_000,
  acknowledgedAt: null,
  resolvedAt: null,
};

export const APP_INFO: AppInfo = {
  version: "0.1.0",
  dataDir: "/home/ada/.local/share/switchyard",
  databasePath: "/home/ada/.local/share/switchyard/switchyard.db",
  logDir: "/home/ada/.local/share/switchyard/logs",
  schemaVersion: 20261128000015,
  keySource: "key_file",
};
