// Fields every callback's XML may carry, read the same way by each event's output: text and numbers
// that may be missing, and CreateTime as a time that is null, never an error, when it is out of range.
import { chinaIsoTime } from '../WeChatMassMessage/helpers/chinaTime';
import { childText } from './callbackXml';
import type { XmlElement } from './types';

export function optionalText(element: XmlElement | undefined, name: string): string | null {
	if (element === undefined) return null;
	const text = childText(element, name)?.trim();
	return text === undefined || text === '' ? null : text;
}

export function optionalNumber(element: XmlElement | undefined, name: string): number | null {
	const text = optionalText(element, name);
	if (text === null || !/^\d{1,15}$/.test(text)) return null;
	return Number(text);
}

/** CreateTime (Unix seconds) in milliseconds, or null when missing or beyond what a Date holds. */
function createdAtMs(message: XmlElement): number | null {
	const seconds = optionalNumber(message, 'CreateTime');
	if (seconds === null) return null;
	return Number.isNaN(new Date(seconds * 1000).getTime()) ? null : seconds * 1000;
}

/** CreateTime as ISO 8601 in UTC. */
export function isoTime(message: XmlElement): string | null {
	const ms = createdAtMs(message);
	return ms === null ? null : new Date(ms).toISOString();
}

/** CreateTime in China Standard Time, as ISO 8601 with its offset. */
export function chinaTime(message: XmlElement): string | null {
	const ms = createdAtMs(message);
	return ms === null ? null : chinaIsoTime(ms);
}
