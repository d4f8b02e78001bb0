/** Rows of continuous monitoring (migration 0013): schedules and their jobs, the scheduler lease, webhooks and deliveries. */

export interface ScheduleTable {
  id: string;
  name: string;
  /** The case-folded name, unique among present schedules. */
  name_key: string;
  cron: string;
  timezone: string;
  /** `node` or `selector`. */
  target_kind: string;
  target_node_id: string | null;
  target_node_name: string | null;
  target_labels_json: string;
  target_environment: string | null;
  benchmark: string;
  profile_id: string | null;
  owner_user_id: string;
  owner_name: string;
  created_at: string;
  next_run_at: string | null;
  last_fired_at: string | null;
  /** The ScheduleState as JSON. */
  state_json: string;
  removed_at: string | null;
}

export interface ScheduleJobTable {
  id: string;
  name: string;
  schedule_id: string;
  schedule_name: string;
  node_id: string | null;
  node_name: string | null;
  trigger: string;
  due_at: string;
  requested_by: string | null;
  created_at: string;
  /** The JobState's status, for filtering; the whole state is `state_json`. */
  status: string;
  state_json: string;
  /** `host:pid` of the process running it. */
  runner: string | null;
}

export interface SchedulerLeaseTable {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
}

export interface WebhookTable {
  id: string;
  name: string;
  name_key: string;
  url: string;
  filter_json: string;
  /** The HMAC secret sealed with PLIMSOLL_SECRET_KEY (purpose `webhook-secret`). */
  secret_sealed: string;
  created_at: string;
  created_by: string;
  removed_at: string | null;
}

export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  /** The event as published (ids and counts, never evidence values). */
  event_json: string;
  created_at: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_response_code: number | null;
  last_error: string | null;
  finished_at: string | null;
}

export interface ExpiryNoticeTable {
  subject: string;
  subject_id: string;
  /** `soon` or `expired`. */
  kind: string;
  expires_at: string;
  noticed_at: string;
}

/** The monitoring tables, merged into the Database interface. */
export interface MonitoringTables {
  schedule: ScheduleTable;
  schedule_job: ScheduleJobTable;
  scheduler_lease: SchedulerLeaseTable;
  webhook: WebhookTable;
  webhook_delivery: WebhookDeliveryTable;
  expiry_notice: ExpiryNoticeTable;
}
