// OpenID lists: parsing what users paste or map, and splitting them into calls WeChat accepts.

export const OPENID_PATTERN = /^[A-Za-z0-9_-]{28}$/;
/** A send to an OpenID list takes "OpenID最少2个，最多10000个" (mass/send); fewer than 2 is errcode 40130. */
export const MIN_OPENIDS_PER_SEND = 2;
export const MAX_OPENIDS_PER_SEND = 10000;

/** An array, or text separated by commas, semicolons, whitespace or new lines; blanks dropped, order kept, duplicates removed. */
export function parseOpenIdList(value: unknown): string[] {
	const pieces = Array.isArray(value) ? value.flatMap((entry) => parseOpenIdList(entry)) : typeof value === 'string' ? value.split(/[\s,;，；]+/) : value === undefined || value === null ? [] : [String(value)];
	return [...new Set(pieces.map((piece) => piece.trim()).filter((piece) => piece !== ''))];
}

export function invalidOpenIds(openIds: string[]): string[] {
	return openIds.filter((openId) => !OPENID_PATTERN.test(openId));
}

/**
 * Splits into as few calls as WeChat's 10,000 limit allows, as evenly as possible, so no call
 * carries fewer than 2 OpenIDs (WeChat rejects those): 10,001 → 5,001 + 5,000.
 */
export function splitEvenly<T>(values: T[], maxPerChunk = MAX_OPENIDS_PER_SEND): T[][] {
	if (values.length === 0) return [];
	const chunkCount = Math.ceil(values.length / maxPerChunk);
	const base = Math.floor(values.length / chunkCount);
	const larger = values.length % chunkCount;
	const chunks: T[][] = [];
	let start = 0;
	for (let index = 0; index < chunkCount; index++) {
		const size = base + (index < larger ? 1 : 0);
		chunks.push(values.slice(start, start + size));
		start += size;
	}
	return chunks;
}
