// The credential's hosts (WeChat's API, showqrcode's): a path is added after each, so each must be a
// plain http(s) address. A user name or password in it would show in output (a code's imageUrl) and
// in errors, so it is refused; the value itself is never repeated in an error, for the same reason.

/** The credential's `value` without trailing slashes, `defaultUrl` when empty; a bad one fails naming the credential's `field`. */
export function normalizeBaseUrl(value: unknown, defaultUrl: string, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return defaultUrl;
	const problem = (why: string) => new Error(`The credential's "${field}" ${why}`);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw problem(`is not a URL: enter one such as ${defaultUrl}`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw problem(`must start with https:// or http://, such as ${defaultUrl}`);
	if (url.username !== '' || url.password !== '') throw problem('must not contain a user name or password (user:password@): it would show in output and errors');
	if (/[?#]/.test(text)) throw problem('must have no query (?…) or fragment (#…): the request\'s path is added at its end');
	return text.replace(/\/+$/, '');
}
