/** Tell the business's members that a customer who asked for a person is still waiting. */
export interface StaffAlertJob {
  tenantId: string;
  conversationId: string;
  kind: 'escalation_unassigned';
  /**
   * When the escalation began (ISO, milliseconds): it names the escalation the alert is
   * about, so that an alert left over from an earlier one never fires for a later one.
   */
  escalatedAt: string;
}

export const STAFF_ALERT_JOB = 'staff_alert';

/** Deterministic per escalation: announcing the same escalation twice schedules one alert. */
export function staffAlertJobId(conversationId: string, escalatedAt: Date): string {
  return `staff-alert:${conversationId}:${escalatedAt.getTime()}`;
}
