/** JSON.parse that answers `undefined` instead of throwing on text that is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** JSON text of `body` in which the digit strings of `integerFields` are written as numbers, digit for digit. */
export function jsonWithIntegers(body: object, integerFields: readonly string[]): string {
	const marker = '\u0000integer:';
	const text = JSON.stringify(body, (key, value: unknown) =>
		integerFields.includes(key) && typeof value === 'string' && /^\d+$/.test(value) ? `${marker}${value}` : value,
	);
	return text.replace(/"\\u0000integer:(\d+)"/g, '$1');
}
