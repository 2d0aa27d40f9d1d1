// Times as WeChat's console shows them: China Standard Time, UTC+8 all year (no daylight saving).
const UTC_PLUS_8_MS = 8 * 3600 * 1000;

/** "2026-11-30": the calendar day in China Standard Time of `epochMs`. */
export function chinaDay(epochMs: number): string {
	return new Date(epochMs + UTC_PLUS_8_MS).toISOString().slice(0, 10);
}

/** "2026-11-30 09:05 (UTC+8)": the minute in China Standard Time of `epochMs`, with the zone said. */
export function chinaMinute(epochMs: number): string {
	return `${new Date(epochMs + UTC_PLUS_8_MS).toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}

/** "2026-11-30T09:05:12+08:00": the moment `epochMs` in China Standard Time, as ISO 8601 with its offset. */
export function chinaIsoTime(epochMs: number): string {
	return `${new Date(epochMs + UTC_PLUS_8_MS).toISOString().slice(0, 19)}+08:00`;
}
