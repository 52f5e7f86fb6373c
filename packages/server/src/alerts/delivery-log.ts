/** One notification as the delivery log shows it. */
export interface DeliveryLogEntry {
  id: string;
  channelId: string;
  kind: string;
  alertCount: number;
  status: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export function toDeliveryLogEntry(row: {
  id: string;
  channel_id: string;
  kind: string;
  alert_count: number;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}): DeliveryLogEntry {
  return {
    id: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    alertCount: row.alert_count,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
