/**
 * Browser SDKs send `user.ip_address: "{{auto}}"` and ingest puts the sender's address in its
 * place; the stored payload keeps the placeholder, and the address goes into `events.user_ip`.
 * Reading a payload back puts that address where the placeholder was, so the event normalizes
 * again to what was ingested.
 */

const PLACEHOLDER = '{{auto}}';
/** Where the normalizer reads the user interface from (its legacy alias included). */
const USER_KEYS = ['user', 'sentry.interfaces.User'] as const;

export function resolveAutoIp(payloadJson: string, userIp: string | null): string {
  if (userIp === null || !payloadJson.includes(PLACEHOLDER)) return payloadJson;
  try {
    const raw: unknown = JSON.parse(payloadJson);
    if (!isRecord(raw)) return payloadJson;
    let resolved = false;
    for (const key of USER_KEYS) {
      const user = raw[key];
      if (isRecord(user) && typeof user['ip_address'] === 'string' && user['ip_address'].trim() === PLACEHOLDER) {
        user['ip_address'] = userIp;
        resolved = true;
      }
    }
    return resolved ? JSON.stringify(raw) : payloadJson;
  } catch {
    // Not JSON, or nested too deep to serialize again: the readers handle the payload as stored.
    return payloadJson;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
