/** WeChat's mass-send speed levels: level -> messages per minute (WeChat quotes them in units of 10,000). */
export const SPEED_LEVELS: ReadonlyArray<{ level: number; messagesPerMinute: number }> = [
	{ level: 0, messagesPerMinute: 800000 },
	{ level: 1, messagesPerMinute: 600000 },
	{ level: 2, messagesPerMinute: 450000 },
	{ level: 3, messagesPerMinute: 300000 },
	{ level: 4, messagesPerMinute: 100000 },
];

export const SPEED_RANGE = { min: 0, max: SPEED_LEVELS.length - 1 };

/** `realspeed` from speed/get is in units of 10,000 messages per minute. */
export function realspeedToMessagesPerMinute(realspeed: number): number {
	return Math.round(realspeed * 10000);
}
