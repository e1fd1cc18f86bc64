/**
 * Occurrences are counted per hour of the event's own time, the time last seen also uses (as
 * Sentry's charts do): an event that arrives late lands in the hour it happened, so an issue
 * last seen 8 hours ago shows no bar in the current hour.
 */
const HOUR_SECONDS = 3600;

export function hourBucket(epochSeconds: number): number {
  return Math.floor(epochSeconds / HOUR_SECONDS);
}
